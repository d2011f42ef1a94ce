"""The bindings give the CLI's numbers: same scenario, seed, overrides ->
the same means, sds, intervals and n, to the last bit (--json writes 17
significant digits)."""

import json
import math
import subprocess

import numpy as np
import pytest


def cli_json(cli, reference, *args):
    out = subprocess.run([cli, "run", reference, "--json", *args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def assert_same(table, doc):
    py = {(r.organisation, r.metric): r for r in table.itertuples()}
    cl = {(org, m): v for org, block in doc["organisations"].items()
          for m, v in block["metrics"].items()}
    assert set(py) == set(cl)
    for k, v in cl.items():
        r = py[k]
        assert r.n == v["n"], k
        for f in ("mean", "sd", "lo", "hi"):
            want, got = v[f], getattr(r, f)
            if want is None:
                assert not math.isfinite(got), (k, f)
            else:
                assert got == want or abs(got - want) <= 1e-12 * abs(want), (k, f, got, want)
    kinds = dict(zip(table.organisation, table.organisation_kind))
    for org, block in doc["organisations"].items():
        assert kinds[org] == block["kind"]


def test_run_equals_cli_json(wf, cli, reference):
    doc = cli_json(cli, reference, "--replicates", "3", "--seed", "7", "--threads", "2",
                   "--set", "run.days=60")
    res = wf.run(reference, replicates=3, seed=7, threads=2, overrides={"run.days": 60})
    assert res.replicates == doc["replicates"] == 3 and res.seed == doc["seed"] == 7
    assert len(res.dates) == doc["days"]
    assert str(res.dates[0])[:10] == doc["start_date"]
    assert res.scenarios == [doc["scenario"]]
    assert_same(res.table(), doc)


def test_keyword_overrides_equal_set(wf, cli, reference):
    doc = cli_json(cli, reference, "--replicates", "2", "--threads", "1",
                   "--set", "run.days=45",
                   "--set", "partnership.preset=integrated",
                   "--set", "partnership.funding_panel_weekdays=[Mon, Thu]",
                   "--set", "hospitals.city.beds=1900",
                   "--set", "partnership.bridging=false")
    s = wf.Scenario.from_file(reference)
    res = wf.run(s, replicates=2, threads=1, partnership__preset="integrated",
                 overrides={"run.days": 45, "partnership.funding_panel_weekdays": ["Mon", "Thu"],
                            "hospitals.city.beds": 1900, "partnership.bridging": False})
    assert_same(res.table(), doc)
    # the scenario passed in is untouched; set / with_ / copy agree
    assert "preset: fragmented" in s.to_yaml() or "integrated" not in s.to_yaml().split("partnership:")[1][:40]
    a = s.with_(**{"partnership.preset": "integrated", "hospitals.city.beds": 1900})
    b = s.copy(overrides={"partnership__preset": "integrated"}).set("hospitals.city.beds", "1900")
    assert a.to_yaml() == b.to_yaml() != s.to_yaml()


def test_from_yaml_and_dict(wf, reference):
    import yaml
    text = open(reference).read()
    a = wf.Scenario.from_yaml(text)
    b = wf.Scenario.from_dict(yaml.safe_load(text))
    c = wf.Scenario.from_file(reference)
    assert a.to_yaml() == b.to_yaml() == c.to_yaml()
    assert c.name == "reference"
    assert c.to_dict()["hospitals"]["city"]["beds"] == yaml.safe_load(text)["hospitals"]["city"]["beds"]


def test_yaml_values(wf):
    import datetime
    assert wf.to_yaml(True) == "true" and wf.to_yaml(None) == "null"
    assert wf.to_yaml([1, 2.5, "Tue"]) == "[1, 2.5, Tue]"
    assert wf.to_yaml({"city": 0.4, "county": 0.6}) == "{city: 0.4, county: 0.6}"
    assert wf.to_yaml(datetime.date(2025, 10, 1)) == "2025-10-01"
    assert wf.to_yaml(np.int64(3)) == "3" and wf.to_yaml("a: b") == '"a: b"'


def test_arrays_layout(wf, reference):
    """daily is [replicate][day][org] per scenario: the daily admissions sum to
    the replicate totals of the summary."""
    res = wf.run(reference, replicates=2, threads=2, overrides={"run.days": 30})
    d, s = res.daily, res.summary
    assert d["occupancy"].dims == ("scenario", "replicate", "day", "organisation")
    assert s["admissions"].dims == ("scenario", "replicate", "organisation")
    assert d["admissions"].attrs["units"] == "patients"
    assert list(d.organisation.values)[-1] == "system"
    total = d["admissions"].sum("day", skipna=False)
    np.testing.assert_allclose(total.values, s["admissions"].values, rtol=1e-12)
    assert d["day"].values[0] == np.datetime64("2025-10-01")
    assert d.sizes["day"] == 30


def test_params_and_metrics(wf):
    p = wf.params()
    assert {"key", "type", "default", "min", "max", "unit", "doc"} <= set(p.columns)
    row = p.set_index("key").loc["hospitals.<hospital>.beds"]
    assert row["type"] == "int"
    assert wf.param("run.days")["min"] == 1
    m = wf.metrics()
    assert {"delayed_bed_days", "occupancy", "nctr_patients"} <= set(m["name"])
    assert set(m["kind"]) == {"total", "mean"}
