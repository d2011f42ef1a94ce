#!/usr/bin/env bash
# The Python package installs without an index, as python-bindings/README.md
# says: into a fresh virtual environment of the system interpreter that sees
# Debian's packages (--system-site-packages: numpy, pandas, ...), with
#     pip install --no-build-isolation --no-deps --no-index ./python-bindings
# and then imports and runs from outside the checkout.
#   python_install.sh SOURCE_DIR LIBRARY [PYTHON]
set -euo pipefail
src=$1
library=$2
python=${3:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# pip builds in the folder it is given: build a copy, so that the checkout
# gets no build/ or *.egg-info. setup.py reads the version from
# ../CMakeLists.txt, which the copy keeps beside it.
mkdir "$tmp/src"
cp -r "$src/python-bindings" "$tmp/src/python-bindings"
cp "$src/CMakeLists.txt" "$tmp/src/"
rm -rf "$tmp/src/python-bindings/tests"

"$python" -m venv --system-site-packages --without-pip "$tmp/venv"   # Debian's pip, seen through the system site
"$tmp/venv/bin/python" -m pip install --no-build-isolation --no-deps --no-index \
  --disable-pip-version-check --quiet "$tmp/src/python-bindings"

cd "$tmp"
WINTERFLOW_LIBRARY=$library "$tmp/venv/bin/python" - "$tmp/venv" "$src/tests/cli/tiny.yaml" <<'PY'
import os, sys
import winterflow as wf
venv = os.path.realpath(sys.argv[1])
assert os.path.realpath(wf.__file__).startswith(venv), wf.__file__   # the installed copy
from importlib.metadata import version
assert version("winterflow") == wf.__version__, (version("winterflow"), wf.__version__)
res = wf.run(sys.argv[2], replicates=2)
t = res.table(metrics=["delayed_bed_days"], organisations=["system"])
assert len(t) == 1 and t["mean"].iloc[0] > 0, t
print("ok: winterflow %s installed in a venv, ran the tiny system" % wf.__version__)
PY
