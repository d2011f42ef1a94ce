"""winterflow report and winterflow export, end to end (tests/report.cmake).

report: the page is self-contained (nothing fetched), loads in headless
Chromium without console errors, has its charts (SVG images of real
content), and its screenshot is not blank and shows the charts' colours.
export: the workbook (read back with openpyxl) and the CSV files hold the
numbers of `run --json` and of the file's daily series.

Needs chromium, python3-pil, python3-openpyxl and python3-h5py
(scripts/test.sh installs them); WF_CLI is the winterflow program.
"""

import base64
from html import unescape
import csv
import json
import math
import os
import re
import shutil
import subprocess

import pytest

WF = os.environ.get("WF_CLI", "build/winterflow")
SRC = os.environ.get("WF_SOURCE_DIR", ".")
TINY = os.path.join(SRC, "tests", "cli", "tiny.yaml")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# the first colour of the charts' palette (Okabe and Ito's blue)
CHART_BLUE = (0, 114, 178)


def wf(*args, ok=True):
    p = subprocess.run([WF, *map(str, args)], capture_output=True, text=True, timeout=120)
    if ok:
        assert p.returncode == 0, f"winterflow {' '.join(map(str, args))}: {p.returncode}\n{p.stderr}"
    return p


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("report")
    out = {}
    out["compare"] = d / "compare.h5"
    wf("compare", TINY, "--partnership", "fragmented,integrated", "--replicates", 3, "--quiet", "--out",
       out["compare"])
    out["grid"] = d / "grid.h5"
    wf("sweep", TINY, "--vary", "partnership.pooled_capacity=0,1", "--vary", "hospitals.city.beds=50,60",
       "--replicates", 2, "--quiet", "--out", out["grid"])
    out["curve"] = d / "curve.h5"
    wf("sweep", TINY, "--vary", "hospitals.city.beds=45:60:5", "--replicates", 2, "--quiet", "--out", out["curve"])
    out["run"] = d / "run.h5"
    js = wf("run", TINY, "--json", "--out", out["run"]).stdout
    out["json"] = json.loads(js)
    out["dir"] = d
    return out


