#!/usr/bin/env bash
# Quick start: install what winterflow needs (Debian/Ubuntu), build it in
# Release mode into build/, and run the reference model under the fragmented
# and the integrated partnership presets. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
. scripts/deps.sh

wf_ensure_packages build-essential cmake libgsl-dev libhdf5-dev libyaml-dev libcsv-dev pkg-config zlib1g-dev \
  libplplot-dev libxlsxwriter-dev
wf_check_cmake

jobs=-j2
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build $jobs

# The main job: the default model's winter under the fragmented and the
# integrated partnership presets, with common random numbers; each metric's
# mean and 95% interval per configuration and the paired difference, on
# screen, and every daily series and replicate in results.h5.
echo
build/winterflow compare models/reference.yaml --partnership fragmented,integrated \
  --out results.h5 --force
echo
echo "Results file: results.h5 (layout: docs/results-file.md). Open it with:"
echo "  /usr/bin/python3 -c 'import xarray as xr; print(xr.open_dataset(\"results.h5\", engine=\"h5netcdf\"))'"
