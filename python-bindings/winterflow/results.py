"""Results of a run: daily series and replicate summaries as xarray, the
library's means, intervals and paired differences as pandas.

A :class:`Results` holds the C ``wf_results`` and offers

``res.daily``    xarray.Dataset, one variable per metric, dims
                 (scenario, replicate, day, organisation); ``day`` holds the
                 calendar dates of the measured window.
``res.summary``  xarray.Dataset, one variable per metric, dims
                 (scenario, replicate, organisation): each replicate's total
                 (for totals) or mean level (for means) over the window.
``res.table()``  pandas.DataFrame, one row per scenario x organisation x
                 metric that applies: mean over replicates, sd, 95% interval
                 (``wf_results_stat``), as the CLI prints them.
``res.paired()`` pandas.DataFrame of paired differences against a baseline
                 scenario (``wf_results_paired``; common random numbers).

Both Datasets carry the coordinates ``organisation_kind`` (on organisation),
``scenario_name`` and, for sweeps, one coordinate per swept key (on
scenario); every variable has attrs ``units``, ``long_name`` and ``kind``
("total" or "mean"). The names and dimensions are those of the HDF5 results
file, so ``open_results(path)`` gives the same Datasets.
"""

import numpy as np
import pandas as pd

from ._lib import NOT_FOUND, ffi, lib, options, string
from .errors import check


def metric_names():
    return [string(lib.wf_metric_name(m)) for m in range(lib.wf_metric_count())]


def metrics():
    """The output metrics as a DataFrame: name, unit, kind ("total" or "mean"), doc."""
    rows = []
    for m in range(lib.wf_metric_count()):
        rows.append({
            "name": string(lib.wf_metric_name(m)),
            "unit": string(lib.wf_metric_unit(m)),
            "kind": "total" if lib.wf_metric_kind_of(m) == lib.WF_METRIC_TOTAL else "mean",
            "doc": string(lib.wf_metric_doc(m)),
        })
    return pd.DataFrame(rows, columns=["name", "unit", "kind", "doc"])


def _metric_attrs(m):
    return {
        "units": string(lib.wf_metric_unit(m)),
        "long_name": string(lib.wf_metric_doc(m)),
        "kind": "total" if lib.wf_metric_kind_of(m) == lib.WF_METRIC_TOTAL else "mean",
    }


def _perspective(m, kind):
    """wf_metric_perspective of metric m for an organisation kind's name."""
    k = _KIND_INDEX.get(kind)
    p = lib.wf_metric_perspective(m, k) if k is not None else ffi.NULL
    return None if p == ffi.NULL else string(p)


_KIND_INDEX = {string(lib.wf_org_kind_name(k)): k for k in range(lib.WF_ORG_NKINDS)}


def _metric_index(metric):
    if isinstance(metric, (int, np.integer)):
        return int(metric)
    m = lib.wf_metric_find(metric.encode())
    if m == NOT_FOUND:
        sug = lib.wf_metric_suggest(metric.encode())
        hint = f"; did you mean {string(sug)!r}?" if sug != ffi.NULL else ""
        raise KeyError(f"unknown metric {metric!r}{hint} (every name: winterflow.metrics())")
    return m


