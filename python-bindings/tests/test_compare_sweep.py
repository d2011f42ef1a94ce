"""compare and sweep: one wf_run on common random numbers."""

import numpy as np


def test_compare(wf, reference):
    res, diff = wf.compare(reference, partnership=["fragmented", "integrated"],
                           replicates=3, threads=2, run__days=45)
    assert res.scenarios == ["fragmented", "integrated"]
    assert res.daily.sizes["scenario"] == 2
    assert {"scenario", "baseline", "metric", "organisation", "mean", "lo", "hi", "baseline_mean"} <= set(diff.columns)
    row = diff[(diff.metric == "delayed_bed_days") & (diff.organisation == "system")].iloc[0]
    assert row.scenario == "integrated" and row.baseline == "fragmented"
    # the paired difference is the difference of the per-replicate summaries
    s = res.summary["delayed_bed_days"].sel(organisation="system").values
    assert abs(row["mean"] - (s[1] - s[0]).mean()) <= 1e-9 * abs(row["mean"])
    assert row.lo <= row["mean"] <= row.hi
    # the same configurations run separately give the same numbers (CRN by seed)
    alone = wf.run(reference, replicates=3, threads=1, run__days=45, partnership__preset="integrated")
    np.testing.assert_array_equal(
        alone.summary["delayed_bed_days"].sel(organisation="system").values[0], s[1])


def test_compare_configurations_dict(wf, reference):
    res, diff = wf.compare(reference, {"weekly panel": {}, "delegated": {"partnership.funding_panel_weekdays": []}},
                           replicates=2, overrides={"run.days": 30})
    assert res.scenarios == ["weekly panel", "delegated"]
    assert set(diff.scenario) == {"delegated"}


def test_sweep_grid(wf, reference):
    res = wf.sweep(reference, vary={"partnership.pooled_capacity": [0, 0.5, 1],
                                    "partnership.seven_day_working": [False, True]},
                   replicates=2, overrides={"run.days": 30})
    assert res.daily.sizes["scenario"] == 6
    assert list(res.summary["partnership.pooled_capacity"].values) == [0, 0, 0.5, 0.5, 1, 1]
    t = res.table(metrics=["delayed_bed_days"], organisations=["system"])
    assert len(t) == 6 and "partnership.seven_day_working" in t.columns
    grid = res.summary.set_index(scenario=["partnership.pooled_capacity",
                                           "partnership.seven_day_working"]).unstack("scenario")
    assert grid["delayed_bed_days"].sizes["partnership.pooled_capacity"] == 3
