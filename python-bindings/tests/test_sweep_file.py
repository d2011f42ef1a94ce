"""A sweep written from Python equals the CLI's, object by object (h5py):
both are the library's wf_sweep, so the points, their names, the
coordinates and every number must agree. Only the attributes that record
the occasion (times, threads, the command line, the rerun recipe that names
the file) may differ. Also: a sweep stopped after its first chunk and run
again equals one that ran through."""

import os
import subprocess

import h5py
import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TINY = os.path.join(ROOT, "tests", "cli", "tiny.yaml")
OCCASION = {"created", "run_started", "run_finished", "threads", "command_line", "rerun"}


def _attr(obj, key, value):
    if key in ("DIMENSION_LIST", "REFERENCE_LIST"):  # object references: by target
        return repr([[obj.file[r].name for r in np.ravel(x) if isinstance(r, h5py.Reference)]
                     if not isinstance(x, h5py.Reference) else [obj.file[x].name]
                     for x in np.ravel(np.asarray(value, dtype=object))])
    a = np.asarray(value)
    return (a.tolist() if a.dtype.kind == "O" else a.tobytes(), a.dtype.str)


def _attrs(obj):
    return {k: _attr(obj, k, v) for k, v in obj.attrs.items() if k not in OCCASION}


def assert_same_file(pa, pb):
    with h5py.File(pa, "r") as a, h5py.File(pb, "r") as b:
        na, nb = [], []
        a.visit(na.append)
        b.visit(nb.append)
        assert sorted(na) == sorted(nb), set(na) ^ set(nb)
        assert _attrs(a) == _attrs(b), "root attributes differ"
        for n in na:
            x, y = a[n], b[n]
            assert type(x) is type(y), n
            assert _attrs(x) == _attrs(y), f"attributes of {n} differ"
            if isinstance(x, h5py.Dataset):
                assert x.shape == y.shape and x.dtype == y.dtype, n
                u, v = x[()], y[()]
                if x.dtype.kind == "O":
                    assert np.asarray(u).tolist() == np.asarray(v).tolist(), n
                else:
                    assert np.asarray(u).tobytes() == np.asarray(v).tobytes(), n
        return len(na)


def cli_sweep(cli, out, *args):
    subprocess.run([cli, "sweep", TINY, "--set", "run.days=30", "--replicates", "3", "--quiet",
                    "--out", str(out), *args], check=True, capture_output=True)


GRID_CLI = ["--vary", "hospitals.city.beds=44:66:11", "--vary", "partnership.preset=fragmented,integrated",
            "--vary", "partnership.funding_panel_weekdays=[Tue, Thu],[]"]
GRID_PY = {"hospitals.city.beds": "44:66:11", "partnership.preset": ["fragmented", "integrated"],
           "partnership.funding_panel_weekdays": [["Tue", "Thu"], []]}


@pytest.mark.parametrize("design", ["grid", "lhs", "csv", "one key"])
def test_python_sweep_equals_cli(wf, cli, tmp_path, design):
    kw = {}
    if design == "grid":
        args, kw["vary"] = GRID_CLI, GRID_PY
    elif design == "lhs":
        args = ["--samples", "5", "--vary", "hospitals.city.beds=40:80", "--vary",
                "partnership.pooled_capacity=0:1", "--vary", "partnership.preset=fragmented,integrated",
                "--seed", "3"]
        kw = {"vary": {"hospitals.city.beds": (40, 80), "partnership.pooled_capacity": (0, 1),
                       "partnership.preset": ["fragmented", "integrated"]}, "samples": 5, "seed": 3}
    elif design == "csv":
        csv = tmp_path / "d.csv"
        csv.write_bytes(b"\xef\xbb\xbfhospitals.city.beds,partnership.funding_panel_weekdays\r\n"
                        b"50,\"[Tue, Thu]\"\r\n60,\r\n")
        args, kw["design_file"] = ["--design-file", str(csv)], csv
    else:
        args, kw["vary"] = ["--vary", "partnership.pooled_capacity=0,0.5,1"], \
            {"partnership.pooled_capacity": [0, 0.5, 1]}
    cli_sweep(cli, tmp_path / "cli.h5", *args, "--threads", "2")
    res = wf.sweep(TINY, overrides={"run.days": 30}, replicates=3, threads=1, chunk=2,
                   out=tmp_path / "py.h5", **kw)
    assert assert_same_file(tmp_path / "cli.h5", tmp_path / "py.h5") > 50
    assert res.replicates == 3 and len(res.scenarios) == len(set(res.scenarios))


def test_stopped_sweep_resumes_to_the_same_file(wf, cli, tmp_path):
    cli_sweep(cli, tmp_path / "cli.h5", *GRID_CLI)
    out = tmp_path / "py.h5"
    with pytest.raises(wf.CancelledError):
        # stop in the second chunk: the first (two points) is saved
        wf.sweep(TINY, GRID_PY, overrides={"run.days": 30}, replicates=3, threads=1, chunk=2,
                 out=out, progress=lambda done, total: done > 6)
    with h5py.File(out, "r") as f:
        assert len(f["scenario"]) == 2
    res = wf.sweep(TINY, GRID_PY, overrides={"run.days": 30}, replicates=3, out=out)
    assert len(res.scenarios) == 12
    assert_same_file(tmp_path / "cli.h5", out)
    # another design on the same file: refused, the file kept
    with pytest.raises(wf.WinterflowIOError, match="another sweep"):
        wf.sweep(TINY, {"hospitals.city.beds": [50]}, overrides={"run.days": 30}, replicates=3, out=out)
    assert_same_file(tmp_path / "cli.h5", out)


