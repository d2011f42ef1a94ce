"""Every failure is a WinterflowError carrying the library's message."""

import pytest


def test_unknown_key_did_you_mean(wf, reference):
    s = wf.Scenario.from_file(reference)
    with pytest.raises(wf.UnknownKeyError) as e:
        s.set("hospitals.city.bedz", 900)
    assert "did you mean 'beds'" in str(e.value)
    assert e.value.status == "WF_EKEY"
    assert isinstance(e.value, wf.ScenarioError) and isinstance(e.value, wf.WinterflowError)
    with pytest.raises(wf.UnknownKeyError, match="did you mean"):
        wf.run(reference, overrides={"partnership.presett": "integrated"})


def test_bad_values(wf, reference):
    s = wf.Scenario.from_file(reference)
    with pytest.raises(wf.ValueTypeError if False else wf.ScenarioError, match="hospitals.city.beds"):
        s.set("hospitals.city.beds", "abc")
    with pytest.raises(wf.RangeError, match="run.days"):
        s.set("run.days", -1)
    with pytest.raises(wf.ScenarioError, match="partnership.preset"):
        s.set("partnership.preset", "joined-up")


def test_parse_error_names_origin_and_line(wf):
    with pytest.raises(wf.ParseError, match=r"my.yaml:2:"):
        wf.Scenario.from_yaml("name: x\nrun: {days: [}\n", origin="my.yaml")


def test_file_errors(wf, tmp_path):
    with pytest.raises(wf.WinterflowIOError, match="nope.yaml") as e:
        wf.Scenario.from_file(tmp_path / "nope.yaml")
    assert isinstance(e.value, OSError)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nhospitals:\n  city:\n    beds: lots\n")
    with pytest.raises(wf.ScenarioError, match=r"bad.yaml:4"):
        wf.Scenario.from_file(bad)


def test_validation_error_on_run(wf):
    # a locality sending patients to a hospital that does not exist
    d = {"name": "tiny", "run": {"days": 10, "replicates": 1},
         "localities": {"a": {"population": 1000, "emergency_admissions_per_day": 1,
                              "hospital_share": {"nowhere": 1.0}}}}
    with pytest.raises(wf.ScenarioError) as e:
        wf.run(d)
    assert "nowhere" in str(e.value)


def test_progress_cancel_and_exceptions(wf, reference):
    with pytest.raises(wf.CancelledError):
        wf.run(reference, replicates=4, threads=1, run__days=20, progress=lambda d, t: d >= 1)

    def boom(done, total):
        raise RuntimeError("from the callback")
    with pytest.raises(RuntimeError, match="from the callback"):
        wf.run(reference, replicates=2, threads=1, run__days=20, progress=boom)
