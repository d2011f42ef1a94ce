"""The GIL is released during runs; Ctrl-C and Cancel stop a run, inside a
long replicate too. Nothing here is timed: a run that did not stop, or a
GIL that was not released, would hang until pytest's subprocess timeout."""

import os
import subprocess
import sys
import textwrap
import threading

import pytest

# One replicate of twenty years at 20,000 admissions a day: hours of work
# that only a cancellation inside the replicate can end.
HUGE = {
    "name": "huge",
    "run": {"start_date": "2025-12-01", "days": 3650, "warmup_days": 3650, "replicates": 1, "seed": 1},
    "localities": {"north": {"emergency_admissions_per_day": 20000, "hospital_share": {"city": 1.0},
                             "home_care_packages": 30, "care_home_beds": 40}},
    "hospitals": {"city": {"beds": 100000, "ed_policy": "divert"}},
    "community": {"icb": {"intermediate_care_beds": 8, "serves": ["north"]}},
}


def test_gil_released_and_cancel_from_another_thread(wf):
    # Two configurations in one wf_run on one thread: a near-empty one, then
    # the huge one. The progress callback after the first wakes a thread
    # that raises the Cancel: it can run Python only if wf_run released the
    # GIL (the huge replicate calls no callback until its end), so with the
    # GIL held the run would go on for hours.
    s = wf.Scenario.from_dict(HUGE)
    c = wf.Cancel()
    first_done = threading.Event()

    def stopper():
        first_done.wait()
        c.cancel()

    t = threading.Thread(target=stopper)
    t.start()
    configs = {"empty": {"localities.north.emergency_admissions_per_day": 0}, "huge": {}}
    with pytest.raises(wf.CancelledError):
        wf.compare(s, configs, threads=1, cancel=c, progress=lambda done, total: first_done.set())
    t.join()
    assert c.cancelled
    c.reset()
    assert not c.cancelled


def test_ctrl_c_interrupts(wf):
    script = textwrap.dedent(f"""
        import os, signal, sys, threading
        import winterflow as wf
        s = wf.Scenario.from_dict({HUGE!r})
        threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        try:
            wf.run(s, threads=1)
            print("finished")
        except KeyboardInterrupt:
            print("interrupted")
        print("handler restored", signal.getsignal(signal.SIGINT) is signal.default_int_handler)
        print("wakeup fd restored", signal.set_wakeup_fd(-1) == -1)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120, env=os.environ).stdout
    assert "interrupted" in out, out
    assert "handler restored True" in out and "wakeup fd restored True" in out
