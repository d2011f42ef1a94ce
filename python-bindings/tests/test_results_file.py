"""Results files: Results.save writes the library's HDF5 file; open_results
reads it back through the library, open_dataset through xarray (h5netcdf),
with the same dimensions and names as a run in memory."""

import numpy as np
import pytest


def test_save_and_open(wf, reference, tmp_path):
    res, diff = wf.compare(reference, partnership=["fragmented", "integrated"],
                           replicates=2, run__days=20)
    path = tmp_path / "r.h5"
    res.save(path)
    with pytest.raises(wf.WinterflowIOError):
        res.save(path)                      # exists, no overwrite
    back = wf.open_results(path)
    assert back.organisations == res.organisations and back.replicates == 2
    for v in ("occupancy", "delayed_bed_days"):
        np.testing.assert_array_equal(back.daily[v].values, res.daily[v].values)
        np.testing.assert_array_equal(back.summary[v].values, res.summary[v].values)
    a = back.paired(0, metrics=["delayed_bed_days"])
    b = res.paired(0, metrics=["delayed_bed_days"])
    np.testing.assert_array_equal(a["mean"].values, b["mean"].values)

    ds = wf.open_dataset(path)
    assert ds["occupancy"].dims == ("scenario", "replicate", "day", "organisation")
    np.testing.assert_array_equal(ds["occupancy"].values, res.daily["occupancy"].values)
    assert ds["day"].values[0] == res.daily["day"].values[0]
    sm = wf.open_dataset(path, group="summary")
    np.testing.assert_array_equal(sm["admissions"].values, res.summary["admissions"].values)


def test_sweep_coordinates(wf, reference, tmp_path):
    """A sweep from Python writes its numeric swept key as a coordinate on
    the scenario dimension of the file, as `winterflow sweep` does (it is
    the same library call)."""
    path = tmp_path / "s.h5"
    res = wf.sweep(reference, {"partnership.pooled_capacity": [0, 0.5]}, replicates=1,
                   overrides={"run.days": 10}, out=path)
    sm = wf.open_dataset(path, group="summary")
    key = "partnership.pooled_capacity"
    assert key in sm.coords and sm[key].dims == ("scenario",)
    np.testing.assert_array_equal(sm[key].values, [0.0, 0.5])
    picked = sm.swap_dims(scenario=key)["delayed_bed_days"].sel({key: 0.5})
    np.testing.assert_array_equal(picked.values, res.summary["delayed_bed_days"].values[1])


def test_event_log(wf, reference):
    res = wf.run(reference, replicates=1, run__days=10, event_log=True)
    log = res.event_log()
    assert len(log) > 1000
    assert {"arrival", "admission", "discharge"} <= set(log["event"].astype(str))
    assert log["organisation"].isin(res.organisations).all()
