# Sourced by the MPI benchmarks (mpi_bench.sh, writers_bench.sh) after
# setting `build`: the programs they run, mpirun, a temporary folder
# removed at exit, and the lines that open their records.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
wf=$build/winterflow
bw=$build/bench_writer
for x in "$wf" "$bw"; do [ -x "$x" ] || { echo "no $x: build first (cmake --build $build)" >&2; exit 2; }; done
mpirun=$(command -v mpirun) || { echo "no mpirun (Debian: openmpi-bin)" >&2; exit 2; }
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cores=$(nproc)

# The record's date, commit and machine, as Markdown list items.
record_header() {
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "- commit: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$here" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- machine: $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $("$mpirun" --version | head -1)"
}
