"""Scenarios: load from a file, YAML text or a dict; override keys by path.

Overrides go through ``wf_scenario_set`` with the value written as YAML text,
so the library alone decides what a key means, its type and its bounds; the
conversion here is only Python value -> YAML text:

    True -> true, None -> null, 3 -> 3, 0.5 -> 0.5, "integrated" -> integrated,
    datetime.date(2025, 10, 1) -> 2025-10-01, [1, 2] -> [1, 2],
    {"city": 1.0} -> {city: 1.0}
"""

import datetime
import json
import math
import numbers
import os
import re

from ._lib import ffi, lib, string, take_string
from .errors import ScenarioError, check, error_for

_PLAIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-/+ ]*$")


def _yaml_scalar(v):
    if v is None:
        return "null"
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return "true" if bool(v) else "false"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        x = float(v)
        if math.isnan(x):
            return ".nan"
        if math.isinf(x):
            return ".inf" if x > 0 else "-.inf"
        return repr(x)
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()[:10]
    if hasattr(v, "item") and callable(v.item):  # numpy / pandas scalars
        return _yaml_scalar(v.item())
    s = str(v)
    if _PLAIN.match(s) and not s.endswith(" "):
        return s
    return json.dumps(s)  # a JSON string is a YAML double-quoted scalar


def to_yaml(v):
    """A Python value as YAML flow text (the form ``wf_scenario_set`` takes)."""
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_yaml_scalar(k)}: {to_yaml(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)) or type(v).__name__ == "ndarray":
        return "[" + ", ".join(to_yaml(x) for x in v) + "]"
    return _yaml_scalar(v)


def _yaml_document(d, indent=0):
    """A dict as a block-style YAML document (nested maps as blocks, one
    key per line so the library's messages point at useful lines)."""
    pad = "  " * indent
    lines = []
    for k, v in d.items():
        if isinstance(v, dict) and v:
            lines.append(f"{pad}{_yaml_scalar(k)}:")
            lines.append(_yaml_document(v, indent + 1))
        elif isinstance(v, (list, tuple)) and any(isinstance(x, dict) for x in v):
            lines.append(f"{pad}{_yaml_scalar(k)}:")
            lines.extend(f"{pad}  - {to_yaml(x)}" for x in v)
        else:
            lines.append(f"{pad}{_yaml_scalar(k)}: {to_yaml(v)}")
    return "\n".join(lines)


def key_path(name):
    """A keyword argument name as a key path: ``partnership__preset`` ->
    ``partnership.preset`` (dotted names are used as they are)."""
    return name.replace("__", ".")


