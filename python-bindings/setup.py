"""Packaging metadata lives in pyproject.toml; only the version is here,
read from the one place it is written: project(winterflow VERSION x.y.z) in
the repository's CMakeLists.txt (or, when building from a source
distribution, from its PKG-INFO). At run time ``winterflow.__version__`` is
the version of the C library actually loaded (``wf_version()``)."""

import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))


def version():
    cmake = os.path.join(HERE, "..", "CMakeLists.txt")
    if os.path.exists(cmake):
        with open(cmake) as f:
            m = re.search(r"project\(\s*winterflow\s+VERSION\s+([0-9]+\.[0-9]+\.[0-9]+)", f.read())
        if m:
            return m.group(1)
    pkg_info = os.path.join(HERE, "PKG-INFO")
    if os.path.exists(pkg_info):
        with open(pkg_info) as f:
            m = re.search(r"^Version:\s*(\S+)", f.read(), re.M)
        if m:
            return m.group(1)
    raise RuntimeError("winterflow: no version found (../CMakeLists.txt or PKG-INFO)")


if __name__ == "__main__":
    from setuptools import setup
    setup(version=version())
