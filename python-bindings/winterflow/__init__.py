"""winterflow: simulate winter discharge pressure in health and social care.

Python bindings over the C library (``include/winterflow.h``); the model,
its parameters, defaults and bounds live in the library only.

    import winterflow as wf
    s = wf.Scenario.from_file("models/reference.yaml")
    wf.init("mine", hospitals={"general": 900}, councils={"town": 350000}, path="mine.yaml")
    res = wf.run(s, replicates=10, overrides={"run.days": 90})
    res.table()                                   # mean, 95% interval per metric
    res.daily["occupancy"]                        # xarray (scenario, replicate, day, organisation)
    res, diff = wf.compare(s, partnership=["fragmented", "integrated"])
    sw = wf.sweep(s, vary={"partnership.pooled_capacity": [0, 0.5, 1]}, out="sweep.h5")
    wf.plots.winter(res, metric="nctr_patients")
    cal = wf.calibrate(s, "observed.csv", vary={"services.care_home.match": (0.001, 0.005)})
    wf.plots.posterior(cal); wf.plots.fit(cal)
"""

from . import observed, plots
from ._lib import lib as _clib, library_path, string as _string
from .errors import (CancelledError, InvalidArgumentError, OutOfMemoryError, ParseError,
                     RangeError, ScenarioError, UnknownKeyError, ValueTypeError,
                     WinterflowError, WinterflowIOError)
from .calibrate import Calibration, calibrate, read_calibration
from .design import Design
from .params import param, params
from .results import Results, metrics, open_dataset, open_results
from .run import Cancel, Comparison, compare, run, sweep
from .scenario import Scenario, to_yaml
from .template import init

__version__ = _string(_clib.wf_version())


def build_info():
    """The compiler and flags the C library was built with."""
    return _string(_clib.wf_build_info())


__all__ = ["Scenario", "Results", "Comparison", "Cancel", "Design", "Calibration", "init", "run", "compare", "sweep",
           "calibrate", "read_calibration", "observed", "params", "param",
           "metrics", "open_results", "open_dataset", "plots", "to_yaml", "build_info", "library_path",
           "WinterflowError", "ScenarioError", "ParseError", "UnknownKeyError",
           "ValueTypeError", "RangeError", "WinterflowIOError", "InvalidArgumentError",
           "OutOfMemoryError", "CancelledError"]
