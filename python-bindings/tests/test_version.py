"""One version: CMakeLists.txt's project(VERSION) is what the library
reports, what winterflow_version.h says and what the package's metadata
(setup.py) reads."""

import importlib.util
import os

PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_package_version_is_the_librarys(wf):
    spec = importlib.util.spec_from_file_location("wf_setup", os.path.join(PKG, "setup.py"))
    setup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(setup)
    assert setup.version() == wf.__version__
    major, minor, patch = (int(x) for x in wf.__version__.split("."))
    from winterflow._lib import lib
    assert lib.wf_version_number() == major * 1000000 + minor * 1000 + patch
