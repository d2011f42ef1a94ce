"""Results files written by `winterflow run --out`, read by the Python
ecosystem (docs/results-file.md). Run by ctest (tests/h5_python.cmake) as
    /usr/bin/python3 -m pytest tests/test_h5_python.py
with WF_CLI naming the winterflow program; without it the tests skip.

Checks: h5py, xarray (h5netcdf and, where installed, netCDF4) and h5dump
read the file with named dimensions, coordinates, decoded dates and
attributes, without warnings; the values equal the --json summary of the
same run; the provenance command re-runs to byte-identical datasets (with
another thread count); an existing file is refused without --force; a
killed or failing write leaves the earlier file intact and no temporary
file; HDF5 prints nothing of its own."""
import json
import math
import os
import re
import shutil
import signal
import subprocess
import warnings

import pytest

# Dependencies of the tests, installed by scripts/test.sh: a missing one is
# a failure here, never a skip.
import h5netcdf  # noqa: E402,F401
import h5py  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402

CLI = os.environ.get("WF_CLI")
# the same program linked with tests/fault_inject.c (WF_TEST_* variables)
CLI_FAULTS = os.environ.get("WF_CLI_FAULTS")
SRC = os.environ.get("WF_SOURCE_DIR", os.path.join(os.path.dirname(__file__), ".."))
TINY = os.path.join(SRC, "tests", "cli", "tiny.yaml")

pytestmark = pytest.mark.skipif(not CLI or not os.path.exists(CLI), reason="WF_CLI not set")


def run(args, cwd, env=None, check=True, cli=None):
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run([cli or CLI, "run", TINY] + args, cwd=cwd, env=e, capture_output=True, text=True)
    if check:
        assert p.returncode == 0, p.stderr
    return p


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    d = tmp_path_factory.mktemp("h5")
    p = run(["--out", "res.h5", "--json", "--threads", "2"], cwd=d)
    assert "HDF5" not in p.stderr
    return d, d / "res.h5", json.loads(p.stdout)


def text(ds, i):
    """Entry i of a text variable (a netCDF char array: rows of bytes)."""
    return ds[i].tobytes().rstrip(b"\0").decode()


def tmp_files(d):
    return [n for n in os.listdir(d) if ".tmp-" in n]


def test_h5py_reads_it(made):
    d, path, js = made
    with h5py.File(path, "r") as f:
        assert f["admissions"].shape == (1, js["replicates"], js["days"], len(js["organisations"]))
        assert f["admissions"].dtype == np.float64
        assert f["summary/admissions"].shape == (1, js["replicates"], len(js["organisations"]))
        assert list(f["scenario_complete"][()]) == [1]
        assert f.attrs["seed"] == js["seed"]
        assert f.attrs["replicates"] == js["replicates"]
        assert f.attrs["threads"] == 2
        assert "DIMENSION_LIST" in f["admissions"].attrs
        assert f["day"].attrs["units"] == b"days since " + js["start_date"].encode() or \
            f["day"].attrs["units"] == "days since " + js["start_date"]
        yaml = text(f["scenario_yaml"], 0)
        assert "every parameter explicit" in yaml and "hospitals:" in yaml
        assert f["parameters/scenario_0"].attrs["hospitals.city.beds"] == 60
        assert "--out res.h5" in f.attrs["command_line"].decode()


def open_ds(path, engine, group=None):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ds = xr.open_dataset(path, engine=engine, group=group)
        ds.load()
    return ds


