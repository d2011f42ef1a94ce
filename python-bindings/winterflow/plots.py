"""One-line plots of results; each returns a matplotlib Figure.

    wf.plots.winter(res, metric="occupancy")       daily series per configuration
    wf.plots.compare(diff)                          paired differences with intervals
    wf.plots.sweep(res, "delayed_bed_days", x=key)  response curve (heat map for 2 keys)
    wf.plots.posterior(cal)                         a calibration's posterior: histograms, pairs
    wf.plots.fit(cal)                               observed vs posterior predictive, per series
    wf.plots.convergence(cal)                       tolerance, acceptance and ESS per generation

Nothing here computes a model quantity: means and intervals of summaries come
from the library (``Results.table`` / ``Results.paired``); the bands of
``winter`` are the 2.5% and 97.5% quantiles of the daily values across
replicates (the spread of simulated winters), drawn around their mean. The
calibration plots draw what the library computed (``Calibration.particles``,
``.parameters``, ``.observations``, ``.generations``).
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


def _short(key):
    """The last two parts of a key ("services.care_home.match" -> "care_home.match")."""
    return ".".join(key.split(".")[-2:])


def posterior(cal, keys=None, bins=20):
    """The posterior of a :class:`~winterflow.Calibration`: a weighted
    histogram of each key on the diagonal (over its prior range, with the
    mean and the 90% credible interval marked), and the particles of each
    pair of keys below it (dot size by weight)."""
    plt = _plt()
    p = cal.particles
    est = cal.parameters
    keys = list(keys or cal.keys)
    k = len(keys)
    fig, axes = plt.subplots(k, k, figsize=(2.6 * k + 1, 2.6 * k + 0.6), layout="constrained", squeeze=False)
    w = p["weight"].values
    for i, a in enumerate(keys):
        for j, b in enumerate(keys):
            ax = axes[i][j]
            if j > i:
                ax.set_visible(False)
                continue
            lo_a, hi_a = est.loc[a, "prior_lo"], est.loc[a, "prior_hi"]
            if i == j:
                ax.hist(p[a], bins=np.linspace(lo_a, hi_a, bins + 1), weights=w, color="C0", alpha=0.75)
                ax.axvline(est.loc[a, "mean"], color="black", lw=1.2)
                ax.axvspan(est.loc[a, "lo"], est.loc[a, "hi"], color="C1", alpha=0.2, lw=0)
                ax.set_xlim(lo_a, hi_a)
                ax.set_yticks([])
            else:
                lo_b, hi_b = est.loc[b, "prior_lo"], est.loc[b, "prior_hi"]
                ax.scatter(p[b], p[a], s=8 + 400 * w, alpha=0.5, color="C0", lw=0)
                ax.set_xlim(lo_b, hi_b)
                ax.set_ylim(lo_a, hi_a)
            if i == k - 1:
                ax.set_xlabel(_short(b))
            if j == 0 and i != j:
                ax.set_ylabel(_short(a))
            if i == j:
                ax.set_title(_short(a), fontsize=9)
    fig.suptitle(f"Posterior: {len(p)} particles, {cal.simulations} simulations "
                 f"(histograms over the prior range; line: mean; band: 90% credible interval)", fontsize=10)
    return fig


def fit(cal, series=None, ncols=2):
    """Observed against simulated: one panel per observed series (or the
    ones listed in ``series``, by index), the observed values as points and
    the posterior predictive mean and 90% band (chance and parameter
    uncertainty together). Daily series are drawn over their dates; monthly
    and span rows as bars over the days they cover."""
    import matplotlib.dates as mdates
    import pandas as pd
    plt = _plt()
    obs = cal.observations
    ser = cal.series
    idx = list(series) if series is not None else list(range(len(ser)))
    n = len(idx)
    ncols = max(1, min(ncols, n))
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, 3.2 * nrows), layout="constrained",
                             squeeze=False)
    for a, s in enumerate(idx):
        ax = axes[a // ncols][a % ncols]
        d = obs[obs["series"] == s].sort_values("start")
        info = ser.iloc[s]
        if info["period"] == "day":
            ax.fill_between(d["start"], d["lo"], d["hi"], color="C0", alpha=0.25, lw=0,
                            label="simulated, 90% band")
            ax.plot(d["start"], d["mean"], color="C0", lw=1.4, label="simulated mean")
            ax.plot(d["start"], d["value"], "o", ms=3, color="black", label="observed")
        else:
            for _, r in d.iterrows():
                end = r["end"] + pd.Timedelta(days=1)
                ax.fill_between([r["start"], end], [r["lo"]] * 2, [r["hi"]] * 2, color="C0", alpha=0.25, lw=0)
                ax.plot([r["start"], end], [r["mean"]] * 2, color="C0", lw=1.4)
                ax.plot([r["start"], end], [r["value"]] * 2, color="black", lw=2.2)
            ax.plot([], [], color="C0", lw=6, alpha=0.25, label="simulated, 90% band")
            ax.plot([], [], color="C0", lw=1.4, label="simulated mean")
            ax.plot([], [], color="black", lw=2.2, label="observed")
        ax.set_title(f"{info['metric']} at {info['organisation']} (by {info['period']})", fontsize=9)
        loc = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(loc)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))
        ax.grid(alpha=0.3)
        if a == 0:
            ax.legend(fontsize=8)
    for a in range(n, nrows * ncols):
        axes[a // ncols][a % ncols].set_visible(False)
    fig.suptitle("Observed vs posterior predictive", fontsize=10)
    return fig


def convergence(cal):
    """ABC-SMC convergence: the tolerance (log scale) and the acceptance per
    generation, and the effective sample size of the weights."""
    plt = _plt()
    g = cal.generations
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
    a1.semilogy(g.index, g["tolerance"], marker="o", label="tolerance")
    a1.set_xlabel("generation")
    a1.set_ylabel("tolerance (distance)")
    b1 = a1.twinx()
    b1.plot(g.index, g["acceptance"], marker="s", color="C1", label="acceptance")
    b1.set_ylim(0, 1.05)
    b1.set_ylabel("acceptance")
    a1.set_title("tolerance and acceptance")
    a1.grid(alpha=0.3)
    a2.plot(g["simulations"], g["ess"], marker="o", color="C2")
    a2.set_xlabel("simulations")
    a2.set_ylabel("effective sample size")
    a2.set_ylim(0, None)
    a2.set_title("effective sample size of the weights")
    a2.grid(alpha=0.3)
    return fig
