"""Shared setup: the package from this checkout, the library and the CLI
from the build (WINTERFLOW_LIBRARY / WINTERFLOW_CLI, as ctest sets them; else
the most recently built build*/ of the checkout)."""

import glob
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.dirname(HERE)
ROOT = os.path.dirname(PKG)
REFERENCE = os.path.join(ROOT, "models", "reference.yaml")


def _find(env, name):
    if os.environ.get(env):
        return os.path.abspath(os.environ[env])
    # the most recently built one (an ASan build cannot be loaded into Python)
    found = [p for p in glob.glob(os.path.join(ROOT, "build*", name)) if "asan" not in p]
    if not found:
        return None
    p = max(found, key=os.path.getmtime)
    os.environ[env] = p
    return p


LIBRARY = _find("WINTERFLOW_LIBRARY", "libwinterflow.so")
CLI = _find("WINTERFLOW_CLI", "winterflow")

# The package and the library for this process and for the notebook's kernel.
sys.path.insert(0, PKG)
os.environ["PYTHONPATH"] = PKG + os.pathsep + os.environ.get("PYTHONPATH", "")
os.environ.setdefault("MPLBACKEND", "Agg")
if LIBRARY:
    os.environ["WINTERFLOW_LIBRARY"] = LIBRARY

import matplotlib  # noqa: E402

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def wf():
    import winterflow
    return winterflow


@pytest.fixture(scope="session")
def reference():
    return REFERENCE


@pytest.fixture(scope="session")
def tiny():
    """The CLI tests' tiny system (a run takes well under a second)."""
    return os.path.join(ROOT, "tests", "cli", "tiny.yaml")


@pytest.fixture(scope="session")
def cli():
    if not CLI:
        pytest.skip("the winterflow program is not built (set WINTERFLOW_CLI)")
    return CLI
