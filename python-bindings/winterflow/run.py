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

import os
import signal
import sys
import threading
from typing import NamedTuple

import pandas as pd

from ._lib import ffi, lib, options, string
from .errors import check
from .calibrate import as_posterior
from .design import Design
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
        lib.wf_cancel_request(self._ptr)

    @property
    def cancelled(self):
        return bool(lib.wf_cancel_requested(self._ptr))

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


def _prepare(scenario, overrides, kw):
    """A copy of the scenario with the overrides applied."""
    s = as_scenario(scenario)
    ov = dict(overrides or {})
    ov.update({key_path(k): v for k, v in kw.items()})
    return s.copy(ov)


def _callbacks(progress, state):
    """The progress callback of wf_run and wf_sweep: `progress` (True: a
    line on stderr; a function (done, total) that may return True to stop)."""
    if progress is True:
        progress = _text_progress

    def on_error(exctype, value, tb):
        state["exc"] = value
        return 1

    @ffi.callback("int(void *, size_t, size_t)", onerror=on_error)
    def callback(user, done, total):
        if progress is not None and progress(int(done), int(total)):
            return 1
        return 0

    return callback


def _options(ctype, replicates, seed, threads, progress, cancel):
    """The run options shared by wf_run_options and wf_sweep_options, as the
    CLI passes them: replicates and seed as given (None: the scenario's),
    the progress callback (keep it alive while the run goes) and a Cancel
    (the caller's or a new one, which Ctrl-C raises)."""
    o = options(ctype)
    if replicates is not None:
        o.replicates = int(replicates)
    if seed is not None:
        o.seed = int(seed)
    if threads is not None:
        o.threads = int(threads)
    state = {"exc": None}
    if cancel is None:
        cancel = Cancel()
    o.cancel = cancel._ptr
    o.progress = callback = _callbacks(progress, state)
    return o, cancel, state, callback


def _finish(status, state, interrupt, message):
    if status == lib.WF_ECANCELLED and interrupt.flag:
        raise KeyboardInterrupt("winterflow run interrupted")
    if state["exc"] is not None:
        raise state["exc"]
    check(status, message)
    if interrupt.flag:
        raise KeyboardInterrupt("winterflow run interrupted")


def _execute(scenarios, labels=None, coords=None, replicates=None, seed=None, threads=None,
             progress=None, event_log=False, cancel=None, posterior=None):
    """One wf_run over `scenarios`; the Results labelled with `labels`.
    replicates and seed are run options, as the CLI passes them (the
    scenarios keep their own run.replicates and run.seed). `posterior`: a
    Calibration (or its file) each replicate draws its parameters from."""
    for s in scenarios:
        s.validate()
    r = ffi.gc(lib.wf_results_create(), lib.wf_results_destroy)
    if r == ffi.NULL:
        raise MemoryError("wf_results_create")
    opts, cancel, state, callback = _options("wf_run_options", replicates, seed, threads, progress,
                                             cancel)
    opts.event_log = 1 if event_log else 0
    posterior = as_posterior(posterior)
    if posterior is not None:
        opts.posterior = posterior._ptr
    interrupt = _Interrupt(cancel)
    arr = ffi.new("const wf_scenario *[]", [s._ptr for s in scenarios])
    with interrupt:
        status = lib.wf_run(r, arr, len(scenarios), opts)  # GIL released here
    _finish(status, state, interrupt, lambda: string(lib.wf_results_error(r)))
    return Results(r, labels=labels, coords=coords, scenarios=scenarios)