class Results:
    """Results of :func:`winterflow.run`, :func:`~winterflow.compare` or
    :func:`~winterflow.sweep` (or of :func:`~winterflow.open_results`)."""

    def __init__(self, ptr=None, labels=None, coords=None, daily=None, summary=None,
                 scenarios=None):
        self._ptr = ptr
        self._scenario_objs = scenarios  # the Scenario objects run (for save)
        self._daily = daily
        self._summary = summary
        if ptr is not None:
            S = lib.wf_results_n_scenarios(ptr)
            names = [string(lib.wf_results_scenario_name(ptr, s)) for s in range(S)]
            self.scenarios = list(labels) if labels is not None else names
            self._scenario_names = names
            self._coords = dict(coords or {})
            self.organisations = [string(lib.wf_results_org_name(ptr, o))
                                  for o in range(lib.wf_results_n_orgs(ptr))]
            self.organisation_kinds = [string(lib.wf_results_org_kind(ptr, o))
                                       for o in range(lib.wf_results_n_orgs(ptr))]
            self.dates = np.array([string(lib.wf_results_date(ptr, d))
                                   for d in range(lib.wf_results_n_days(ptr))],
                                  dtype="datetime64[ns]")
            self.replicates = int(lib.wf_results_n_replicates(ptr))
            self.seed = int(lib.wf_results_seed(ptr))
            self.threads = int(lib.wf_results_threads(ptr))
        else:
            ds = daily if daily is not None else summary
            self.scenarios = [str(x) for x in ds["scenario"].values]
            self._scenario_names = self.scenarios
            self._coords = {}
            self.organisations = [str(x) for x in ds["organisation"].values]
            self.organisation_kinds = ([str(x) for x in ds["organisation_kind"].values]
                                       if "organisation_kind" in ds.coords else [""] * len(self.organisations))
            self.dates = daily["day"].values if daily is not None else np.array([], "datetime64[ns]")
            self.replicates = ds.sizes.get("replicate", 0)
            self.seed = ds.attrs.get("seed")
            self.threads = ds.attrs.get("threads")

    @property
    def posterior_draws(self):
        """The posterior particle each replicate drew (a run with
        ``posterior=``, the same in every scenario), or None."""
        if self._ptr is None:
            return None
        draws = [lib.wf_results_posterior_draw(self._ptr, r) for r in range(self.replicates)]
        if not draws or any(d == NOT_FOUND for d in draws):
            return None
        return [int(d) for d in draws]

    # -- shapes -------------------------------------------------------------
    def __repr__(self):
        return (f"<winterflow.Results scenarios={self.scenarios} replicates={self.replicates} "
                f"days={len(self.dates)} organisations={len(self.organisations)} seed={self.seed}>")

    def _scenario_index(self, s):
        if isinstance(s, (int, np.integer)):
            return int(s)
        if s in self.scenarios:
            return self.scenarios.index(s)
        raise KeyError(f"no scenario {s!r}; scenarios are {self.scenarios}")

    def _base_coords(self, with_day):
        coords = {
            "scenario": ("scenario", np.array(self.scenarios, dtype=object)),
            "scenario_name": ("scenario", np.array(self._scenario_names, dtype=object)),
            "replicate": ("replicate", np.arange(self.replicates)),
            "organisation": ("organisation", np.array(self.organisations, dtype=object)),
            "organisation_kind": ("organisation", np.array(self.organisation_kinds, dtype=object)),
        }
        if with_day:
            coords["day"] = ("day", self.dates)
        for k, vals in self._coords.items():
            coords[k] = ("scenario", np.asarray(vals))
        return coords

    def _attrs(self):
        return {"seed": self.seed, "threads": self.threads, "replicates": self.replicates,
                "winterflow_version": string(lib.wf_version())}

    def _gather(self, fn, shape):
        """One metric for every scenario as one (S, *shape) numpy array: each
        scenario's C array is viewed with frombuffer and copied once."""
        S = len(self.scenarios)
        n = int(np.prod(shape))
        out = np.empty((S,) + shape, dtype=np.float64)
        for s in range(S):
            ptr = fn(s)
            if ptr == ffi.NULL:
                out[s] = np.nan
            else:
                out[s] = np.frombuffer(ffi.buffer(ptr, n * 8), dtype=np.float64).reshape(shape)
        return out

    # -- xarray -------------------------------------------------------------
    @property
    def daily(self):
        """Daily series: xarray.Dataset (scenario, replicate, day, organisation)."""
        if self._daily is None:
            import xarray as xr
            shape = (self.replicates, len(self.dates), len(self.organisations))
            data = {}
            for m in range(lib.wf_metric_count()):
                arr = self._gather(lambda s: lib.wf_results_daily(self._ptr, s, m), shape)
                data[string(lib.wf_metric_name(m))] = (
                    ("scenario", "replicate", "day", "organisation"), arr, _metric_attrs(m))
            self._daily = xr.Dataset(data, coords=self._base_coords(True), attrs=self._attrs())
        return self._daily

    @property
    def summary(self):
        """Replicate summaries: xarray.Dataset (scenario, replicate, organisation)."""
        if self._summary is None:
            import xarray as xr
            shape = (self.replicates, len(self.organisations))
            data = {}
            for m in range(lib.wf_metric_count()):
                arr = self._gather(lambda s: lib.wf_results_summary(self._ptr, s, m), shape)
                data[string(lib.wf_metric_name(m))] = (
                    ("scenario", "replicate", "organisation"), arr, _metric_attrs(m))
            self._summary = xr.Dataset(data, coords=self._base_coords(False), attrs=self._attrs())
        return self._summary

    # -- pandas -------------------------------------------------------------
    def _need_handle(self, what):
        if self._ptr is None:
            raise NotImplementedError(
                f"Results.{what}() needs results computed in this process (the library's "
                "statistics); results read from a file offer .daily and .summary")

    def _stat(self, fn, *args):
        st = ffi.new("wf_stat *")
        check(fn(self._ptr, *args, st), lambda: string(lib.wf_results_error(self._ptr)))
        return st

    def organisation_index(self, name):
        """The index of an organisation by name; a KeyError naming the ones
        there are (and the closest) for a name the results do not have."""
        if name in self.organisations:
            return self.organisations.index(name)
        import difflib
        close = difflib.get_close_matches(str(name), self.organisations, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"no organisation {name!r} in these results{hint} "
                       f"(they have: {', '.join(self.organisations)})")

    def _rows(self, scenario_pairs, fn, metrics_=None, organisations=None):
        mids = ([_metric_index(m) for m in metrics_] if metrics_ is not None
                else range(lib.wf_metric_count()))
        orgs = (list(range(len(self.organisations))) if organisations is None
                else [self.organisation_index(o) for o in organisations])
        rows = []
        for key, args in scenario_pairs:
            for o in orgs:
                for m in mids:
                    st = self._stat(fn, *args, m, o)
                    if st.n == 0 or np.isnan(st.mean):
                        continue  # the metric does not apply to this organisation
                    row = dict(key)
                    row.update(organisation=self.organisations[o],
                               organisation_kind=self.organisation_kinds[o],
                               perspective=_perspective(m, self.organisation_kinds[o]),
                               metric=string(lib.wf_metric_name(m)),
                               unit=string(lib.wf_metric_unit(m)),
                               mean=st.mean, sd=st.sd, lo=st.lo, hi=st.hi, n=int(st.n))
                    rows.append(row)
        return rows

    def _coord_values(self, s):
        return {k: (v[s].item() if hasattr(v[s], "item") else v[s]) for k, v in self._coords.items()}

    def table(self, metrics=None, organisations=None):
        """Mean over replicates and its 95% interval per scenario,
        organisation and metric, from the library (``wf_results_stat``: Student
        t, cut at 0 below: no metric is negative); only metrics that apply to
        an organisation. Columns: scenario, [swept keys], organisation,
        organisation_kind, perspective, metric, unit, mean, sd, lo, hi, n.
        ``perspective`` (``wf_metric_perspective``) is "organisation" for an
        organisation's own count, "home_council" for a council's count of its
        residents' hospital stays (the hospitals' patients again: never add
        the two), "system" for the whole system."""
        self._need_handle("table")
        pairs = [(dict(scenario=self.scenarios[s], **self._coord_values(s)), (s,))
                 for s in range(len(self.scenarios))]
        return pd.DataFrame(self._rows(pairs, lib.wf_results_stat, metrics, organisations))

    def paired(self, baseline=0, metrics=None, organisations=None):
        """Paired differences (scenario minus baseline) over replicates that
        shared their random numbers (``wf_results_paired``), one row per
        other scenario, organisation and metric: mean difference, sd, 95%
        interval, n, and ``baseline_mean`` (the baseline's mean, for relative
        changes)."""
        self._need_handle("paired")
        a = self._scenario_index(baseline)
        pairs = [(dict(scenario=self.scenarios[b], baseline=self.scenarios[a],
                       **self._coord_values(b)), (a, b))
                 for b in range(len(self.scenarios)) if b != a]
        df = pd.DataFrame(self._rows(pairs, lib.wf_results_paired, metrics, organisations))
        if len(df):
            base = pd.DataFrame(self._rows([({}, (a,))], lib.wf_results_stat, metrics, organisations))
            base = base[["organisation", "metric", "mean"]]
            df = df.merge(base.rename(columns={"mean": "baseline_mean"}),
                          on=["organisation", "metric"], how="left")
        return df


    # -- files ------------------------------------------------------------
    def save(self, path, overwrite=False, append=False, command_line=None):
        """Write the results to an HDF5 results file (``wf_results_write``;
        ``append=True``: add these scenarios to an existing file of the same
        run, ``wf_results_append``). Atomic; an existing file is an error
        unless `overwrite`. The swept keys of a sweep whose values are all
        numbers go into the file as float64 coordinates on the scenario
        dimension (``wf_write_options.coord_names``), as `winterflow sweep`
        writes them."""
        self._need_handle("save")
        if self._scenario_objs is None:
            raise NotImplementedError("Results.save() needs results of a run in this process")
        import os
        opts = options("wf_write_options")
        opts.overwrite = 1 if overwrite else 0
        cl = ffi.new("char[]", command_line.encode()) if command_line else ffi.NULL
        opts.command_line = cl
        names, values = [], []
        for k, vals in self._coords.items():
            try:
                v = np.asarray(vals, dtype=np.float64)
            except (TypeError, ValueError):
                continue
            if v.shape == (len(self._scenario_objs),) and not any(c in k for c in " /\t"):
                names.append(k)
                values.append(v)
        keep = [ffi.new("char[]", k.encode()) for k in names]
        cnames = ffi.new("const char *[]", keep) if names else ffi.NULL
        cvals = (ffi.new("double[]", [float(x) for v in values for x in v]) if names else ffi.NULL)
        opts.n_coords = len(names)
        opts.coord_names = cnames
        opts.coord_values = cvals
        arr = ffi.new("const wf_scenario *[]", [s._ptr for s in self._scenario_objs])
        fn = lib.wf_results_append if append else lib.wf_results_write
        check(fn(self._ptr, arr, len(self._scenario_objs), os.fspath(path).encode(), opts),
              lambda: string(lib.wf_results_error(self._ptr)))
        return path

    def event_log(self, scenario=0, replicate=0):
        """The per-patient event log of one replicate (``run(..., event_log=True)``)
        as a DataFrame: patient, t (days from the start date), organisation,
        event, pathway (<NA> where none), episode, elective."""
        self._need_handle("event_log")
        n = ffi.new("size_t *")
        p = lib.wf_results_event_log(self._ptr, self._scenario_index(scenario), replicate, n)
        rec = np.dtype([("patient", "<u8"), ("t", "<f8"), ("org", "<i4"), ("event", "u1"),
                        ("pathway", "u1"), ("episode", "u1"), ("elective", "u1")])
        assert rec.itemsize == ffi.sizeof("wf_log_record")
        a = (np.frombuffer(ffi.buffer(p, n[0] * rec.itemsize), dtype=rec).copy()
             if n[0] else np.zeros(0, rec))
        names = [string(lib.wf_log_event_name(e)) for e in range(lib.WF_LOG_NEVENT)]
        return pd.DataFrame({
            "patient": a["patient"], "t": a["t"],
            "organisation": pd.Categorical.from_codes(a["org"], self.organisations),
            "event": pd.Categorical.from_codes(a["event"].astype(np.int16), names),
            "pathway": pd.Series(a["pathway"], dtype="Int16").mask(a["pathway"] == 255),
            "episode": a["episode"], "elective": a["elective"].astype(bool)})


