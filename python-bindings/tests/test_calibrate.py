"""Calibration from Python (wf.calibrate, Calibration, the plots) and the
converter of NHS England's layouts (winterflow.observed). The system is
tests/fixtures/calibrate.yaml (a few milliseconds a replicate)."""

import json
import os
import subprocess

import numpy as np
import pytest

from conftest import ROOT

SMALL = os.path.join(ROOT, "tests", "fixtures", "calibrate.yaml")
VARY = {"localities.north.emergency_admissions_per_day": (5, 30),
        "partnership.assessment_delay.mean_days": (0.2, 4)}


def _png(fig, path):
    fig.savefig(path, dpi=60)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000


@pytest.fixture(scope="module")
def observed(wf, tmp_path_factory):
    """One replicate at known values (15 a day, 1.5 days), seed 99: admissions
    by day and the on-the-day share by month, in the observed format."""
    path = tmp_path_factory.mktemp("observed") / "observed.csv"
    res = wf.run(SMALL, replicates=1, seed=99, overrides={
        "localities.north.emergency_admissions_per_day": 15, "partnership.assessment_delay.mean_days": 1.5})
    daily = res.daily
    adm = daily["admissions"].sel(organisation="system").isel(scenario=0, replicate=0)
    rows = [(str(d)[:10], "system", "admissions", float(v)) for d, v in zip(adm["day"].values, adm.values)]
    share = daily["discharged_on_ready_date"].sel(organisation="system").isel(scenario=0, replicate=0)
    for month in ("2025-10", "2025-11"):
        sel = share.sel(day=share["day"].dt.strftime("%Y-%m") == month)
        rows.append((month, "system", "discharged_on_ready_date", float(np.nanmean(sel.values))))
    wf.observed.write(rows, path)
    return path


@pytest.fixture(scope="module")
def calibration(wf, observed, tmp_path_factory):
    out = tmp_path_factory.mktemp("cal") / "cal.h5"
    return wf.calibrate(SMALL, observed, VARY, budget=200, particles=20, threads=2, out=out)


def test_calibrate(wf, calibration):
    cal = calibration
    p = cal.parameters
    assert list(p.index) == list(VARY)
    assert set(p.columns) >= {"mean", "sd", "lo", "hi", "prior_lo", "prior_hi", "width"}
    for key, (lo, hi) in VARY.items():
        assert lo <= p.loc[key, "lo"] <= p.loc[key, "mean"] <= p.loc[key, "hi"] <= hi
    rate = p.loc["localities.north.emergency_admissions_per_day"]
    assert rate["lo"] <= 15 <= rate["hi"] and rate["width"] < 0.5
    g = cal.generations
    assert len(g) >= 2 and g["acceptance"].iloc[0] == 1.0 and g["simulations"].iloc[-1] == cal.simulations <= 200
    parts = cal.particles
    assert len(parts) == 20 and abs(parts["weight"].sum() - 1) < 1e-12
    s = cal.series
    assert list(s["period"]) == ["day", "month"] and list(s["rows"]) == [61, 2]
    o = cal.observations
    assert len(o) == 63 and (o["lo"] <= o["hi"]).all()
    # the file reads back to the same numbers
    back = wf.read_calibration(cal.path)
    assert back.parameters.equals(p) and back.particles.equals(parts) and back.generations.equals(g)


def test_calibration_plots(wf, calibration, tmp_path):
    _png(wf.plots.posterior(calibration), tmp_path / "posterior.png")
    _png(wf.plots.fit(calibration), tmp_path / "fit.png")
    _png(wf.plots.convergence(calibration), tmp_path / "convergence.png")


