"""The scenario's resolved parameters, organisations and rows, read through
the library's API (no YAML parsing)."""


def test_params_get_and_organisations(wf, reference):
    s = wf.Scenario.from_file(reference).with_(partnership__preset="integrated")
    p = s.params()
    assert p["partnership.preset"] == "integrated"
    hospitals = s.organisations("hospital")
    assert hospitals and f"hospitals.{hospitals[0]}.beds" in p
    assert s.get(f"hospitals.{hospitals[0]}.beds") == p[f"hospitals.{hospitals[0]}.beds"]
    assert set(s.organisations("locality")) == {k.split(".")[1] for k in p if k.startswith("localities.")}
    assert wf.param(f"hospitals.{hospitals[0]}.beds")["key"] == "hospitals.<hospital>.beds"
    import pytest
    with pytest.raises(wf.UnknownKeyError):
        s.get("hospitals.nowhere.beds")
    with pytest.raises(ValueError):
        s.organisations("system")


def test_to_dict_from_the_parameters(wf, reference):
    # built from wf_scenario_each_param, not by reading the library's YAML
    # document; it holds what that document holds
    import yaml
    s = wf.Scenario.from_file(reference)
    d = s.to_dict()
    assert d == yaml.safe_load(s.to_yaml())
    assert d["hospitals"]["city"]["beds"] == int(s.get("hospitals.city.beds"))
