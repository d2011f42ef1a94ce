#!/usr/bin/env bash
# The sweep benchmark of issue 4: `winterflow sweep` of the default model
# (models/reference.yaml), 100 scenarios x 20 replicates, on 1 thread and on
# all cores (default 2), and the thread scaling (floor: 1.8x from 1 to 2).
#
#   bench/sweep_bench.sh [BUILD_DIR] [THREADS]     (defaults: build, 2)
#
# Prints a Markdown record (machine, commit, load, commands, times) on
# stdout; save it under bench/results/. Run it on an idle machine: the
# figures are wall-clock, and the load average before each run is recorded.
set -euo pipefail
build=${1:-build}
threads=${2:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
wf=$build/winterflow
[ -x "$wf" ] || { echo "no $wf: build first (cmake --build $build)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# 100 scenarios: pooled capacity 0, 0.01, ..., 0.99.
design=(--vary partnership.pooled_capacity=0:0.99:0.01)
cmd=("$wf" sweep "$here/models/reference.yaml" "${design[@]}" --replicates 20 --quiet)

run() {  # run THREADS: wall seconds of one sweep into a fresh file
  local t=$1 start end
  rm -f "$tmp/s.h5"
  start=$(date +%s.%N)
  "${cmd[@]}" --threads "$t" --out "$tmp/s.h5" >"$tmp/out"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

echo "# Sweep benchmark: 100 scenarios x 20 replicates of models/reference.yaml"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "- commit: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$here" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "- command: \`winterflow sweep models/reference.yaml ${design[*]} --replicates 20 --threads T --out s.h5\`"
echo
echo "| threads | wall (s) | scenarios/s | replicates/s | load average before |"
echo "| ---: | ---: | ---: | ---: | --- |"
t1=""
for t in 1 "$threads"; do
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  w=$(run "$t")
  [ -z "$t1" ] && t1=$w
  printf '| %s | %.1f | %.2f | %.1f | %s |\n' "$t" "$w" "$(echo "100 / $w" | bc -l)" \
    "$(echo "2000 / $w" | bc -l)" "$load"
  last=$w
done
echo
printf 'Scaling 1 -> %s threads: %.2fx (floor 1.8x for 2 threads).\n' "$threads" "$(echo "$t1 / $last" | bc -l)"
echo
echo "File size: $(stat -c %s "$tmp/s.h5") bytes."
