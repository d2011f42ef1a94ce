"""A new scenario for your own system, from the calibrated reference
(``wf_template``: the text ``winterflow init`` writes).

    text = wf.init("mine", hospitals={"general": 900, "royal": None},
                   councils={"town": 350000, "shire": 250000}, path="mine.yaml")
    s = wf.Scenario.from_file("mine.yaml")
"""

import math
import os

from ._lib import ffi, lib, string, take_string
from .errors import check


def _sizes(x):
    """A list of names, or a dict name -> size (None or NaN: not given)."""
    if x is None:
        return []
    if isinstance(x, str):
        return [(x, math.nan)]
    if isinstance(x, dict):
        return [(k, math.nan if v is None else float(v)) for k, v in x.items()]
    return [(k, math.nan) for k in x]


def init(name, hospitals=None, councils=None, community=None, voluntary=None, from_csv=None,
         path=None, overwrite=False):
    """The YAML text of a new scenario named `name`: every block but the
    organisations is the reference's; the organisations are these, each key
    written out, capacities scaled from the reference to each one's size
    (`hospitals`: G&A beds, `councils`: residents, `community`: intermediate
    care beds, `voluntary`: places; given as a dict name -> size, or a list
    of names to let the library choose). `from_csv`: organisations from a
    CSV file (columns kind, name, beds, population, ...). The text is
    validated by the library; with `path` it is also written there (an
    existing file only with `overwrite`)."""
    t = ffi.gc(lib.wf_template_create(), lib.wf_template_destroy)
    if t == ffi.NULL:
        raise MemoryError("wf_template_create")
    err = lambda: string(lib.wf_template_error(t))  # noqa: E731
    if from_csv is not None:
        check(lib.wf_template_read_csv(t, os.fspath(from_csv).encode()), err)
    for kind, orgs in ((lib.WF_ORG_HOSPITAL, hospitals), (lib.WF_ORG_LOCALITY, councils),
                       (lib.WF_ORG_COMMUNITY, community), (lib.WF_ORG_VOLUNTARY, voluntary)):
        for n, size in _sizes(orgs):
            check(lib.wf_template_add(t, kind, str(n).encode(), size), err)
    p = lib.wf_template_yaml(t, str(name).encode())
    if p == ffi.NULL:
        check(lib.WF_EINVAL, err)
    text = take_string(p)
    if path is not None:
        with open(os.fspath(path), "w" if overwrite else "x", encoding="utf-8") as f:
            f.write(text)
    return text
