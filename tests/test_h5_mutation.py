"""Randomly damaged results files (docs/results-file.md, "A damaged or
crafted file"). A small good file is copied a few hundred times, each copy
damaged at random (bytes flipped, a run of bytes overwritten or zeroed, the
file cut short), seeded so that a failure reproduces. Each copy is

  - read and appended to through the C API (tests/h5_mutant.c), and
  - re-run with the CLI: `winterflow run COPY.h5#0`,

each in its own process under a timeout. Every one must end in success with
exactly the undamaged file's data and output, or a clear error (WF_EIO,
exit 4, one line naming the file), never a signal, a hang, a wrong number,
a changed file after a failed append, a temporary file left, or HDF5's own
text on stderr. Run by ctest in the release and sanitizer builds.

For longer runs (the count and the seed):

    WF_MUTANTS=20000 WF_MUTATION_SEED=7 WF_CLI=build/winterflow \\
        WF_MUTANT=build/tests/h5_mutant python3 -m pytest -q tests/test_h5_mutation.py
"""
import concurrent.futures
import os
import random
import shutil
import subprocess

import pytest

CLI = os.environ.get("WF_CLI")
MUTANT = os.environ.get("WF_MUTANT")
SRC = os.path.abspath(os.environ.get("WF_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..")))
TINY = os.path.join(SRC, "tests", "cli", "tiny.yaml")
COUNT = int(os.environ.get("WF_MUTANTS", "200"))
SEED = int(os.environ.get("WF_MUTATION_SEED", "17"))
TIMEOUT = int(os.environ.get("WF_MUTATION_TIMEOUT", "120"))

pytestmark = pytest.mark.skipif(not CLI or not MUTANT, reason="WF_CLI and WF_MUTANT not set")

RUN = ["--set", "run.days=5", "--set", "run.warmup_days=2", "--replicates", "2", "--seed", "3",
       "--threads", "1", "--quiet"]


def damage(data, rng):
    """One random kind of damage; returns the new bytes and what was done."""
    data = bytearray(data)
    kind = rng.choice(["flip", "flip", "flip", "run", "zero", "cut"])
    if kind == "flip":
        at = [rng.randrange(len(data)) for _ in range(rng.randint(1, 4))]
        for i in at:
            data[i] ^= rng.randrange(1, 256)
        return bytes(data), "flip %s" % at
    if kind == "run":
        n = rng.randint(8, 512)
        i = rng.randrange(len(data) - n)
        data[i:i + n] = bytes(rng.randrange(256) for _ in range(n))
        return bytes(data), "random bytes at %d+%d" % (i, n)
    if kind == "zero":
        n = rng.randint(512, 4096)
        i = rng.randrange(len(data) - n)
        data[i:i + n] = bytes(n)
        return bytes(data), "zeros at %d+%d" % (i, n)
    n = rng.randrange(len(data))
    return bytes(data[:n]), "cut to %d bytes" % n


def check(i, good, ref_out, base):
    rng = random.Random(SEED * 1000003 + i)
    data, what = damage(good.read_bytes(), rng)
    d = base / ("m%d" % i)
    d.mkdir()
    path = d / "m.h5"
    path.write_bytes(data)
    work = d / "work"
    work.mkdir()
    where = "mutant %d (seed %d: %s)" % (i, SEED, what)
    try:
        p = subprocess.run([MUTANT, str(good), str(path), str(work), TINY], capture_output=True, text=True,
                           timeout=TIMEOUT, errors="replace")
    except subprocess.TimeoutExpired:
        return "%s: the C API hung" % where, None
    if p.returncode != 0:
        return "%s: C API: exit %d: %s %s" % (where, p.returncode, p.stdout, p.stderr), None
    if p.stderr:
        return "%s: C API printed: %s" % (where, p.stderr), None
    outcome = p.stdout
    try:
        q = subprocess.run([CLI, "run", "%s#0" % path] + RUN, capture_output=True, text=True, timeout=TIMEOUT,
                           errors="replace", cwd=d)
    except subprocess.TimeoutExpired:
        return "%s: run FILE#0 hung" % where, None
    if q.returncode == 0:
        if q.stdout != ref_out or q.stderr:
            return "%s: run FILE#0 succeeded with other output" % where, None
    elif q.returncode == 4:
        lines = q.stderr.strip().splitlines()
        if len(lines) != 1 or not lines[0].startswith("winterflow: ") or "HDF5" in q.stderr:
            return "%s: run FILE#0: not one clear line: %r" % (where, q.stderr), None
    else:
        return "%s: run FILE#0 exited %d: %s" % (where, q.returncode, q.stderr), None
    shutil.rmtree(d)
    return None, (outcome.count("error"), q.returncode)


def test_damaged_files(tmp_path):
    good = tmp_path / "good.h5"
    p = subprocess.run([CLI, "run", TINY] + RUN + ["--out", str(good)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    ref = subprocess.run([CLI, "run", "%s#0" % good] + RUN, capture_output=True, text=True, cwd=tmp_path)
    assert ref.returncode == 0 and not ref.stderr, ref.stderr
    failures, seen = [], {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for bad, outcome in pool.map(lambda i: check(i, good, ref.stdout, tmp_path), range(COUNT)):
            if bad:
                failures.append(bad)
            else:
                seen[outcome] = seen.get(outcome, 0) + 1
    print("outcomes (C API errors, CLI exit): %s" % sorted(seen.items()))
    assert not failures, "\n".join(failures[:20])
    # the damage must have been found, not only survived
    assert sum(n for (errors, rc), n in seen.items() if rc == 4) > COUNT // 4, seen
