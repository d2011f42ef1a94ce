"""The cffi declarations (winterflow/_lib.py) are the header's: every struct,
enum and function of include/winterflow.h appears in them with the same text
(comments and whitespace aside). An ABI-mode binding cannot check this at
build time, so this test does: a field added to a struct in the header and
not here would corrupt memory."""

import os
import re

import pytest

HEADER = os.path.join(os.path.dirname(__file__), "..", "..", "include", "winterflow.h")


def declarations(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = "\n".join(l for l in text.splitlines() if not l.strip().startswith("#"))
    text = text.replace('extern "C" {', " ")
    out, depth, cur = [], 0, ""
    for ch in text:
        cur += ch
        depth += ch == "{"
        depth -= ch == "}"
        if ch == ";" and depth == 0:
            out.append(" ".join(cur.replace("}", "} ").split()))
            cur = ""
    return {d for d in out if d and d != ";"}


def test_cdef_matches_header():
    if not os.path.exists(HEADER):
        pytest.skip("no header in this checkout")
    import importlib
    _lib = importlib.import_module("winterflow._lib")
    header = declarations(open(HEADER).read())
    ours = declarations(_lib.CDEF)
    header = {d.replace("} ", "}").replace("{ ", "{") for d in header}
    ours = {d.replace("} ", "}").replace("{ ", "{") for d in ours}
    missing = sorted(header - ours)
    assert not missing, "declarations of winterflow.h missing from _lib.CDEF:\n" + "\n".join(missing)