def check_xarray(path, js, engine):
    ds = open_ds(path, engine)
    assert dict(ds.sizes) == {"scenario": 1, "replicate": js["replicates"], "day": js["days"],
                              "organisation": len(js["organisations"])}
    for c in ("scenario", "replicate", "day", "organisation", "organisation_kind"):
        assert c in ds.coords
    assert list(ds["scenario"].values) == [js["scenario"]]
    assert list(ds["replicate"].values) == list(range(js["replicates"]))
    assert np.issubdtype(ds["day"].dtype, np.datetime64)
    assert str(ds["day"].values[0])[:10] == js["start_date"]
    assert (np.diff(ds["day"].values) == np.timedelta64(1, "D")).all()
    assert set(ds["organisation"].values) == set(js["organisations"])
    kinds = dict(zip(ds["organisation"].values, ds["organisation_kind"].values))
    for org, blk in js["organisations"].items():
        assert kinds[org] == blk["kind"]
    a = ds["admissions"]
    assert a.dims == ("scenario", "replicate", "day", "organisation")
    assert a.attrs["units"] == "patients" and a.attrs["cell_methods"] == "day: sum"
    assert a.attrs["long_name"]
    assert ds.attrs["seed"] == js["seed"] and ds.attrs["winterflow_version"]
    assert "winterflow run" in ds.attrs["rerun"]
    # Daily totals add up to the window's summary.
    sm = open_ds(path, engine, group="summary")
    assert dict(sm.sizes) == {"scenario": 1, "replicate": js["replicates"],
                              "organisation": len(js["organisations"])}
    assert set(sm["organisation"].values) == set(js["organisations"])
    np.testing.assert_allclose(a.sum("day", skipna=False).values, sm["admissions"].values, rtol=1e-12)
    # Every summary equals the --json statistics of the same run.
    n_checked = 0
    for org, blk in js["organisations"].items():
        for name, st in blk["metrics"].items():
            v = sm[name].sel(scenario=js["scenario"], organisation=org).values
            v = v[~np.isnan(v)]
            assert len(v) == st["n"], (org, name)
            if st["n"] == 0:
                continue
            assert math.isclose(v.mean(), st["mean"], rel_tol=1e-12, abs_tol=1e-12), (org, name)
            if st["n"] > 1 and st["sd"] is not None:
                assert math.isclose(v.std(ddof=1), st["sd"], rel_tol=1e-9, abs_tol=1e-9), (org, name)
            assert sm[name].attrs["units"] == {"hours": "h", "days": "d"}.get(st["unit"], st["unit"]) or not st["unit"]
            assert not np.issubdtype(sm[name].dtype, np.timedelta64)
            n_checked += 1
    assert n_checked > 20
    par = open_ds(path, engine, group="parameters/scenario_0")
    assert par.attrs["hospitals.city.beds"] == 60
    assert par.attrs["run.start_date"] == js["start_date"]


def test_xarray_h5netcdf(made):
    d, path, js = made
    check_xarray(path, js, "h5netcdf")


def test_xarray_netcdf4(made):
    import netCDF4  # noqa: F401 (python3-netcdf4, installed by scripts/test.sh)
    d, path, js = made
    check_xarray(path, js, "netcdf4")


