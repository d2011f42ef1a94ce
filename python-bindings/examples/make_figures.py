"""Draw the pictures of docs/images/ (one per plot of winterflow.plots) from
the reference model, so that the docs show what each one-liner gives.
scripts/docs.sh runs it (with the report's picture), stamping each picture
with the version and commit that drew it (WF_DOCS_STAMP).

    WINTERFLOW_LIBRARY=build/libwinterflow.so PYTHONPATH=python-bindings \\
        /usr/bin/python3 python-bindings/examples/make_figures.py [OUTDIR] [--calibration-only]
"""

import os
import sys

import matplotlib

matplotlib.use("Agg")

import winterflow as wf  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
OUT = ARGS[0] if ARGS else os.path.join(ROOT, "docs", "images")
REFERENCE = os.path.join(ROOT, "models", "reference.yaml")


STAMP = os.environ.get("WF_DOCS_STAMP") or f"drawn by winterflow {wf.__version__}"


def save(fig, name):
    path = os.path.join(OUT, name)
    fig.text(0.995, 0.005, STAMP, ha="right", va="bottom", fontsize=6, color="0.45")
    fig.savefig(path, dpi=90, metadata={"Software": STAMP})
    print(path)


def calibration_figures():
    """The reference's shipped posterior (models/data/reference_posterior.h5):
    drawn from the file, nothing is run."""
    cal = wf.read_calibration(os.path.join(ROOT, "models", "data", "reference_posterior.h5"))
    save(wf.plots.posterior(cal), "calibrate-posterior.png")
    save(wf.plots.fit(cal, ncols=3), "calibrate-fit.png")
    save(wf.plots.convergence(cal), "calibrate-convergence.png")


def main():
    os.makedirs(OUT, exist_ok=True)
    calibration_figures()
    if "--calibration-only" in sys.argv:
        return
    s = wf.Scenario.from_file(REFERENCE)
    res, diff = wf.compare(s, partnership=["fragmented", "integrated"], replicates=10)
    save(wf.plots.winter(res, metric="occupancy"), "python-winter-occupancy.png")
    save(wf.plots.winter(res, metric="nctr_patients"), "python-winter-nctr.png")
    save(wf.plots.compare(diff), "python-compare.png")
    save(wf.plots.compare(diff, metric="delayed_bed_days"), "python-compare-by-organisation.png")
    # Pooling's effect stands out where one council is far shorter of places
    # than its neighbours: squeeze west's.
    hc, ch = (int(s.get(f"localities.west.{k}")) for k in ("home_care_packages", "care_home_beds"))
    squeezed = s.with_(**{"localities.west.home_care_packages": round(0.6 * hc),
                          "localities.west.care_home_beds": round(0.7 * ch)})
    sw = wf.sweep(squeezed, {"partnership.pooled_capacity": [0, 0.1, 0.2, 0.3, 0.5, 1]},
                  replicates=5, overrides={"run.days": 120})
    save(wf.plots.sweep(sw, "delayed_bed_days", x="partnership.pooled_capacity",
                        organisation="west"), "python-sweep.png")
    sw2 = wf.sweep(squeezed, {"partnership.pooled_capacity": [0, 0.25, 0.5, 1],
                              "partnership.referral_delay.mean_days": [0.25, 0.5, 1.0, 1.5, 2.0]},
                   replicates=3, overrides={"run.days": 120})
    save(wf.plots.sweep(sw2, "delayed_bed_days", x="partnership.referral_delay.mean_days"),
         "python-sweep-heatmap.png")


if __name__ == "__main__":
    main()
