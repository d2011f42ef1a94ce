"""calibrate: fit a scenario to observed series with the library's ABC-SMC
(``winterflow.h``, section 8; docs/calibrate.md), and look at the result.

    cal = wf.calibrate("models/reference.yaml", "observed.csv",
                       vary={"partnership.assessment_delay.mean_days": (0.25, 2)},
                       budget=2000, out="cal.h5")
    cal.parameters        # posterior mean, sd, 90% credible interval, prior range
    cal.generations       # convergence: tolerance, acceptance, ESS per generation
    cal.series            # observed vs posterior predictive, per series
    cal.observations      # the same, per observed row (for wf.plots.fit)
    wf.compare(s, partnership=["fragmented", "integrated"], posterior=cal)

Everything is computed by the library; this module copies its numbers
into pandas objects.
"""

import os

import numpy as np
import pandas as pd

from ._lib import ffi, lib, string
from .errors import check
from .scenario import as_scenario, key_path


class Calibration:
    """A calibration run or read from its file (``wf_calibration``). It can
    drive runs: ``wf.compare(..., posterior=cal)``."""

    def __init__(self, ptr, path=None):
        self._ptr = ptr
        self.path = path

    @classmethod
    def read(cls, path):
        """Load a calibration file (``winterflow calibrate --out``)."""
        c = ffi.gc(lib.wf_calibration_create(), lib.wf_calibration_destroy)
        if c == ffi.NULL:
            raise MemoryError("wf_calibration_create")
        path = os.fspath(path)
        check(lib.wf_calibration_read(c, path.encode()), lambda: string(lib.wf_calibration_error(c)))
        return cls(c, path)

    @property
    def keys(self):
        return [string(lib.wf_calibration_key(self._ptr, k)) for k in range(lib.wf_calibration_n_keys(self._ptr))]

    @property
    def simulations(self):
        return int(lib.wf_calibration_simulations(self._ptr))

    @property
    def converged(self):
        """True when it stopped because the acceptance fell below its
        minimum, False when the budget was spent (or it was interrupted)."""
        return bool(lib.wf_calibration_converged(self._ptr))

    @property
    def parameters(self):
        """Per key: the posterior mean, sd, 90% credible interval (lo, hi),
        the prior range, and ``width``, the interval's share of the prior's
        (about 0.9 when the data say nothing of the key)."""
        rows = []
        e = ffi.new("wf_estimate *")
        for k, key in enumerate(self.keys):
            if lib.wf_calibration_estimate(self._ptr, k, e) != lib.WF_OK:
                continue
            rows.append({"key": key, "mean": e.mean, "sd": e.sd, "lo": e.lo, "hi": e.hi,
                         "prior_lo": e.prior_lo, "prior_hi": e.prior_hi,
                         "width": (e.hi - e.lo) / (e.prior_hi - e.prior_lo)})
        return pd.DataFrame(rows).set_index("key") if rows else pd.DataFrame()

    @property
    def particles(self):
        """The population: one row per particle, a column per key (values as
        the sampler holds them: int keys unrounded) and ``weight``."""
        n, keys = lib.wf_calibration_n_particles(self._ptr), self.keys
        if not n:
            return pd.DataFrame(columns=keys + ["weight"])
        theta = np.frombuffer(ffi.buffer(lib.wf_calibration_particles(self._ptr), n * len(keys) * 8),
                              dtype=np.float64).reshape(n, len(keys)).copy()
        w = np.frombuffer(ffi.buffer(lib.wf_calibration_weights(self._ptr), n * 8), dtype=np.float64).copy()
        df = pd.DataFrame(theta, columns=keys)
        df["weight"] = w
        return df

    @property
    def generations(self):
        """Convergence: per generation, the tolerance, the acceptance, the
        effective sample size and the simulations so far."""
        g = ffi.new("wf_generation *")
        rows = []
        for i in range(lib.wf_calibration_n_generations(self._ptr)):
            lib.wf_calibration_generation(self._ptr, i, g)
            rows.append({"generation": i, "tolerance": g.tolerance, "acceptance": g.acceptance,
                         "ess": g.ess, "simulations": int(g.simulations)})
        return pd.DataFrame(rows).set_index("generation") if rows else pd.DataFrame()

    @property
    def series(self):
        """The fit of each observed series: its rows, the distance's scale,
        the observed mean and the posterior predictive mean and 90% interval
        of that mean."""
        f = ffi.new("wf_series_fit *")
        rows = []
        for s in range(lib.wf_calibration_n_series(self._ptr)):
            lib.wf_calibration_series(self._ptr, s, f)
            rows.append({"metric": string(f.metric), "organisation": string(f.organisation),
                         "period": string(f.period), "rows": int(f.rows), "scale": f.scale,
                         "observed": f.observed, "mean": f.mean, "lo": f.lo, "hi": f.hi})
        return pd.DataFrame(rows)

    @property
    def observations(self):
        """Every observed row with its posterior predictive mean and 90%
        interval; ``start`` and ``end`` are the first and last day the row
        covers."""
        o = ffi.new("wf_observation *")
        rows = []
        for i in range(lib.wf_calibration_n_rows(self._ptr)):
            lib.wf_calibration_row(self._ptr, i, o)
            date = string(o.date)
            start, end = _span(date)
            rows.append({"date": date, "start": start, "end": end, "organisation": string(o.organisation),
                         "metric": string(o.metric), "series": int(o.series), "value": o.value,
                         "mean": o.mean, "lo": o.lo, "hi": o.hi})
        return pd.DataFrame(rows)

    def __repr__(self):
        where = f" {self.path}" if self.path else ""
        return (f"<Calibration{where}: {len(self.keys)} keys, {self.simulations} simulations, "
                f"{'converged' if self.converged else 'budget spent'}>")


