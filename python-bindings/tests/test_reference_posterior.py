"""The shipped posterior of the reference (models/data/reference_posterior.h5)
is the calibration of today's reference to the shipped targets, and its
committed summary (reference_posterior.json, printed by the command of
models/data/README.md) is what the file holds.

Re-running the calibration itself takes about 800 core-seconds (bench/), too
long for the test suite: bench/calibrate_bench.sh runs it and compares its
summary with the committed one. These checks make sure that what would be
compared is current: if the reference model changes, this test fails until
the calibration is run again (models/data/README.md)."""

import json
import os

import h5py
import pytest

from conftest import ROOT

DATA = os.path.join(ROOT, "models", "data")
POSTERIOR = os.path.join(DATA, "reference_posterior.h5")
SUMMARY = os.path.join(DATA, "reference_posterior.json")


@pytest.fixture(scope="module")
def cal(wf):
    return wf.read_calibration(POSTERIOR)


def test_file_is_of_todays_reference(wf, reference):
    with h5py.File(POSTERIOR, "r") as f:
        stored = f["scenario_yaml"][()].tobytes().decode()
        observed = [(a.tobytes().decode().rstrip("\0"), b.tobytes().decode().rstrip("\0"),
                     c.tobytes().decode().rstrip("\0"), v)
                    for a, b, c, v in zip(f["observed/date"][()], f["observed/organisation"][()],
                                          f["observed/metric"][()], f["observed/value"][()])]
    assert stored == wf.Scenario.from_file(reference).to_yaml(), (
        "models/reference.yaml changed since models/data/reference_posterior.h5 was calibrated: "
        "run the command of models/data/README.md again")
    targets = wf.observed.read(os.path.join(DATA, "reference_targets.csv"))
    assert [(d, o, m, v) for d, o, m, v in targets.itertuples(index=False)] == observed


def test_summary_is_the_files(cal):
    with open(SUMMARY) as f:
        d = json.load(f)
    assert d["simulations"] == cal.simulations and d["converged"] == cal.converged
    p = cal.parameters
    assert list(d["parameters"]) == list(p.index)
    for key, row in p.iterrows():
        for col in ("mean", "sd", "lo", "hi", "prior_lo", "prior_hi"):
            assert d["parameters"][key][col] == row[col], (key, col)
    g = cal.generations
    assert [x["tolerance"] for x in d["generations"]] == list(g["tolerance"])
    s = cal.series
    assert len(d["metrics"]) == len(s)


def test_posterior_is_usable(cal):
    """A converged or budget-complete population, weights that are not all on
    one particle, every key inside its prior."""
    g = cal.generations
    assert len(g) >= 3 and g["tolerance"].iloc[-1] < g["tolerance"].iloc[0]
    assert g["ess"].iloc[-1] > 10
    p = cal.parameters
    assert ((p["prior_lo"] <= p["lo"]) & (p["hi"] <= p["prior_hi"])).all()
