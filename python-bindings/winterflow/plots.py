"""One-line plots of results; each returns a matplotlib Figure.

    wf.plots.winter(res, metric="occupancy")       daily series per configuration
    wf.plots.compare(diff)                          paired differences with intervals
    wf.plots.sweep(res, "delayed_bed_days", x=key)  response curve (heat map for 2 keys)

Nothing here computes a model quantity: means and intervals of summaries come
from the library (``Results.table`` / ``Results.paired``); the bands of
``winter`` are the 2.5% and 97.5% quantiles of the daily values across
replicates (the spread of simulated winters), drawn around their mean.
"""

import numpy as np


def _plt():
    import matplotlib.pyplot as plt
    return plt


def _known(what, name, names):
    """A KeyError naming what there is (and the closest) when `name` is not
    among `names`: a mistyped organisation or metric should say what exists."""
    names = [str(n) for n in dict.fromkeys(names)]
    if name in names:
        return
    import difflib
    close = difflib.get_close_matches(str(name), names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise KeyError(f"no {what} {name!r} here{hint} (there are: {', '.join(names)})")


def winter(res, metric="occupancy", organisation="system", ax=None, band=0.95):
    """`metric` over the days of the window for each configuration (scenario):
    the mean across replicates and a `band` (default 95%) band of replicates."""
    plt = _plt()
    _known("organisation", organisation, res.organisations)
    _known("metric", metric, list(res.daily.data_vars))
    da = res.daily[metric].sel(organisation=organisation)
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
    else:
        fig = ax.figure
    days = da["day"].values
    q = (1 - band) / 2
    for scen in da["scenario"].values:
        x = da.sel(scenario=scen).values  # (replicate, day)
        mean = np.nanmean(x, axis=0)
        lo, hi = np.nanquantile(x, [q, 1 - q], axis=0)
        (line,) = ax.plot(days, mean, label=str(scen), lw=1.6)
        ax.fill_between(days, lo, hi, color=line.get_color(), alpha=0.2, lw=0)
    units = da.attrs.get("units", "")
    ax.set_ylabel(f"{metric} ({units})" if units else metric)
    ax.set_title(f"{metric} at {organisation}: mean and {band:.0%} band of "
                 f"{da.sizes['replicate']} replicates")
    ax.legend(title="configuration")
    ax.grid(alpha=0.3)
    import matplotlib.dates as mdates
    loc = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))
    return fig


def compare(diff, metric=None, organisation="system", metrics=None, relative=None, ax=None):
    """A bar chart of paired differences (``Comparison.differences`` or
    ``Results.paired()``) with their 95% intervals.

    With `metric`: one bar per organisation where it applies (in its units).
    Without: one bar per metric for `organisation`, as a percentage of the
    baseline mean (metrics have different units); `metrics` picks them
    (default: the headline outputs)."""
    plt = _plt()
    df = diff
    if metric is not None:
        _known("metric", metric, df["metric"])
        df = df[df["metric"] == metric]
        labels_col, rel = "organisation", bool(relative)
    else:
        _known("organisation", organisation, df["organisation"])
        df = df[df["organisation"] == organisation]
        if metrics is None:
            metrics = [m for m in ("admissions", "occupancy", "nctr_patients", "delayed_bed_days",
                                   "ed_boarding", "waits_over_12h", "elective_cancellations",
                                   "readmissions_30d", "deconditioning_escalations", "cost")
                       if m in set(df["metric"])]
        df = df[df["metric"].isin(metrics)].set_index("metric").loc[
            [m for m in metrics if m in set(df["metric"])]].reset_index()
        labels_col, rel = "metric", relative is None or relative
    scenarios = list(dict.fromkeys(df["scenario"]))
    n = max(len(df) // max(len(scenarios), 1), 1)
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 0.45 * n * len(scenarios) + 1.6), layout="constrained")
    else:
        fig = ax.figure
    height = 0.8 / max(len(scenarios), 1)
    for j, scen in enumerate(scenarios):
        d = df[df["scenario"] == scen]
        scale = 100.0 / d["baseline_mean"].abs().replace(0, np.nan) if rel else 1.0
        mean = d["mean"] * scale
        lo, hi = d["lo"] * scale, d["hi"] * scale
        y = np.arange(len(d)) + (j - (len(scenarios) - 1) / 2) * height
        err = np.vstack([(mean - lo).clip(lower=0).fillna(0), (hi - mean).clip(lower=0).fillna(0)])
        base = d["baseline"].iloc[0] if "baseline" in d else "baseline"
        ax.barh(y, mean, height=height * 0.9, xerr=err, capsize=3, label=f"{scen} - {base}")
        ax.set_yticks(np.arange(len(d)), d[labels_col])
    ax.axvline(0, color="black", lw=0.8)
    ax.invert_yaxis()
    unit = "" if rel or metric is None else f" ({df['unit'].iloc[0]})" if len(df) else ""
    ax.set_xlabel(("paired difference, % of baseline mean" if rel else "paired difference") + unit)
    what = f"{metric} by organisation" if metric is not None else organisation
    ax.set_title(f"Paired differences with 95% intervals: {what}")
    ax.legend(loc="best")
    ax.grid(axis="x", alpha=0.3)
    return fig


def sweep(res, metric="delayed_bed_days", x=None, organisation="system", ax=None):
    """The response of `metric` (mean over replicates, 95% interval) to the
    swept key `x`; a heat map of the mean when the sweep has two keys."""
    plt = _plt()
    keys = list(res._coords) or ["scenario"]
    x = x or keys[0]
    _known("swept key", x, keys)
    _known("organisation", organisation, res.organisations)
    t = res.table(metrics=[metric], organisations=[organisation])
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    else:
        fig = ax.figure
    unit = t["unit"].iloc[0] if len(t) else ""
    others = [k for k in keys if k != x]
    if len(others) == 1:
        y = others[0]
        grid = t.pivot_table(index=y, columns=x, values="mean")
        im = ax.imshow(grid.values, origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(grid.shape[1]), [f"{v:g}" if isinstance(v, float) else str(v) for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [f"{v:g}" if isinstance(v, float) else str(v) for v in grid.index])
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        fig.colorbar(im, ax=ax, label=f"{metric} ({unit})")
        ax.set_title(f"{metric} at {organisation}: mean over replicates")
        return fig
    t = t.sort_values(x)
    xs = t[x].values
    ax.plot(xs, t["mean"], marker="o")
    ax.fill_between(xs, t["lo"], t["hi"], alpha=0.25, lw=0, label="95% interval of the mean")
    ax.set_xlabel(x)
    ax.set_ylabel(f"{metric} ({unit})")
    ax.set_title(f"{metric} at {organisation}")
    ax.legend()
    ax.grid(alpha=0.3)
    return fig
