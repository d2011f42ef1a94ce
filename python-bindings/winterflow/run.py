"""run, compare and sweep: each is one ``wf_run`` call.

All scenarios of one call share their replicates, seed and calendar, so the
library runs them on common random numbers: the paired differences of
``compare`` and the response of ``sweep`` are free of between-run noise.
``wf_run`` releases the GIL (cffi releases it around every C call) and
spreads replicates over the library's OpenMP threads.

Stopping a run: every run is given a :class:`Cancel` (the library's
``wf_cancel``, a flag the engine looks at every few thousand events), so it
stops within a second, inside a long replicate too. ``cancel=`` passes your
own, to stop a run from another thread; Ctrl-C raises it as well: while a
run is in progress a SIGINT handler and a signal wakeup pipe are installed,
and a watcher thread that blocks on the pipe raises the flag as the signal
arrives (Python's own handlers would run only once the run has returned).
KeyboardInterrupt is raised once ``wf_run`` has returned; the previous
handler is restored.
"""

import itertools
import os
import signal
import sys
import threading
from typing import NamedTuple

import pandas as pd

from ._lib import ffi, lib, options, string
from .errors import check
from .results import Results
from .scenario import as_scenario, key_path


class Cancel:
    """A flag that stops the runs given it (``run(..., cancel=c)``) when
    raised with :meth:`cancel`, from any thread (``wf_cancel``). It stays
    raised until :meth:`reset`."""

    def __init__(self):
        p = lib.wf_cancel_create()
        if p == ffi.NULL:
            raise MemoryError("wf_cancel_create")
        self._ptr = ffi.gc(p, lib.wf_cancel_destroy)

    def cancel(self):
        lib.wf_cancel_raise(self._ptr)

    @property
    def cancelled(self):
        return bool(lib.wf_cancel_raised(self._ptr))

    def reset(self):
        lib.wf_cancel_reset(self._ptr)


class _Interrupt:
    """SIGINT -> raise `cancel`, for the duration of a run (main thread only)."""

    _STOP = b"\0"  # not a signal number: wakes the watcher to end it

    def __init__(self, cancel):
        self.cancel = cancel
        self.flag = False
        self.active = False

    def _handler(self, signum, frame):
        self.flag = True

    def _watch(self):
        while True:
            try:
                data = os.read(self.rfd, 512)
            except InterruptedError:
                continue
            except OSError:
                return
            if signal.SIGINT in data:
                self.flag = True
                self.cancel.cancel()
            other = bytes(b for b in data if b not in (signal.SIGINT, 0))
            if other and self.old_fd >= 0:  # signals meant for someone else (asyncio)
                try:
                    os.write(self.old_fd, other)
                except OSError:
                    pass
            if not data or self._STOP[0] in data:
                return

    def __enter__(self):
        if threading.current_thread() is not threading.main_thread():
            return self
        self.rfd, self.wfd = os.pipe()
        os.set_blocking(self.wfd, False)
        try:
            self.old_fd = signal.set_wakeup_fd(self.wfd, warn_on_full_buffer=False)
            self.old_handler = signal.signal(signal.SIGINT, self._handler)
        except (ValueError, OSError):  # not the main interpreter / no signals here
            os.close(self.rfd)
            os.close(self.wfd)
            return self
        self.watcher = threading.Thread(target=self._watch, name="winterflow-sigint", daemon=True)
        self.watcher.start()
        self.active = True
        return self

    def __exit__(self, *exc):
        if self.active:
            signal.signal(signal.SIGINT, self.old_handler)
            signal.set_wakeup_fd(self.old_fd)
            os.write(self.wfd, self._STOP)
            self.watcher.join()
            os.close(self.rfd)
            os.close(self.wfd)
            self.active = False
        return False


def _text_progress(done, total):
    sys.stderr.write(f"\rwinterflow: {done}/{total} replicates")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _prepare(scenario, overrides, kw, replicates, seed):
    s = as_scenario(scenario)
    ov = dict(overrides or {})
    ov.update({key_path(k): v for k, v in kw.items()})
    if replicates is not None:
        ov["run.replicates"] = replicates
    if seed is not None:
        ov["run.seed"] = seed
    return s.copy(ov)


def _execute(scenarios, labels=None, coords=None, threads=None, progress=None, event_log=False,
             cancel=None):
    """One wf_run over `scenarios`; the Results labelled with `labels`."""
    for s in scenarios:
        s.validate()
    r = ffi.gc(lib.wf_results_create(), lib.wf_results_destroy)
    if r == ffi.NULL:
        raise MemoryError("wf_results_create")
    opts = options("wf_run_options")
    if threads is not None:
        opts.threads = int(threads)
    opts.event_log = 1 if event_log else 0
    if progress is True:
        progress = _text_progress
    state = {"exc": None}
    if cancel is None:
        cancel = Cancel()
    opts.cancel = cancel._ptr
    interrupt = _Interrupt(cancel)

    def on_error(exctype, value, tb):
        state["exc"] = value
        return 1

    @ffi.callback("int(void *, size_t, size_t)", onerror=on_error)
    def callback(user, done, total):
        if progress is not None and progress(int(done), int(total)):
            return 1
        return 0

    opts.progress = callback
    arr = ffi.new("const wf_scenario *[]", [s._ptr for s in scenarios])
    with interrupt:
        status = lib.wf_run(r, arr, len(scenarios), opts)  # GIL released here
    if status == lib.WF_ECANCELLED and interrupt.flag:
        raise KeyboardInterrupt("winterflow run interrupted")
    if state["exc"] is not None:
        raise state["exc"]
    check(status, lambda: string(lib.wf_results_error(r)))
    if interrupt.flag:
        raise KeyboardInterrupt("winterflow run interrupted")
    return Results(r, labels=labels, coords=coords, scenarios=scenarios)