def run(scenario, *, replicates=None, seed=None, threads=None, overrides=None,
        progress=None, event_log=False, cancel=None, posterior=None, **kw):
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
    thread may raise to stop the run (CancelledError). ``posterior``: a
    :class:`Calibration` (or its file): each replicate draws its parameters
    from it (``Results.posterior_draws``). The scenario passed in is not
    modified."""
    s = _prepare(scenario, overrides, kw)
    return _execute([s], replicates=replicates, seed=seed, threads=threads, progress=progress,
                    event_log=event_log, cancel=cancel, posterior=posterior)


class Comparison(NamedTuple):
    """What :func:`compare` returns; unpacks as ``res, diff = wf.compare(...)``."""
    results: Results
    differences: pd.DataFrame


def compare(scenario, configurations=None, *, baseline=0, replicates=None, seed=None,
            threads=None, overrides=None, progress=None, cancel=None, posterior=None, **levers):
    """Run configurations of one system together (common random numbers) and
    return ``Comparison(results, differences)``.

    Configurations are given either as ``configurations`` (a dict of label ->
    overrides, or a list of overrides dicts) or as keyword lists, zipped
    position by position: ``compare(s, partnership=["fragmented",
    "integrated"])``; ``partnership`` is short for ``partnership.preset``,
    other keywords are key paths with ``__`` for ``.``; a keyword whose value
    is not a list is an override common to every configuration. Each
    configuration is a point of a design (:class:`Design`): the library
    applies it to the scenario and names it, by the same rule as the CLI's
    ``compare`` (the value alone for one key, else "key=value, ..."), unless
    the dict names it. ``differences`` is ``results.paired(baseline)``: each
    configuration minus the baseline (the first unless named), per metric
    and organisation, with mean, sd, lo, hi, n and baseline_mean.
    ``posterior``: a :class:`Calibration` (or its file): replicate r of
    every configuration draws the same parameter set from it, so the paired
    differences carry parameter uncertainty as well as chance."""
    d = Design()
    n_configs = 0
    if configurations is not None:
        items = (configurations.items() if isinstance(configurations, dict)
                 else [(None, c) for c in configurations])
        for label, ov in items:
            d.point(dict(ov), label=label)
            n_configs += 1
    common = {key_path(k): v for k, v in levers.items() if not isinstance(v, (list, tuple))}
    levers = {k: v for k, v in levers.items() if isinstance(v, (list, tuple))}
    if levers:
        keys = [("partnership.preset" if k == "partnership" else key_path(k)) for k in levers]
        values = list(levers.values())
        n = {len(v) for v in values}
        if len(n) != 1:
            raise ValueError("compare: keyword lists must have the same length")
        for i in range(n.pop()):
            d.point({k: v[i] for k, v in zip(keys, values)})
            n_configs += 1
    if n_configs < 2:
        raise ValueError("compare: give at least two configurations")
    d.validate()
    base = _prepare(scenario, overrides, common)
    scenarios = [d.scenario(i, base) for i in range(len(d))]
    res = _execute(scenarios, labels=d.labels, replicates=replicates, seed=seed, threads=threads,
                   progress=progress, cancel=cancel, posterior=posterior)
    return Comparison(res, res.paired(baseline))


def sweep(scenario, vary=None, *, samples=None, design_file=None, out=None, overwrite=False,
          replicates=None, seed=None, threads=None, chunk=None, overrides=None, progress=None,
          cancel=None, command_line=None, posterior=None, part=None):
    """Sweep a design over a scenario with the library's sweep (as ``winterflow
    sweep`` does: the same points, names and file) and return the
    :class:`Results` read back from the results file.

    The design: ``vary``, a dict of key path -> values (a list; a string
    ``"lo:hi:step"``, ``"lo:hi"`` or ``"a,b,c"`` as the CLI's ``--vary``; or
    a tuple ``(lo, hi)`` / ``(lo, hi, step)``), crossed into every
    combination (the first key varies slowest), sampled by a Latin hypercube
    of ``samples`` points over the ranges if given (placed by the run's
    seed, as the CLI does); or ``design_file``, a CSV file. All points share
    the replicates and the seed (common random numbers).

    ``out``: the results file. The sweep saves chunks as it goes; an
    existing file that holds the first points of this same sweep is
    continued (an interrupted sweep, run again, computes only the rest),
    another file is an error unless ``overwrite``. Without ``out`` the
    sweep goes to a temporary file, read back and removed. ``chunk``: points
    per saved chunk (default: as the CLI). The results are labelled by the
    points' labels and carry one coordinate per swept key (floats for
    numeric keys, else the values' YAML text). ``posterior``: a
    :class:`Calibration` (or its file) each replicate draws its parameters
    from, the same draw at every point; it cannot set a swept key.
    ``part``: ``(k, n)`` sweeps only part k (1..n) of n equal parts of the
    design, in order, as the CLI's ``--part k/n`` (one file per part, e.g.
    one per job of a job array; ``open_dataset`` reads the parts' files as
    one)."""
    base = _prepare(scenario, overrides, {})
    d = Design()
    if design_file is not None:
        if vary or samples:
            raise ValueError("sweep: design_file gives the whole design (no vary, no samples)")
        d.read_csv(design_file)
    for k, v in (vary or {}).items():
        d.vary(k, v)
    if samples:
        d.lhs(samples, seed if seed is not None else int(base.get("run.seed")))
    d.validate()
    if part is not None:
        d.part(*part)

    tmpdir = None
    if out is None:
        import tempfile
        tmpdir = tempfile.mkdtemp(prefix="winterflow-sweep-")
        out = os.path.join(tmpdir, "sweep.h5")
    try:
        _sweep_file(base, d, os.fspath(out), overwrite, replicates, seed, threads, chunk,
                    progress, cancel, command_line, as_posterior(posterior))
        from .results import open_results
        res = open_results(out)
    finally:
        if tmpdir:
            import shutil
            shutil.rmtree(tmpdir, ignore_errors=True)
    return Results(res._ptr, labels=d.labels, coords=d.coordinates())


def _sweep_file(base, d, out, overwrite, replicates, seed, threads, chunk, progress, cancel,
                command_line, posterior=None):
    """wf_sweep_open and wf_sweep_run into `out`."""
    sw = ffi.gc(lib.wf_sweep_create(), lib.wf_sweep_destroy)
    if sw == ffi.NULL:
        raise MemoryError("wf_sweep_create")
    o, cancel, state, callback = _options("wf_sweep_options", replicates, seed, threads, progress,
                                          cancel)
    if chunk is not None:
        o.chunk = int(chunk)
    o.overwrite = 1 if overwrite else 0
    cl = ffi.new("char[]", command_line.encode()) if command_line else ffi.NULL
    o.command_line = cl
    if posterior is not None:
        o.posterior = posterior._ptr
    message = lambda: string(lib.wf_sweep_error(sw))  # noqa: E731
    check(lib.wf_sweep_open(sw, base._ptr, d._ptr, out.encode(), o), message)
    interrupt = _Interrupt(cancel)
    with interrupt:
        status = lib.wf_sweep_run(sw)  # GIL released here
    _finish(status, state, interrupt, message)
