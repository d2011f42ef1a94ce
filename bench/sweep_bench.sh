#!/usr/bin/env bash
# The sweep benchmark of issue 4: `winterflow sweep` of the default model
# (models/reference.yaml), 100 scenarios x 20 replicates, on 1 thread and on
# all cores (default 2), and the thread scaling (floor: 1.8x from 1 to 2).
#
#   bench/sweep_bench.sh [BUILD_DIR] [THREADS] [SCENARIOS]
#                                   (defaults: build, 2, 100; SCENARIOS <= 100
#                                   for a shorter run: the first SCENARIOS
#                                   values of the same design)
#
# Prints a Markdown record (machine, commit, load, commands, times) on
# stdout; save it under bench/results/. With WF_BENCH_CONTROL=1 each sweep
# is followed by the same scenarios through `compare` (one run, no file):
# the run without any saving at that moment. (One wf_run of many scenarios
# holds all their daily series in memory and costs more CPU per scenario
# than the sweep's chunks, so the control is an upper bound, not the pure
# simulation time.) Run it on an idle machine: the
# figures are wall-clock, and the load average before each run is recorded.
set -euo pipefail
build=${1:-build}
threads=${2:-2}
nscen=${3:-100}
here=$(cd "$(dirname "$0")/.." && pwd)
wf=$build/winterflow
[ -x "$wf" ] || { echo "no $wf: build first (cmake --build $build)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# 100 scenarios: pooled capacity 0, 0.01, ..., 0.99 (or the first $nscen).
design=(--vary "partnership.pooled_capacity=0:$(printf '%.2f' "$(echo "($nscen - 1) / 100" | bc -l)"):0.01")
cmd=("$wf" sweep "$here/models/reference.yaml" "${design[@]}" --replicates 20 --quiet)

run() {  # run THREADS: "wall user+sys" seconds of one sweep into a fresh file
  local t=$1
  rm -f "$tmp/s.h5"
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" "${cmd[@]}" --threads "$t" --out "$tmp/s.h5" >"$tmp/out"
  awk '{ printf "%s %.1f\n", $1, $2 + $3 }' "$tmp/time"
}
# The control: the same scenarios simulated by `compare` (one run, no file),
# i.e. the simulation's own scaling on this machine at this time.
sim() {
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$wf" compare "$here/models/reference.yaml" \
    "${design[@]}" --replicates 20 --quiet --threads "$1" >/dev/null
  awk '{ printf "%s %.1f\n", $1, $2 + $3 }' "$tmp/time"
}

echo "# Sweep benchmark: $nscen scenarios x 20 replicates of models/reference.yaml"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "- commit: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$here" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "- command: \`winterflow sweep models/reference.yaml ${design[*]} --replicates 20 --threads T --out s.h5\`"
echo
echo "| what | threads | wall (s) | CPU user+sys (s) | scenarios/s | replicates/s | load average before |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
t1=""; s1=""
for t in 1 "$threads"; do
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  read -r w c < <(run "$t")
  [ -z "$t1" ] && t1=$w
  printf '| sweep | %s | %.1f | %.1f | %.2f | %.1f | %s |\n' "$t" "$w" "$c" "$(echo "$nscen / $w" | bc -l)" \
    "$(echo "$nscen * 20 / $w" | bc -l)" "$load"
  last=$w
  if [ "${WF_BENCH_CONTROL:-0}" = 1 ]; then
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    read -r w c < <(sim "$t")
    [ -z "$s1" ] && s1=$w
    printf '| compare, no file (control) | %s | %.1f | %.1f | %.2f | %.1f | %s |\n' "$t" "$w" "$c" \
      "$(echo "$nscen / $w" | bc -l)" "$(echo "$nscen * 20 / $w" | bc -l)" "$load"
    slast=$w
  fi
done
echo
printf 'Scaling 1 -> %s threads: %.2fx (floor 1.8x for 2 threads).\n' "$threads" "$(echo "$t1 / $last" | bc -l)"
if [ -n "$s1" ]; then
  printf 'Control (compare, same scenarios, no file): %.2fx.\n' "$(echo "$s1 / $slast" | bc -l)"
fi
echo
echo "File size: $(stat -c %s "$tmp/s.h5") bytes."