def charts(html):
    """The SVG text of every chart image of the page."""
    return [base64.b64decode(m).decode("utf-8")
            for m in re.findall(r'<img class="chart"[^>]*src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)]


def chromium(args, tmp):
    assert CHROMIUM, "chromium is not installed (scripts/test.sh installs it)"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={tmp}/profile", "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def console_messages(stderr):
    """Console messages (log, warning, error) and uncaught exceptions that
    Chromium logs with --enable-logging=stderr."""
    return [l for l in stderr.splitlines() if ":CONSOLE" in l or "Uncaught" in l]


def test_console_check_catches_errors(tmp_path):
    """The check below can fail: a page that logs an error is caught."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><body><script>console.error('broken page')</script></body></html>")
    p = chromium(["--dump-dom", page.as_uri()], tmp_path)
    assert any("broken page" in l for l in console_messages(p.stderr)), p.stderr


def test_report_in_chromium(files, tmp_path):
    page = tmp_path / "report.html"
    wf("report", files["compare"], "--out", page)
    html = page.read_text(encoding="utf-8")
    # self-contained: no script, and nothing that a browser would fetch
    assert "<script" not in html
    assert not re.search(r'(src|href)="(?!data:|#)', html), "a reference outside the page"
    assert "@import" not in html and "url(" not in html
    for section in ("headline", "differences", "winter", "reasons", "ledger", "provenance"):
        assert f'id="{section}"' in html
    svgs = charts(html)
    # differences, occupancy, NCTR, reasons, ledger
    assert len(svgs) == 5, len(svgs)
    for svg in svgs:
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
        assert len(re.findall(r"<(polyline|path|polygon|rect)", svg)) >= 20, "a chart without content"
        assert len(re.findall(r"<text", svg)) >= 5, "a chart without labels"
    # the provenance: seed, the command that reproduces the file, the scenarios
    assert "winterflow run" in html and "--seed" in html
    assert "integrated" in html and "fragmented" in html

    p = chromium(["--dump-dom", page.as_uri()], tmp_path)
    assert p.returncode == 0, p.stderr
    assert console_messages(p.stderr) == [], console_messages(p.stderr)
    dom = p.stdout
    assert len(re.findall(r'<img class="chart"', dom)) == 5

    shot = tmp_path / "shot.png"
    p = chromium([f"--screenshot={shot}", "--window-size=1000,3000", page.as_uri()], tmp_path)
    assert p.returncode == 0 and shot.exists(), p.stderr
    from PIL import Image, ImageStat
    im = Image.open(shot).convert("RGB")
    stat = ImageStat.Stat(im.convert("L"))
    assert stat.stddev[0] > 20, f"a blank screenshot (pixel standard deviation {stat.stddev[0]:.1f})"
    colours = im.getcolors(maxcolors=1 << 20)
    near_blue = sum(n for n, c in colours if all(abs(a - b) <= 12 for a, b in zip(c, CHART_BLUE)))
    assert near_blue > 500, "the charts' lines and bars are not on the screenshot"


def test_report_sweeps(files, tmp_path):
    page = tmp_path / "grid.html"
    wf("report", files["grid"], "--out", page, "--metric", "delayed_bed_days")
    html = page.read_text(encoding="utf-8")
    assert 'id="sweep"' in html
    svgs = [unescape(s) for s in charts(html)]
    # the five charts of every page, and a heat map of the 2 x 2 grid
    assert len(svgs) == 6
    heat = svgs[-1]
    assert "delayed_bed_days (bed-days), whole system: mean over replicates" in heat
    assert all(label in heat for label in ("50", "60", "partnership.pooled_capacity", "hospitals.city.beds"))
    page = tmp_path / "curve.html"
    wf("report", files["curve"], "--out", page)
    html = page.read_text(encoding="utf-8")
    assert 'id="sweep"' in html
    # the response curves of the two default metrics
    svgs = [unescape(s) for s in charts(html)]
    assert len(svgs) == 7
    assert "delayed_bed_days against hospitals.city.beds" in svgs[-2]
    assert "cost against hospitals.city.beds" in svgs[-1]
    p = chromium(["--dump-dom", page.as_uri()], tmp_path)
    assert console_messages(p.stderr) == [], p.stderr


def test_report_errors(files, tmp_path):
    page = tmp_path / "r.html"
    assert wf("report", files["compare"], ok=False).returncode == 2
    assert wf("report", files["compare"], "--out", page, "--metric", "bogus", ok=False).returncode == 2
    page.write_text("keep")
    p = wf("report", files["compare"], "--out", page, ok=False)
    assert p.returncode == 4 and "exists" in p.stderr and page.read_text() == "keep"
    bad = tmp_path / "bad.h5"
    bad.write_bytes(b"not a results file")
    p = wf("report", bad, "--out", tmp_path / "x.html", ok=False)
    assert p.returncode == 4 and "bad.h5" in p.stderr
    assert sorted(os.listdir(tmp_path)) == ["bad.h5", "r.html"], "a file left behind"
    wf("report", files["compare"], "--out", page, "--force")
    assert page.read_text().startswith("<!DOCTYPE html>")


def close(a, b):
    """Equal as stored: the workbook holds 16 significant digits."""
    return a == b or (math.isfinite(a) and abs(a - b) <= 1e-15 * max(abs(a), abs(b)))


def test_export_equals_json(files, tmp_path):
    import h5py
    import openpyxl
    xlsx, folder = tmp_path / "run.xlsx", tmp_path / "csv"
    wf("export", files["run"], "--xlsx", xlsx, "--csv", folder)
    js = files["json"]
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    assert wb.sheetnames == ["provenance", "metrics", "summaries", "daily"]
    with open(folder / "summaries.csv", newline="", encoding="utf-8") as f:
        csv_rows = list(csv.reader(f))
    xl_rows = [list(r) for r in wb["summaries"].iter_rows(values_only=True)]
    assert xl_rows[0] == csv_rows[0] == ["scenario", "organisation", "kind", "metric", "unit", "mean", "lo", "hi", "n"]
    assert len(xl_rows) == len(csv_rows) > 50
    want = {(org, m): v for org, o in js["organisations"].items() for m, v in o["metrics"].items()}
    assert len(want) == len(xl_rows) - 1, "one row per metric and organisation that applies"
    for xr, cr in zip(xl_rows[1:], csv_rows[1:]):
        scen, org, kind, metric, unit, mean, lo, hi, n = xr
        w = want[(org, metric)]
        assert scen == js["scenario"] and cr[:5] == [scen, org, kind, metric, unit] and unit == w["unit"]
        assert kind == js["organisations"][org]["kind"]
        for name, x, c in (("mean", mean, cr[5]), ("lo", lo, cr[6]), ("hi", hi, cr[7])):
            assert float(c) == w[name], (org, metric, name)      # CSV: exact, as --json
            assert close(x, w[name]), (org, metric, name, x, w[name])
        assert n == int(cr[8]) == w["n"]

    # daily series: the file's values, in both
    with h5py.File(files["run"], "r") as h:
        orgs = [bytes(x).rstrip(b"\0").decode() for x in h["organisation"][:]]
        delayed = h["delayed_bed_days"][0]            # replicate, day, organisation
    with open(folder / "daily.csv", newline="", encoding="utf-8") as f:
        daily = [r for r in csv.DictReader(f) if r["metric"] == "delayed_bed_days"]
    assert len(daily) == delayed.shape[0] * delayed.shape[1] * 3   # system, city, north (not icb)
    xl = [r for r in wb["daily"].iter_rows(values_only=True) if r[4] == "delayed_bed_days"]
    assert len(xl) == len(daily)
    start = js["start_date"]
    for r, x in zip(daily, xl):
        rep, day = int(r["replicate"]), None
        v = delayed[rep, :, orgs.index(r["organisation"])]
        import datetime
        day = (datetime.date.fromisoformat(r["date"]) - datetime.date.fromisoformat(start)).days
        assert float(r["value"]) == v[day]
        assert x[2].date().isoformat() == r["date"] and x[1] == rep and close(x[6], v[day])
        assert x[5] == "bed-days"

    prov = {r[0]: r[2] for r in wb["provenance"].iter_rows(values_only=True)}
    assert prov["seed"] == str(js["seed"]) and prov["replicates"] == str(js["replicates"])
    assert prov["file format"] == "2" and prov["winterflow version (file)"]
    assert prov["command"].startswith("winterflow run") and "--seed" in prov["rerun"]
    assert prov["created"] and "hospitals:" in prov["scenario YAML"]
    units = {r[0]: r[1] for r in wb["metrics"].iter_rows(values_only=True)}
    assert units["delayed_bed_days"] == "bed-days" and units["cost"] == "GBP"


def test_export_differences_and_metric_filter(files, tmp_path):
    folder = tmp_path / "csv"
    wf("export", files["compare"], "--csv", folder, "--metric", "cost")
    with open(folder / "differences.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and {r["metric"] for r in rows} == {"cost"}
    assert {r["scenario"] for r in rows} == {"integrated"} and {r["baseline"] for r in rows} == {"fragmented"}
    with open(folder / "summaries.csv", newline="", encoding="utf-8") as f:
        s = {(r["scenario"], r["organisation"]): float(r["mean"]) for r in csv.DictReader(f)}
    d = {r["organisation"]: float(r["mean"]) for r in rows}
    for org, diff in d.items():   # a paired mean difference is the difference of the means
        assert abs(diff - (s[("integrated", org)] - s[("fragmented", org)])) <= 1e-9 * max(1, abs(diff))
    # existing files are kept unless --force
    p = wf("export", files["compare"], "--csv", folder, ok=False)
    assert p.returncode == 4 and "exists" in p.stderr
    assert wf("export", files["compare"], ok=False).returncode == 2
