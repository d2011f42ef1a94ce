"""Each plot is a one-liner returning a Figure; they render to PNG."""

import pytest


@pytest.fixture(scope="module")
def comparison(wf, reference):
    return wf.compare(reference, partnership=["fragmented", "integrated"], replicates=3,
                      run__days=40)


def _png(fig, path):
    fig.savefig(path, dpi=60)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000


def test_winter_plots(wf, comparison, tmp_path):
    for metric in ("occupancy", "nctr_patients"):
        fig = wf.plots.winter(comparison.results, metric=metric)
        _png(fig, tmp_path / f"{metric}.png")


def test_compare_plots(wf, comparison, tmp_path):
    _png(wf.plots.compare(comparison.differences), tmp_path / "compare.png")
    _png(wf.plots.compare(comparison.differences, metric="delayed_bed_days"), tmp_path / "by_org.png")


def test_sweep_plots(wf, reference, tmp_path):
    res = wf.sweep(reference, {"partnership.pooled_capacity": [0, 1],
                               "partnership.referral_delay.mean_days": [0.5, 1.5]},
                   replicates=2, overrides={"run.days": 30})
    _png(wf.plots.sweep(res, "delayed_bed_days", x="partnership.referral_delay.mean_days"),
         tmp_path / "heat.png")
    res1 = wf.sweep(reference, {"partnership.referral_delay.mean_days": [0.5, 1.5]},
                    replicates=2, overrides={"run.days": 30})
    _png(wf.plots.sweep(res1, "delayed_bed_days"), tmp_path / "curve.png")