def _span(date):
    """The first and last day a row's date covers (a day, a month, a span)."""
    if "/" in date:
        a, b = date.split("/", 1)
        return pd.Timestamp(a), pd.Timestamp(b)
    if len(date) == 7:
        t = pd.Timestamp(date + "-01")
        return t, t + pd.offsets.MonthEnd(0)
    t = pd.Timestamp(date)
    return t, t


def read_calibration(path):
    """A calibration file as a :class:`Calibration`."""
    return Calibration.read(path)


def _range(v):
    if isinstance(v, str):
        return v
    lo, hi = v
    return f"{float(lo)!r}:{float(hi)!r}"


def calibrate(scenario, observed, vary, *, budget=None, particles=None, replicates=None, seed=None,
              threads=None, out=None, overwrite=False, common_random_numbers=False, overrides=None,
              progress=None, cancel=None, command_line=None):
    """Calibrate ``scenario`` (a Scenario, a YAML path or a dict) to the
    observed CSV file ``observed`` (``date,organisation,metric,value``) over
    ``vary``, a dict of key -> ``(lo, hi)`` (or ``"lo:hi"``): the keys'
    uniform priors. Returns a :class:`Calibration`.

    ``budget`` simulations at most (default 4000), ``particles`` per
    generation (100), ``replicates`` per particle (2), ``seed`` (the
    scenario's). ``out``: the calibration file, saved after every
    generation; an existing file of the same calibration is continued,
    another is an error unless ``overwrite``. ``progress``: True (a line on
    stderr) or a function ``(done, budget)`` that may return True to stop.
    """
    from .run import _Interrupt, _finish, _options, _prepare
    base = _prepare(scenario, overrides, {})
    base.validate()
    c = ffi.gc(lib.wf_calibration_create(), lib.wf_calibration_destroy)
    if c == ffi.NULL:
        raise MemoryError("wf_calibration_create")
    message = lambda: string(lib.wf_calibration_error(c))  # noqa: E731
    for k, v in vary.items():
        check(lib.wf_calibration_vary(c, f"{key_path(k)}={_range(v)}".encode()), message)
    check(lib.wf_calibration_observe(c, os.fspath(observed).encode()), message)
    o, cancel, state, callback = _options("wf_calibration_options", replicates, seed, threads, progress,
                                          cancel)
    if budget is not None:
        o.budget = int(budget)
    if particles is not None:
        o.particles = int(particles)
    o.common_random_numbers = 1 if common_random_numbers else 0
    o.overwrite = 1 if overwrite else 0
    cl = ffi.new("char[]", command_line.encode()) if command_line else ffi.NULL
    o.command_line = cl
    path = os.fspath(out) if out is not None else None
    check(lib.wf_calibration_open(c, base._ptr, path.encode() if path else ffi.NULL, o), message)
    interrupt = _Interrupt(cancel)
    with interrupt:
        status = lib.wf_calibration_run(c)  # GIL released here
    _finish(status, state, interrupt, message)
    return Calibration(c, path)


def as_posterior(posterior):
    """A Calibration from a Calibration or a calibration file's path."""
    if posterior is None or isinstance(posterior, Calibration):
        return posterior
    return Calibration.read(posterior)


__all__ = ["Calibration", "calibrate", "read_calibration", "as_posterior", "as_scenario"]
