#!/usr/bin/env bash
# Quick start: install what winterflow needs (Debian/Ubuntu), build it in
# Release mode into build/, and run the reference model under the fragmented
# and the integrated partnership presets. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
. scripts/deps.sh

wf_ensure_packages build-essential cmake libgsl-dev libhdf5-dev libyaml-dev pkg-config
wf_check_cmake

jobs=-j2
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build $jobs

# TODO(compare, hdf5): once the `compare` verb and HDF5 output exist, replace
# the two runs below with one paired comparison on common random numbers:
#   build/winterflow compare models/reference.yaml \
#     --set partnership.preset=fragmented --set partnership.preset=integrated \
#     --out results.h5
for preset in fragmented integrated; do
  echo
  echo "=== models/reference.yaml, partnership.preset=$preset"
  build/winterflow run models/reference.yaml --set partnership.preset=$preset \
    --out results-$preset.h5 --force
done
echo
echo "Results files: results-fragmented.h5, results-integrated.h5 (docs/results-file.md);"
echo "open one with: /usr/bin/python3 -c 'import xarray as xr; print(xr.open_dataset(\"results-integrated.h5\", engine=\"h5netcdf\"))'"