def test_cli_equivalence(wf, cli, calibration, observed, tmp_path):
    """The CLI's calibration of the same data, ranges and seed is the same
    calibration, number for number; its --json has the documented shape."""
    args = [cli, "calibrate", SMALL, "--observed", str(observed), "--budget", "200", "--particles", "20",
            "--threads", "1", "--json", "--quiet"]
    for k, (lo, hi) in VARY.items():
        args += ["--vary", f"{k}={float(lo)!r}:{float(hi)!r}"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    d = json.loads(out)
    assert set(d) >= {"parameters", "metrics", "simulations", "generations"}
    assert d["simulations"] == calibration.simulations
    for k, row in calibration.parameters.iterrows():
        assert d["parameters"][k]["mean"] == row["mean"]
        assert (d["parameters"][k]["lo"], d["parameters"][k]["hi"]) == (row["lo"], row["hi"])
    m = d["metrics"]["admissions at system, by day"]
    assert m["rows"] == 61 and m["period"] == "day" and m["lo"] <= m["mean"] <= m["hi"]


def test_posterior_runs(wf, calibration):
    """compare with a posterior: the same draw for replicate r in every
    configuration, and a key the configurations differ in is refused."""
    cmp = wf.compare(SMALL, partnership__trusted_assessor=[False, True], replicates=4, posterior=calibration)
    draws = cmp.results.posterior_draws
    assert draws is not None and len(draws) == 4 and all(0 <= d < 20 for d in draws)
    plain = wf.compare(SMALL, partnership__trusted_assessor=[False, True], replicates=4)
    assert plain.results.posterior_draws is None
    with pytest.raises(wf.InvalidArgumentError, match="differs between the scenarios"):
        wf.compare(SMALL, partnership__assessment_delay__mean_days=[1, 2], replicates=2, posterior=calibration.path)


# ---- the converter of NHS England's layouts ------------------------------------

def _write(path, text):
    path.write_text(text)
    return path


def test_convert_discharge_sitrep(wf, tmp_path):
    f = _write(tmp_path / "sitrep.csv",
               "Acute discharge situation report,,,,\n"
               "Number of patients not discharged (no longer meeting the criteria to reside),,,,\n"
               ",,,,\n"
               "Region,Org Code,Org Name,01/10/2025,02/10/2025\n"
               "North East,RXX,City Hospitals NHS Trust,101,97\n"
               "North East,RYY,County Hospital NHS Trust,55,-\n"
               "London,RZZ,Elsewhere,9,9\n")
    df = wf.observed.convert("discharge-sitrep", f, {"RXX": "city", "RYY": "county"}, system=True)
    rows = sorted(map(tuple, df.values.tolist()))
    assert rows == [("2025-10-01", "city", "nctr_patients_8am", 101.0),
                    ("2025-10-01", "county", "nctr_patients_8am", 55.0),
                    ("2025-10-01", "system", "nctr_patients_8am", 156.0),
                    ("2025-10-02", "city", "nctr_patients_8am", 97.0)]  # no system total without county


def test_convert_discharge_ready_date(wf, tmp_path):
    f = _write(tmp_path / "drd.csv",
               "Discharge Ready Date,,,\n"
               "Period,Org Code,Org Name,% of discharges on discharge ready date,Average days delayed\n"
               "Nov-24,RXX,City,86.5%,0.9\n"
               "2024-12,RXX,City,84.1,1.1\n"
               "Nov-24,RZZ,Elsewhere,90.0%,0.5\n")
    df = wf.observed.convert("discharge-ready-date", [f], {"RXX": "city"})
    assert df.values.tolist() == [["2024-11", "city", "discharged_on_ready_date", 0.865],
                                  ["2024-12", "city", "discharged_on_ready_date", 0.841]]


def test_convert_ga_beds(wf, tmp_path):
    f = _write(tmp_path / "beds.csv",
               "G&A beds,,,,,,,\n"
               ",,06/01/2025,,,07/01/2025,,\n"
               "Code,Name,G&A beds open,G&A beds occ'd,G&A occupancy rate,G&A beds open,G&A beds occ'd,"
               "G&A occupancy rate\n"
               "RXX,City,1000,950,95.0%,1000,960,96.0%\n"
               "RYY,County,500,480,96.0%,,,94.0%\n")
    df = wf.observed.convert("ga-beds", f, {"RXX": "city", "RYY": "county"}, system=True)
    got = {(d, o): v for d, o, m, v in df.values.tolist()}
    assert got == {("2025-01-06", "city"): 0.95, ("2025-01-06", "county"): 0.96,
                   ("2025-01-06", "system"): 1430 / 1500, ("2025-01-07", "city"): 0.96,
                   ("2025-01-07", "county"): 0.94}
    # the converted file is what the library reads
    out = tmp_path / "observed.csv"
    wf.observed.write(df, out)
    assert wf.observed.read(out).shape == (5, 4)


def test_convert_errors(wf, tmp_path):
    bad = _write(tmp_path / "bad.csv", "Code,Name,06/01/2025\nRXX,City,lots\n")
    with pytest.raises(wf.observed.ObservedError, match=r"bad.csv: line 2: 'lots' is not a number"):
        wf.observed.convert("discharge-sitrep", bad, {"RXX": "city"})
    nohead = _write(tmp_path / "nohead.csv", "a,b\n1,2\n")
    with pytest.raises(wf.observed.ObservedError, match="no header row"):
        wf.observed.convert("discharge-sitrep", nohead, {"RXX": "city"})
    nodate = _write(tmp_path / "nodate.csv", ",,soon,\nCode,Name,G&A beds open,G&A beds occ'd\nRXX,C,1,1\n")
    with pytest.raises(wf.observed.ObservedError, match=r"nodate.csv: line 1: 'soon' is not a date"):
        wf.observed.convert("ga-beds", nodate, {"RXX": "city"})
    month = _write(tmp_path / "month.csv", "Period,Org Code,% discharged on discharge ready date\nlater,RXX,80\n")
    with pytest.raises(wf.observed.ObservedError, match=r"month.csv: line 2: 'later' is not a month"):
        wf.observed.convert("discharge-ready-date", month, {"RXX": "city"})
    ok = _write(tmp_path / "ok.csv", "Code,Name,06/01/2025\nRXX,City,5\n")
    with pytest.raises(wf.observed.ObservedError, match="given twice"):
        wf.observed.convert("discharge-sitrep", [ok, ok], {"RXX": "city"})
    with pytest.raises(wf.observed.ObservedError, match="no rows for the organisations"):
        wf.observed.convert("discharge-sitrep", ok, {"RQQ": "city"})
    with pytest.raises(wf.observed.ObservedError, match="unknown layout"):
        wf.observed.convert("kh03", ok, {"RXX": "city"})


def test_convert_command_line(wf, tmp_path):
    import sys
    f = _write(tmp_path / "sitrep.csv", "Org Code,Org Name,01/10/2025,02/10/2025\nRXX,City,10,12\n")
    out = tmp_path / "observed.csv"
    r = subprocess.run([sys.executable, "-m", "winterflow.observed", "--layout", "discharge-sitrep",
                        "--org", "RXX=city", str(f), "--out", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert out.read_text().splitlines() == ["date,organisation,metric,value",
                                            "2025-10-01,city,nctr_patients_8am,10.0",
                                            "2025-10-02,city,nctr_patients_8am,12.0"]
    r = subprocess.run([sys.executable, "-m", "winterflow.observed", "--layout", "discharge-sitrep",
                        "--org", "RXX=city", str(tmp_path / "missing.csv"), "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 3 and "cannot read" in r.stderr