def run(scenario, *, replicates=None, seed=None, threads=None, overrides=None,
        progress=None, event_log=False, cancel=None, **kw):
    """Run one scenario (a Scenario, a YAML path or a dict) and return its
    :class:`Results`.

    ``replicates`` and ``seed`` default to the scenario's ``run.replicates``
    and ``run.seed``; ``threads`` to all cores (results do not depend on it).
    ``overrides`` is a dict of key paths -> values, applied like the CLI's
    ``--set``; keyword arguments are overrides too, with ``__`` for ``.``
    (``partnership__preset="integrated"``). ``progress`` is ``True`` (a
    line on stderr) or a function ``(done, total)`` that may return True to
    cancel. ``event_log=True`` keeps the per-patient event log
    (``Results.event_log``). ``cancel``: a :class:`Cancel` that another
    thread may raise to stop the run (CancelledError). The scenario passed
    in is not modified."""
    s = _prepare(scenario, overrides, kw, replicates, seed)
    return _execute([s], threads=threads, progress=progress, event_log=event_log, cancel=cancel)


class Comparison(NamedTuple):
    """What :func:`compare` returns; unpacks as ``res, diff = wf.compare(...)``."""
    results: Results
    differences: pd.DataFrame


def _label(v):
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_label(x) for x in v) + "]"
    return str(v)


def compare(scenario, configurations=None, *, baseline=0, replicates=None, seed=None,
            threads=None, overrides=None, progress=None, cancel=None, **levers):
    """Run configurations of one system together (common random numbers) and
    return ``Comparison(results, differences)``.

    Configurations are given either as ``configurations`` (a dict of label ->
    overrides, or a list of overrides dicts) or as keyword lists, zipped
    position by position: ``compare(s, partnership=["fragmented",
    "integrated"])``; ``partnership`` is short for ``partnership.preset``,
    other keywords are key paths with ``__`` for ``.``; a keyword whose value
    is not a list is an override common to every configuration. ``differences`` is
    ``results.paired(baseline)``: each configuration minus the baseline (the
    first unless named), per metric and organisation, with mean, sd, lo, hi, n
    and baseline_mean."""
    configs = {}
    if configurations is not None:
        if isinstance(configurations, dict):
            configs.update({str(k): dict(v) for k, v in configurations.items()})
        else:
            for c in configurations:
                configs[", ".join(f"{k}={_label(v)}" for k, v in c.items()) or "base"] = dict(c)
    common = {key_path(k): v for k, v in levers.items() if not isinstance(v, (list, tuple))}
    levers = {k: v for k, v in levers.items() if isinstance(v, (list, tuple))}
    if levers:
        keys = [("partnership.preset" if k == "partnership" else key_path(k)) for k in levers]
        values = list(levers.values())
        n = {len(v) for v in values}
        if len(n) != 1:
            raise ValueError("compare: keyword lists must have the same length")
        for i in range(n.pop()):
            ov = {k: v[i] for k, v in zip(keys, values)}
            label = (_label(values[0][i]) if len(keys) == 1
                     else ", ".join(f"{k}={_label(v)}" for k, v in ov.items()))
            configs[label] = ov
    if len(configs) < 2:
        raise ValueError("compare: give at least two configurations")
    base = _prepare(scenario, overrides, common, replicates, seed)
    # each configuration is named by its label (kept in results files)
    scenarios = [base.copy(dict(ov, name=label)) for label, ov in configs.items()]
    res = _execute(scenarios, labels=list(configs), threads=threads, progress=progress,
                   cancel=cancel)
    return Comparison(res, res.paired(baseline))


def sweep(scenario, vary, *, replicates=None, seed=None, threads=None, overrides=None,
          progress=None):
    """Run the full grid of `vary` (key path -> list of values) in one run on
    common random numbers. The scenario dimension of the results is labelled
    ``"key=value, ..."`` and carries one coordinate per swept key holding its
    value, so ``res.table()`` has a column per key and
    ``res.summary.set_index(scenario=list(vary)).unstack("scenario")`` gives
    one dimension per key."""
    keys = [key_path(k) for k in vary]
    grid = list(itertools.product(*[list(v) for v in vary.values()]))
    base = _prepare(scenario, overrides, {}, replicates, seed)
    scenarios, labels = [], []
    for point in grid:
        ov = dict(zip(keys, point))
        labels.append(", ".join(f"{k}={_label(v)}" for k, v in ov.items()))
        scenarios.append(base.copy(dict(ov, name=labels[-1])))
    coords = {k: [p[i] for p in grid] for i, k in enumerate(keys)}
    return _execute(scenarios, labels=labels, coords=coords, threads=threads, progress=progress)
