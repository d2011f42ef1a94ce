"""The GIL is released during runs; Ctrl-C stops a run cleanly."""

import os
import subprocess
import sys
import textwrap
import threading
import time


def test_gil_released(wf, reference):
    s = wf.Scenario.from_file(reference)
    count = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            count[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        time.sleep(0.05)
        before = count[0]
        t0 = time.perf_counter()
        wf.run(s, replicates=6, threads=1)
        elapsed = time.perf_counter() - t0
        during = count[0] - before
    finally:
        stop.set()
        t.join()
    # A thread held off by the GIL would manage a handful of increments at
    # the progress callbacks; a free one manages millions per second.
    assert elapsed > 0.2, elapsed
    assert during > 20000 * elapsed, (during, elapsed)


def test_ctrl_c_interrupts(reference):
    script = textwrap.dedent(f"""
        import os, signal, sys, threading, time
        import winterflow as wf
        threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        t0 = time.perf_counter()
        try:
            wf.run({reference!r}, replicates=400, threads=1)
            print("finished")
        except KeyboardInterrupt:
            print("interrupted", round(time.perf_counter() - t0, 2))
        print("handler restored", signal.getsignal(signal.SIGINT) is signal.default_int_handler)
        print("wakeup fd restored", signal.set_wakeup_fd(-1) == -1)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, env=os.environ).stdout
    assert "interrupted" in out, out
    assert float(out.split("interrupted")[1].split()[0]) < 10
    assert "handler restored True" in out and "wakeup fd restored True" in out
