"""Designs: the library's ``wf_design`` (winterflow.h, section 7).

A design is a table of points x keys; each point is one configuration of a
base scenario. The library builds it (grids, Latin hypercubes on its own
random streams, CSV files), names its points by the one rule that the CLI
uses too, and applies a point to a scenario; this module only passes
values through, written as YAML text.

    d = Design()
    d.vary("hospitals.city.beds", [1000, 1100, 1200])   # a list
    d.vary("partnership.pooled_capacity", "0:1:0.25")   # a range, as the CLI writes it
    d.vary("localities.north.home_care_packages", (300, 600))  # a range for a hypercube
    d.lhs(20, seed=1)
    d.validate()
"""

import os

from ._lib import ffi, lib, string
from .errors import check
from .scenario import Scenario, key_path, to_yaml


class Design:
    """A ``wf_design``. Add factors with :meth:`vary` (and :meth:`lhs`), or
    points with :meth:`point` / :meth:`read_csv`; then :meth:`validate`."""

    def __init__(self):
        p = lib.wf_design_create()
        if p == ffi.NULL:
            raise MemoryError("wf_design_create")
        self._ptr = ffi.gc(p, lib.wf_design_destroy)

    def _check(self, status):
        check(status, lambda: string(lib.wf_design_error(self._ptr)))
        return self

    def vary(self, key, values):
        """A factor: a list of values; a string "lo:hi:step" or "lo:hi"
        (or "a,b,c"), read as the CLI's ``--vary KEY=...``; or a tuple
        (lo, hi) or (lo, hi, step) of numbers."""
        key = key_path(key)
        if isinstance(values, str):
            return self._check(lib.wf_design_vary(self._ptr, f"{key}={values}".encode()))
        if isinstance(values, tuple):
            if len(values) not in (2, 3):
                raise ValueError(f"{key}: a range is (lo, hi) or (lo, hi, step)")
            step = values[2] if len(values) == 3 else 0
            return self._check(lib.wf_design_add_range(self._ptr, key.encode(), float(values[0]),
                                                       float(values[1]), float(step)))
        texts = [ffi.new("char[]", to_yaml(v).encode()) for v in values]
        arr = ffi.new("const char *[]", texts) if texts else ffi.NULL
        return self._check(lib.wf_design_add_values(self._ptr, key.encode(), arr, len(texts)))

    def lhs(self, samples, seed):
        """Sample the ranges by a Latin hypercube of `samples` points, placed
        by the library's random streams keyed by `seed` (the run's seed, as
        the CLI does)."""
        return self._check(lib.wf_design_lhs(self._ptr, int(samples), int(seed)))

    def point(self, values=None, label=None):
        """One point: a dict of key path -> value (None: the scenario's)."""
        values = dict(values or {})
        keys = [ffi.new("char[]", key_path(k).encode()) for k in values]
        vals = [ffi.NULL if v is None else ffi.new("char[]", to_yaml(v).encode()) for v in values.values()]
        ka = ffi.new("const char *[]", keys) if keys else ffi.NULL
        va = ffi.new("const char *[]", vals) if vals else ffi.NULL
        lab = ffi.new("char[]", str(label).encode()) if label is not None else ffi.NULL
        return self._check(lib.wf_design_add_point(self._ptr, lab, ka, va, len(keys)))

    def read_csv(self, path):
        """Points from a CSV file: a header of keys, one point per row."""
        return self._check(lib.wf_design_read_csv(self._ptr, os.fspath(path).encode()))

    def validate(self):
        """Check the whole design and build its points."""
        return self._check(lib.wf_design_validate(self._ptr))

    def part(self, k, n):
        """Keep only part ``k`` (1..n) of ``n`` equal parts of the validated
        design's points, in order (``wf_design_part``): a job array's job k
        sweeps part k into its own file; the parts' files together hold the
        whole sweep (``open_dataset`` reads a list of them as one)."""
        return self._check(lib.wf_design_part(self._ptr, int(k), int(n)))

    # -- a validated design -------------------------------------------------
    def __len__(self):
        return int(lib.wf_design_n_points(self._ptr))

    @property
    def keys(self):
        return [string(lib.wf_design_key(self._ptr, k)) for k in range(lib.wf_design_n_keys(self._ptr))]

    @property
    def labels(self):
        """Each point's label (the library's rule, unique)."""
        return [string(lib.wf_design_label(self._ptr, i)) for i in range(len(self))]

    def value(self, point, key):
        """The YAML text of a key at a point, or None (the scenario's)."""
        p = lib.wf_design_value(self._ptr, point, self.keys.index(key_path(key)))
        return None if p == ffi.NULL else string(p)

    def coordinates(self):
        """Each key's values over the points: floats for keys whose values
        are all numbers (``wf_design_numeric``, as the results file's
        coordinates), else the YAML texts ("" where a point keeps the
        scenario's value)."""
        out = {}
        for k, key in enumerate(self.keys):
            vals = [lib.wf_design_value(self._ptr, i, k) for i in range(len(self))]
            if lib.wf_design_numeric(self._ptr, k):
                out[key] = [float("nan") if v == ffi.NULL else float(string(v)) for v in vals]
            else:
                out[key] = ["" if v == ffi.NULL else string(v) for v in vals]
        return out

    def scenario(self, point, base):
        """Point `point` applied to a copy of `base`, named by its label."""
        out = ffi.new("wf_scenario **")
        self._check(lib.wf_design_scenario(self._ptr, point, base._ptr, out))
        return Scenario(out[0])


__all__ = ["Design"]
