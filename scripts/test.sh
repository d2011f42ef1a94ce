#!/usr/bin/env bash
# The full check, as CI runs it (.ci/run): install what is needed, build
# Release with MPI in build/ and run every test, then build with
# AddressSanitizer and UndefinedBehaviorSanitizer (WF_SANITIZE=ON) in
# build-asan/ and run the tests again there (without the valgrind test);
# then the library alone twice: under ThreadSanitizer (WF_TSAN=ON,
# build-tsan/: the test of threads at once) and with clang's libFuzzer
# (WF_FUZZ=ON, build-fuzz/: each fuzz target for a fixed number of new
# inputs). Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
. scripts/deps.sh

wf_ensure_packages build-essential cmake libgsl-dev libhdf5-dev libyaml-dev libcsv-dev pkg-config zlib1g-dev \
  libplplot-dev libxlsxwriter-dev chromium python3-pil python3-openpyxl \
  libopenmpi-dev openmpi-bin valgrind python3 hdf5-tools netcdf-bin clang libclang-rt-dev \
  python3-numpy python3-pandas python3-xarray python3-matplotlib python3-cffi python3-yaml \
  python3-pytest python3-h5py python3-h5netcdf python3-netcdf4 \
  python3-nbclient python3-nbformat python3-nbconvert python3-ipykernel \
  python3-pip python3-venv python3-setuptools python3-wheel
wf_check_cmake

jobs=-j2
failed=()

stage() {  # stage NAME BUILD_DIR CTEST_ARGS -- CMAKE_ARGS...
  local name=$1 dir=$2 ctest_args=$3
  shift 4
  echo
  echo "=== $name: configure and build in $dir"
  if ! cmake -S . -B "$dir" "$@" || ! cmake --build "$dir" $jobs; then
    failed+=("$name build")
    return 0
  fi
  echo "=== $name: ctest"
  # shellcheck disable=SC2086
  if ! (cd "$dir" && ctest --output-on-failure $jobs $ctest_args); then
    failed+=("$name tests")
  fi
}

# Release and sanitizer builds with MPI (WF_MPI=ON fails clearly if it is
# missing), so that the MPI tests (tests/mpi.cmake) always run.
stage release build "" -- -DCMAKE_BUILD_TYPE=Release -DWF_MPI=ON
stage sanitize build-asan "-E valgrind" -- -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWF_SANITIZE=ON -DWF_MPI=ON
stage threads build-tsan "" -- -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWF_TSAN=ON \
  -DWF_BUILD_CLI=OFF -DWF_BUILD_BENCH=OFF
stage fuzz build-fuzz "" -- -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWF_FUZZ=ON -DCMAKE_C_COMPILER=clang \
  -DWF_BUILD_CLI=OFF -DWF_BUILD_BENCH=OFF

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "all tests passed (release, sanitizer, thread-sanitizer and fuzz builds)"
