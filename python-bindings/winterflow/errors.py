"""Exceptions: every status other than WF_OK becomes a WinterflowError.

The exception's message is the library's own message for the failed call
(``wf_scenario_error`` / ``wf_results_error``), which names the file, line and
key at fault; ``status`` is the ``wf_status`` name ("WF_EKEY", ...).

    WinterflowError
    ├── ScenarioError           the scenario does not load or validate
    │   ├── ParseError          WF_EPARSE  malformed YAML or a value that does not parse
    │   ├── UnknownKeyError     WF_EKEY    unknown key or organisation ("did you mean ...")
    │   ├── ValueTypeError      WF_ETYPE   a value of the wrong type
    │   └── RangeError          WF_ERANGE  out of bounds, or shares that do not sum to 1
    ├── WinterflowIOError       WF_EIO     a file could not be read or written (also OSError)
    ├── InvalidArgumentError    WF_EINVAL  an invalid argument to an API call (also ValueError)
    ├── OutOfMemoryError        WF_ENOMEM  (also MemoryError)
    ├── CancelledError          WF_ECANCELLED  a progress callback stopped the run
    │                           (Ctrl-C raises KeyboardInterrupt instead)
    └── RankError               WF_ERANK   another rank of an MPI job failed or died
"""

from ._lib import lib, string


class WinterflowError(Exception):
    """A call into the C library failed. ``status`` is the wf_status name,
    ``message`` the library's message."""

    def __init__(self, message, status="WF_EINVAL"):
        super().__init__(message)
        self.message = message
        self.status = status


class ScenarioError(WinterflowError):
    """The scenario did not load, an override was refused, or it does not validate."""


class ParseError(ScenarioError):
    pass


class UnknownKeyError(ScenarioError):
    pass


class ValueTypeError(ScenarioError):
    pass


class RangeError(ScenarioError):
    pass


class WinterflowIOError(WinterflowError, OSError):
    pass


class InvalidArgumentError(WinterflowError, ValueError):
    pass


class OutOfMemoryError(WinterflowError, MemoryError):
    pass


class CancelledError(WinterflowError):
    pass


class RankError(WinterflowError):
    pass


_BY_STATUS = {
    lib.WF_ENOMEM: ("WF_ENOMEM", OutOfMemoryError),
    lib.WF_EIO: ("WF_EIO", WinterflowIOError),
    lib.WF_EPARSE: ("WF_EPARSE", ParseError),
    lib.WF_EKEY: ("WF_EKEY", UnknownKeyError),
    lib.WF_ETYPE: ("WF_ETYPE", ValueTypeError),
    lib.WF_ERANGE: ("WF_ERANGE", RangeError),
    lib.WF_EINVAL: ("WF_EINVAL", InvalidArgumentError),
    lib.WF_ECANCELLED: ("WF_ECANCELLED", CancelledError),
    lib.WF_ERANK: ("WF_ERANK", RankError),
}


def error_for(status, message):
    """The exception for a non-OK status, with the library's message (or the
    status's own description when the object holds none)."""
    name, cls = _BY_STATUS.get(int(status), (f"status {int(status)}", WinterflowError))
    if not message:
        message = string(lib.wf_status_str(status))
    return cls(message, name)


def check(status, message_fn):
    """Raise the exception for `status` unless it is WF_OK; `message_fn()`
    reads the failed object's message."""
    if status != lib.WF_OK:
        raise error_for(status, message_fn())


__all__ = ["WinterflowError", "ScenarioError", "ParseError", "UnknownKeyError",
           "ValueTypeError", "RangeError", "WinterflowIOError", "InvalidArgumentError",
           "OutOfMemoryError", "CancelledError", "RankError"]