def test_h5dump(made):
    d, path, js = made
    h5dump = shutil.which("h5dump")
    assert h5dump, "h5dump (hdf5-tools, installed by scripts/test.sh) is not on PATH"
    p = subprocess.run([h5dump, "-H", str(path)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert 'DATASET "admissions"' in p.stdout and 'GROUP "summary"' in p.stdout
    assert "DIMENSION_LIST" in p.stdout


def test_ncdump(made):
    d, path, js = made
    ncdump = shutil.which("ncdump")
    assert ncdump, "ncdump (netcdf-bin, installed by scripts/test.sh) is not on PATH"
    p = subprocess.run([ncdump, "-h", str(path)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "scenario = UNLIMITED" in p.stdout
    assert re.search(r"double admissions\(scenario, replicate, day, organisation\)", p.stdout)


def datasets(path):
    """Every dataset's stored bytes: chunk by chunk as written (compressed)."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if not isinstance(obj, h5py.Dataset):
                return
            if obj.chunks is None:
                out[name] = obj[()].tobytes() if obj.dtype.kind != "O" else repr(obj[()].tolist())
            elif obj.dtype.kind == "O":
                out[name] = repr(obj[()].tolist())
            else:
                chunks = []
                for i in range(obj.id.get_num_chunks()):
                    info = obj.id.get_chunk_info(i)
                    chunks.append((info.chunk_offset, info.filter_mask, obj.id.read_direct_chunk(info.chunk_offset)[1]))
                out[name] = chunks
        f.visititems(visit)
    return out


def test_rerun_is_byte_identical(made):
    d, path, js = made
    with h5py.File(path, "r") as f:
        cmd = f.attrs["rerun"].decode()
    # The command names `winterflow` on PATH, and reads the scenario from the file itself.
    assert "python" not in cmd and "#0" in cmd
    cmd = cmd.replace("winterflow run", CLI + " run")
    p = subprocess.run(["bash", "-c", cmd], cwd=d, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    a, b = datasets(path), datasets(d / "rerun_0.h5")
    assert a.keys() == b.keys() and len(a) > 40
    for k in a:
        assert a[k] == b[k], k
    with h5py.File(d / "rerun_0.h5", "r") as f:
        assert f.attrs["threads"] != 2 or os.cpu_count() == 2  # another thread count


def test_force(made, tmp_path):
    d, path, js = made
    target = tmp_path / "r.h5"
    shutil.copy(path, target)
    before = target.read_bytes()
    p = run(["--out", str(target)], cwd=tmp_path, check=False)
    assert p.returncode == 4 and "exists (use --force" in p.stderr
    assert target.read_bytes() == before
    run(["--out", str(target), "--force", "--seed", "7"], cwd=tmp_path)
    with h5py.File(target, "r") as f:
        assert f.attrs["seed"] == 7
    assert tmp_files(tmp_path) == []


def test_failed_write_keeps_earlier_file(made, tmp_path):
    d, path, js = made
    target = tmp_path / "r.h5"
    shutil.copy(path, target)
    before = target.read_bytes()
    p = run(["--out", str(target), "--force"], cwd=tmp_path, env={"WF_TEST_FAIL_WRITE_AFTER": "10"}, check=False,
            cli=CLI_FAULTS)
    assert p.returncode == 4
    assert "simulated write failure" in p.stderr and str(target) in p.stderr
    assert "HDF5-DIAG" not in p.stderr
    assert target.read_bytes() == before
    assert tmp_files(tmp_path) == []


def test_killed_write_keeps_earlier_file(made, tmp_path):
    d, path, js = made
    target = tmp_path / "r.h5"
    shutil.copy(path, target)
    before = target.read_bytes()
    p = run(["--out", str(target), "--force"], cwd=tmp_path, env={"WF_TEST_KILL_WRITE_AFTER": "25"}, check=False,
            cli=CLI_FAULTS)
    assert p.returncode == -signal.SIGKILL
    assert target.read_bytes() == before
    assert len(tmp_files(tmp_path)) == 1  # the killed writer's, cleaned by the next write
    run(["--out", str(target), "--force"], cwd=tmp_path)
    assert tmp_files(tmp_path) == []
    with h5py.File(target, "r") as f:
        assert list(f["scenario_complete"][()]) == [1]


def test_unwritable_folder(tmp_path):
    p = run(["--out", str(tmp_path / "no" / "r.h5")], cwd=tmp_path, check=False)
    assert p.returncode == 4
    assert "cannot create a file in folder" in p.stderr and "No such file or directory" in p.stderr
    assert "HDF5-DIAG" not in p.stderr


def test_sweep_coordinates(tmp_path):
    """`winterflow sweep` writes each numeric swept key as a coordinate on
    the scenario dimension (named by the key path, in the root and summary
    groups); xarray lists it among the coordinates, and swap_dims makes it
    the index, so that .sel picks scenarios by swept value. Non-numeric keys
    (a preset) are not coordinates."""
    p = subprocess.run([CLI, "sweep", TINY, "--vary", "hospitals.city.beds=40:60:10",
                        "--vary", "partnership.preset=fragmented,integrated",
                        "--replicates", "2", "--chunk", "4", "--quiet", "--out", "sw.h5"],
                       cwd=tmp_path, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    key = "hospitals.city.beds"
    for group in (None, "summary"):
        ds = open_ds(tmp_path / "sw.h5", "h5netcdf", group)
        assert key in ds.coords, list(ds.coords)
        assert "partnership.preset" not in ds.variables
        c = ds[key]
        assert c.dims == ("scenario",)
        assert c.dtype == np.float64
        assert list(c.values) == [40, 40, 50, 50, 60, 60]
        assert c.attrs["long_name"] == key and c.attrs["key"] == key
        assert key in ds["delayed_bed_days"].coords
        # each scenario's coordinate is the value set in its resolved scenario
        if group is None:
            for i, beds in enumerate(c.values):
                assert re.search(r"\bbeds: %d\b" % beds, str(ds["scenario_yaml"].values[i]))
    # one swept key: swap_dims gives an index that .sel uses
    p = subprocess.run([CLI, "sweep", TINY, "--vary", "hospitals.city.beds=40,50,60",
                        "--replicates", "2", "--quiet", "--out", "one.h5"],
                       cwd=tmp_path, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    s = open_ds(tmp_path / "one.h5", "h5netcdf", "summary").swap_dims(scenario=key)
    picked = s["delayed_bed_days"].sel({key: 50.0, "organisation": "system"})
    assert picked.dims == ("replicate",)
    assert str(picked[key].values) == "50.0"
    # one key: a point is named by its value (the library's naming rule)
    assert picked["scenario"].values.item().startswith("50 #")