class Scenario:
    """A scenario held by the C library (``wf_scenario``).

    Build one with :meth:`from_file`, :meth:`from_yaml` or :meth:`from_dict`;
    change it with :meth:`set` (in place) or :meth:`with_` / :meth:`copy`
    (a modified copy). Every method that fails raises a
    :class:`~winterflow.ScenarioError` with the library's message.
    """

    def __init__(self, _ptr=None):
        if _ptr is None:
            _ptr = lib.wf_scenario_create()
        if _ptr == ffi.NULL:
            raise MemoryError("wf_scenario_create")
        self._ptr = ffi.gc(_ptr, lib.wf_scenario_destroy)

    # -- construction -------------------------------------------------------
    @classmethod
    def from_file(cls, path, **overrides):
        """Load a YAML scenario file (following ``extends:``)."""
        s = cls()
        path = os.fspath(path)
        s._check(lib.wf_scenario_load_file(s._ptr, path.encode()))
        return s.set_many(overrides)

    @classmethod
    def from_yaml(cls, text, origin="<string>", **overrides):
        """Load a scenario from YAML text; `origin` names it in messages."""
        s = cls()
        s._check(lib.wf_scenario_load_string(s._ptr, text.encode(), origin.encode()))
        return s.set_many(overrides)

    @classmethod
    def from_dict(cls, d, origin="<dict>", **overrides):
        """Load a scenario from nested dicts (as ``yaml.safe_load`` of a file
        would give). Written to YAML text and loaded by the library."""
        return cls.from_yaml(_yaml_document(d) + "\n", origin=origin, **overrides)

    # -- overrides ----------------------------------------------------------
    def set(self, key, value):
        """Override one key by path, in place: ``s.set("hospitals.city.beds", 900)``.
        Returns the scenario, so calls chain."""
        text = value if isinstance(value, str) and _is_yaml_text(value) else to_yaml(value)
        self._check(lib.wf_scenario_set(self._ptr, key_path(key).encode(), text.encode()))
        return self

    def set_many(self, overrides=None, **kw):
        """Apply a dict of key paths -> values (then keyword arguments), in order."""
        for k, v in dict(overrides or {}, **kw).items():
            self.set(k, v)
        return self

    def copy(self, overrides=None):
        """A copy of this scenario, with `overrides` (key path -> value) applied."""
        p = lib.wf_scenario_clone(self._ptr)
        if p == ffi.NULL:
            raise MemoryError("wf_scenario_clone")
        return Scenario(p).set_many(overrides)

    def with_(self, **overrides):
        """A copy with keyword overrides: ``s.with_(**{"partnership.preset": "integrated"})``
        or ``s.with_(partnership__preset="integrated")`` (``__`` stands for ``.``)."""
        return self.copy(overrides)

    @classmethod
    def check_file(cls, path):
        """Every problem of a scenario file at once, and the warnings about a
        valid one (what ``winterflow validate`` prints): a list of dicts
        ``{"warning": bool, "message": "FILE:LINE:COL: KEY: problem"}``,
        empty when the file is valid and unsuspicious. Raises only for a file
        that cannot be read (``WinterflowIOError``)."""
        s = cls()
        lib.wf_scenario_keep_going(s._ptr, 1)
        path = os.fspath(path)
        st = lib.wf_scenario_load_file(s._ptr, path.encode())
        found = s._problems()
        if st == lib.WF_EIO and not os.path.exists(path):
            s._check(st)
        kinds = range(lib.WF_ORG_SYSTEM)
        if st == lib.WF_OK or any(lib.wf_scenario_org_count(s._ptr, k) for k in kinds):
            lib.wf_scenario_validate(s._ptr)
            found += s._problems()
        return found

    def check(self):
        """Validate, reporting every problem and warning at once instead of
        raising on the first (``wf_scenario_keep_going``); the list of
        :meth:`check_file`."""
        lib.wf_scenario_keep_going(self._ptr, 1)
        try:
            lib.wf_scenario_validate(self._ptr)
            return self._problems()
        finally:
            lib.wf_scenario_keep_going(self._ptr, 0)

    def _problems(self):
        w = ffi.new("int *")
        out = []
        for i in range(lib.wf_scenario_n_problems(self._ptr)):
            msg = string(lib.wf_scenario_problem(self._ptr, i, w))
            out.append({"warning": bool(w[0]), "message": msg})
        return out

    # -- inspection ---------------------------------------------------------
    def validate(self):
        """Apply presets and check every key, bound, sum and reference."""
        self._check(lib.wf_scenario_validate(self._ptr))
        return self

    def to_yaml(self):
        """The resolved scenario (presets applied, every key explicit) as YAML text."""
        p = lib.wf_scenario_to_yaml(self._ptr)
        if p == ffi.NULL:
            raise error_for(lib.WF_EINVAL, self.error or "wf_scenario_to_yaml failed")
        return take_string(p)

    def to_dict(self):
        """The resolved scenario as nested dicts: the library's resolved
        parameters (``params()``, keys split at their dots), each value
        decoded from its YAML text (needs PyYAML)."""
        import yaml
        out = {}
        for key, text in self.params().items():
            *path, last = key.split(".")
            node = out
            for comp in path:
                node = node.setdefault(comp, {})
            node[last] = yaml.safe_load(text)
        return out

    def get(self, key):
        """One resolved parameter as YAML text (``wf_scenario_get``):
        ``s.get("hospitals.city.beds")`` -> ``"1395"``."""
        p = lib.wf_scenario_get(self._ptr, key_path(key).encode())
        if p == ffi.NULL:
            raise error_for(lib.WF_EKEY, self.error or f"{key}: not a parameter")
        return take_string(p)

    def params(self):
        """Every resolved parameter, in table order, as a dict of key ->
        value as YAML text (``wf_scenario_each_param``)."""
        out = {}

        @ffi.callback("int(void *, const char *, const char *, const wf_param_info *)")
        def visit(user, key, value, row):
            out[string(key)] = string(value)
            return 0

        self._check(lib.wf_scenario_each_param(self._ptr, visit, ffi.NULL))
        return out

    def organisations(self, kind):
        """The names of the organisations of one kind ("hospital",
        "locality", "community" or "voluntary"), in file order."""
        k = _KINDS.index(kind) if kind in _KINDS else None
        if k is None or kind == "system":
            raise ValueError(f"kind {kind!r}: expected one of {_KINDS[:-1]}")
        return [string(lib.wf_scenario_org_name(self._ptr, k, i))
                for i in range(lib.wf_scenario_org_count(self._ptr, k))]

    @property
    def name(self):
        return string(lib.wf_scenario_name(self._ptr))

    @property
    def error(self):
        return string(lib.wf_scenario_error(self._ptr))

    def __repr__(self):
        return f"<winterflow.Scenario {self.name!r}>"

    def _check(self, status):
        check(status, lambda: self.error)


# wf_org_kind, in enum order, named by the library
_KINDS = [string(lib.wf_org_kind_name(k)) for k in range(lib.WF_ORG_NKINDS)]


def _is_yaml_text(s):
    """Strings are passed through as YAML text when they are plain scalars or
    flow collections ("[Tue, Thu]"); anything else is quoted."""
    return bool(_PLAIN.match(s)) or (s[:1] in "[{" and s[-1:] in "]}")


def as_scenario(scenario):
    """A Scenario from a Scenario, a path or a dict."""
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, dict):
        return Scenario.from_dict(scenario)
    if isinstance(scenario, (str, os.PathLike)):
        return Scenario.from_file(scenario)
    raise TypeError(f"expected a Scenario, a path or a dict, got {type(scenario).__name__}")


__all__ = ["Scenario", "ScenarioError", "to_yaml"]
