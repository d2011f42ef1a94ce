#!/usr/bin/env python3
"""h5same.py A B [C ...] [--occasion NAMES]: results files hold the same
objects as A (each of B, C, ... compared with A),
object by object: every group and dataset at the same paths, every dataset
with the same shape, type and values (numbers by their bytes, NaN included),
and every attribute equal, except those that record the occasion of a run
(docs/results-file.md): by default created, run_started, run_finished,
threads, command_line and rerun (a recipe that names the file); --occasion
gives the list (comma-separated; "" for none). Exit 0 and "ok: N objects
identical", else an assertion naming the first object that differs.

Used by tests/cli/cli_test.sh (threads, chunks, resume) and
tests/cli/mpi_test.sh (ranks). Needs h5py (python3-h5py, installed by
scripts/test.sh): without it the tests fail, they never pass by skipping."""
import sys

import h5py
import numpy as np

args = sys.argv[1:]
occasion = {"created", "run_started", "run_finished", "threads", "command_line", "rerun"}
if "--occasion" in args:
    i = args.index("--occasion")
    occasion = {n for n in args[i + 1].split(",") if n}
    del args[i:i + 2]


# DIMENSION_LIST / REFERENCE_LIST hold object references (file addresses):
# compared by what they point to, not by bytes.
def attr(o, k, v):
    if k in ("DIMENSION_LIST", "REFERENCE_LIST"):
        return repr([[o.file[r].name for r in np.ravel(x) if isinstance(r, h5py.Reference)]
                     if not isinstance(x, h5py.Reference) else [o.file[x].name]
                     for x in np.ravel(np.asarray(v, dtype=object))])
    v = np.asarray(v)
    return (v.tolist() if v.dtype.kind == "O" else v.tobytes(), v.dtype.str)


def attrs(o):
    return {k: attr(o, k, v) for k, v in o.attrs.items() if k not in occasion}


# The reference file's attributes, read once for all the files compared
# with it (resolving DIMENSION_LIST's references is most of the time).
ref_attrs_of = {}


def ref_attrs(o):
    if o.name not in ref_attrs_of:
        ref_attrs_of[o.name] = attrs(o)
    return ref_attrs_of[o.name]


def same(a, b):
    names = []
    a.visit(names.append)
    nb = []
    b.visit(nb.append)
    assert sorted(names) == sorted(nb), (set(names) ^ set(nb))
    assert ref_attrs(a) == attrs(b), "root attributes differ: %r" % sorted(
        k for k in set(attrs(a)) | set(attrs(b)) if attrs(a).get(k) != attrs(b).get(k))
    for n in names:
        x, y = a[n], b[n]
        assert type(x) == type(y), n
        assert ref_attrs(x) == attrs(y), "attributes of %s differ" % n
        if isinstance(x, h5py.Dataset):
            assert x.shape == y.shape and x.dtype == y.dtype, n
            u, v = x[()], y[()]
            if x.dtype.kind == "O":   # variable-length strings: by value
                ok = np.asarray(u).tolist() == np.asarray(v).tolist()
            else:                     # numbers: by bytes (NaN included)
                ok = np.asarray(u).tobytes() == np.asarray(v).tobytes()
            assert ok, "dataset %s differs" % n
    return len(names)


assert len(args) >= 2, "usage: h5same.py A B [C ...] [--occasion NAMES]"
ref = h5py.File(args[0], "r")
for other in args[1:]:
    try:
        n = same(ref, h5py.File(other, "r"))
    except AssertionError as e:
        sys.exit("%s differs from %s: %s" % (other, args[0], e))
    print("ok: %s: %d objects identical (occasion: %s)" % (other, n, ", ".join(sorted(occasion)) or "none"))
