"""The library's parameter table (``wf_param_count`` / ``wf_param_at``)."""


import pandas as pd

from ._lib import ffi, lib, string


def _opt(p):
    return None if p == ffi.NULL else ffi.string(p).decode("utf-8")


def params():
    """Every scenario key as a DataFrame: key, type, default (YAML text; None
    when required), min, max (NaN where none apply), choices, unit, doc.
    Organisation names in keys are written ``<hospital>``, ``<locality>``,
    ``<community>``, ``<voluntary>``."""
    rows = []
    for i in range(lib.wf_param_count()):
        p = lib.wf_param_at(i)
        rows.append({
            "key": string(p.key), "type": string(p.type), "default": _opt(getattr(p, "def")),
            "min": p.min, "max": p.max, "choices": _opt(p.choices),
            "unit": string(p.unit), "doc": string(p.doc),
        })
    return pd.DataFrame(rows, columns=["key", "type", "default", "min", "max", "choices", "unit", "doc"])


def row(p):
    """A ``wf_param_info`` as a dict."""
    return {"key": string(p.key), "type": string(p.type), "default": _opt(getattr(p, "def")),
            "min": p.min, "max": p.max, "choices": _opt(p.choices),
            "unit": string(p.unit), "doc": string(p.doc)}


def param(key):
    """The row of one key as a dict, or KeyError: a pattern such as
    ``hospitals.<hospital>.beds``, or a concrete key such as
    ``hospitals.city.beds`` (``wf_param_for_key``)."""
    p = lib.wf_param_find(key.encode())
    if p == ffi.NULL:
        p = lib.wf_param_for_key(key.encode())
    if p == ffi.NULL:
        raise KeyError(key)
    return row(p)