def open_results(path):
    """Open an HDF5 results file (written by ``Results.save`` or the CLI) with
    the library (``wf_results_read``): a :class:`Results` on which
    ``daily``, ``summary``, ``table()`` and ``paired()`` all work. ``path``
    may be a list of files, such as the parts of one sweep (``winterflow
    sweep --part K/N``), in order: the library reads them as one
    (``wf_results_read_parts``), after checking that they are of one study
    (the same organisations, days, replicates, seed and coordinates, no
    scenario twice)."""
    import os
    r = ffi.gc(lib.wf_results_create(), lib.wf_results_destroy)
    paths = list(path) if isinstance(path, (list, tuple)) else [path]
    keep = [ffi.new("char[]", os.fsencode(p)) for p in paths]
    # Files from anywhere: the library checks all of them, and any problem
    # is a WinterflowIOError naming the file and the object.
    check(lib.wf_results_read_parts(r, ffi.new("const char *[]", keep), len(keep)),
          lambda: string(lib.wf_results_error(r)))
    return Results(r)


def open_dataset(path, group=None):
    """A results file's root group (daily series; ``group="summary"``: the
    replicate summaries) as an xarray.Dataset, read by xarray with the
    h5netcdf engine, without the library. ``path`` may be a list of files,
    such as the parts of one sweep (``winterflow sweep --part K/N``), in
    order: they are joined along the scenario dimension."""
    import xarray as xr
    if isinstance(path, (list, tuple)):
        return xr.concat([xr.load_dataset(p, engine="h5netcdf", group=group) for p in path], dim="scenario",
                         data_vars="minimal", coords="minimal", compat="override", join="exact")
    return xr.load_dataset(path, engine="h5netcdf", group=group)
