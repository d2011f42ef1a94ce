#!/usr/bin/env bash
# The benchmark suite, one command:
#     bench/run.sh [BUILD_DIR] [--sweep]
# builds Release in BUILD_DIR (default build-bench), runs bench_core on the
# default model and on the England-scale model (thread scan from 1 to all
# cores, events and memory), the default model against the yardstick
# commit of bench/yardstick.sh (the floor on the machine of the day), the
# event-log cost, and with --sweep the 100-scenario sweep of
# bench/sweep_bench.sh; writes everything, with the
# machine, commit and commands, to bench/results/<date>-<commit>.md and
# prints the file's name. Run it on an idle machine: the figures are wall
# clock.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-bench
sweep=0
for a in "$@"; do
  case $a in
    --sweep) sweep=1 ;;
    *) build=$a ;;
  esac
done
cores=$(nproc)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$cores" >/dev/null
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo "+changes")
out=bench/results/$(date -u +%F)-$commit.md

run() {  # run CMD...: print the command and its output as a markdown block
  echo
  echo '```'
  echo "\$ $*"
  "$@"
  echo '```'
}

{
  echo "# Benchmarks, $(date -u +%F), commit $commit"
  echo
  echo "Machine: $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')),"
  echo "$(free -g | awk '/Mem:/ {print $2}') GiB memory; load before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Build: Release, $(cc --version | head -1)."
  echo
  echo "## Default model (floor: 1,000,000 admitted patients/s/core)"
  run "$build/bench_core" models/reference.yaml --replicates 10 --repeats 5 --threads "$cores" --scan
  echo
  echo "The floor is a wall-clock figure and this machine's speed varies from day to day, so the"
  echo "commit whose record set the engine's figure runs alongside, on the same machine today"
  echo "(bench/yardstick.sh):"
  run bench/yardstick.sh "$build"
  echo
  echo "## England-scale model, one replicate (floor: under 10 s per replicate on one core)"
  echo
  echo "Its 42 systems share border patients (each rural council sends 5% of its admissions to the"
  echo "next system's trust), so one replicate runs them as 42 regions a day at a time in parallel"
  echo "(docs/model.md, \"Systems that share patients\")."
  run "$build/bench_core" models/england.yaml --replicates 1 --repeats 3 --threads "$cores" --scan
  echo
  echo "## Per-patient event log"
  run "$build/bench_core" models/reference.yaml --replicates 4 --repeats 3 --event-log "$(mktemp -u /tmp/wf-bench-XXXXXX.h5)"
  if [ "$sweep" = 1 ]; then
    echo
    echo "## Sweep, 100 scenarios x 20 replicates (floor: 2 threads at least 1.8x faster than 1)"
    run bench/sweep_bench.sh "$build" "$cores"
  fi
  echo
  echo "Load after the run: $(cut -d' ' -f1-3 /proc/loadavg)."
} > "$out"
echo "$out"