def test_python_compare_file_equals_cli(wf, cli, tmp_path):
    # compare's configurations are design points too: same names, same file
    subprocess.run([cli, "compare", TINY, "--partnership", "fragmented,integrated", "--set", "run.days=30",
                    "--replicates", "3", "--quiet", "--out", str(tmp_path / "cli.h5")],
                   check=True, capture_output=True)
    res, _ = wf.compare(TINY, partnership=["fragmented", "integrated"], overrides={"run.days": 30},
                        replicates=3)
    assert res.scenarios == ["fragmented", "integrated"]
    res.save(tmp_path / "py.h5")
    assert_same_file(tmp_path / "cli.h5", tmp_path / "py.h5")


def test_parts_read_as_the_whole_sweep(wf, cli, tmp_path):
    # A job array's parts (--part K/N; part=(k, n) from Python): each file
    # holds its points in order, and the parts read together (open_dataset
    # of a list) equal the whole sweep, daily series and summaries alike.
    cli_sweep(cli, tmp_path / "whole.h5", *GRID_CLI)
    parts = [tmp_path / f"part{k}.h5" for k in (1, 2, 3, 4, 5)]
    for k, p in enumerate(parts, 1):
        if k == 2:
            wf.sweep(TINY, GRID_PY, overrides={"run.days": 30}, replicates=3, out=p, part=(2, 5))
        else:
            cli_sweep(cli, p, *GRID_CLI, "--part", f"{k}/5")
    with h5py.File(tmp_path / "whole.h5", "r") as f:
        names = [bytes(n).rstrip(b"\0").decode() for n in f["scenario"][()]]
    got = []
    for p in parts:
        with h5py.File(p, "r") as f:
            got.append([bytes(n).rstrip(b"\0").decode() for n in f["scenario"][()]])
    assert [len(g) for g in got] == [2, 2, 3, 2, 3]  # 12 points: (k-1)*12//5 .. k*12//5
    assert sum(got, []) == names
    for group in (None, "summary"):
        whole = wf.open_dataset(tmp_path / "whole.h5", group=group)
        joined = wf.open_dataset(parts, group=group)
        assert list(joined["scenario"].values) == list(whole["scenario"].values)
        for v in whole.data_vars:
            assert joined[v].dims == whole[v].dims, v
            assert np.array_equal(joined[v].values, whole[v].values,
                                  equal_nan=joined[v].dtype.kind == "f"), (group, v)
        for c in whole.coords:
            assert np.array_equal(joined[c].values, whole[c].values), (group, c)
    # The library reads them as one too (wf_results_read_parts): Python's
    # open_results of a list, and the CLI's report and export of several files.
    whole, joined = wf.open_results(tmp_path / "whole.h5"), wf.open_results(parts)
    assert joined.scenarios == whole.scenarios
    for a, b in ((whole.daily, joined.daily), (whole.summary, joined.summary)):
        assert a.equals(b)  # every variable and coordinate (attributes apart: the provenance)
    assert joined.table().equals(whole.table())
    for name, files in (("whole", [tmp_path / "whole.h5"]), ("parts", parts)):
        done = subprocess.run([cli, "export", *map(str, files), "--csv", str(tmp_path / f"csv-{name}")],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    for table in ("summaries", "differences", "daily"):
        assert (tmp_path / "csv-whole" / f"{table}.csv").read_bytes() == \
            (tmp_path / "csv-parts" / f"{table}.csv").read_bytes(), table
    page = subprocess.run([cli, "report", *map(str, parts), "--out", str(tmp_path / "parts.html")],
                          capture_output=True, text=True)
    assert page.returncode == 0, page.stderr
    assert f"{parts[0]}, {parts[1]}" in (tmp_path / "parts.html").read_text()
    # not the parts of one study: a file given twice, or a run of other days
    with pytest.raises(wf.InvalidArgumentError, match="is also in"):
        wf.open_results([parts[0], parts[0]])
    wf.sweep(TINY, GRID_PY, overrides={"run.days": 31}, replicates=3, out=tmp_path / "days31.h5", part=(3, 5))
    other = subprocess.run([cli, "export", str(parts[0]), str(tmp_path / "days31.h5"), "--csv",
                            str(tmp_path / "csv-bad")], capture_output=True, text=True)
    assert other.returncode == 4 and "days31.h5: not a part of the same study as" in other.stderr
    assert "31 days from" in other.stderr and not (tmp_path / "csv-bad").exists()
    bad = subprocess.run([cli, "sweep", TINY, *GRID_CLI, "--part", "13/13", "--out", str(tmp_path / "x.h5")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "at most one part per point" in bad.stderr
    assert not (tmp_path / "x.h5").exists()
