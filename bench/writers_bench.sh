#!/usr/bin/env bash
# Writers benchmark (issue 15): a sweep that one writing rank limits, run
# with one writer and with two (`sweep --writers 2`), on 2 and 3 ranks,
# against a prediction made beforehand from measurements of the parts.
#
#   bench/writers_bench.sh [BUILD_DIR]   (default: build)
#
# The sweep: tests/fixtures/calibrate.yaml at 3 admissions a day, one
# replicate, 400 points saved 10 at a time (--chunk 10: many saves, each
# copying the file so far), so that saving costs several times computing.
# Prints a Markdown record on stdout; save it under bench/results/. Run it on
# an idle machine: the prediction is of wall-clock time.
#
# The prediction, from quantities measured apart from the sweeps it predicts:
#   Wr(p)  the writer's CPU time for part p of the design: bench_writer
#          replays rank 0's calls for those points on one process (unpack,
#          shape, save), the machine otherwise idle;
#   kappa  how much longer the same replay takes while the machine's other
#          cores compute (a simulation on each: caches and memory shared),
#          as they do in a sweep;
#   C      the sweep's computing in CPU time: one process's sweep, less its
#          writer (kappa x Wr of the whole) and less what it does before
#          running any point (below);
#   O      building and checking the points, which every rank of a group
#          does for its part before any runs: one process's CPU time for the
#          same command with --out in a folder that does not exist, which
#          stops there (a part of 200 points: half of it);
#   S      starting and ending the job: the wall time of a one-point sweep
#          on the same ranks.
# With W writers, part p's writer works alone, and every core shares the
# computing and the writing: on N ranks, P = min(N, cores) cores,
#   T = S + O(largest part) + max(kappa x max_p Wr(p), (C + kappa x sum_p Wr(p)) / P).
set -euo pipefail
build=${1:-build}
# shellcheck source=bench/mpi_setup.sh
. "$(dirname "$0")/mpi_setup.sh"
loads=()
trap 'for p in "${loads[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"' EXIT
small=$here/tests/fixtures/calibrate.yaml
key=partnership.assessment_delay.mean_days
fix=(--set localities.north.emergency_admissions_per_day=3)
chunk=10
whole=0.5:4.49:0.01
halves=(0.5:2.49:0.01 2.5:4.49:0.01)  # --part 1/2 and 2/2 of the 400 points

# wr RANGE: the replayed writer's CPU seconds for those points
wr() {
  "$bw" "$small" --vary "$key=$1" "${fix[@]}" --replicates 1 --chunk "$chunk" --out "$tmp" \
    | tail -1 | awk -F'|' '{gsub(/ /, "", $15); print $15}'
}
# sweep N W [RANGE]: wall seconds of the sweep (of RANGE) on N ranks with W
# writers, into fresh files
sweep() {
  rm -f "$tmp"/w*.h5
  /usr/bin/time -f "%e" -o "$tmp/time" "$mpirun" -n "$1" --oversubscribe "$wf" sweep "$small" \
    --vary "$key=${3:-$whole}" "${fix[@]}" --replicates 1 --threads 1 --chunk "$chunk" --writers "$2" --quiet \
    --out "$tmp/w.h5" >/dev/null
  tail -1 "$tmp/time"
}

echo "# Writers: a sweep that one writing rank limits, with one writer and two"
echo
record_header
echo "- sweep: \`mpirun -n N --oversubscribe winterflow sweep tests/fixtures/calibrate.yaml --vary $key=$whole ${fix[*]} --replicates 1 --threads 1 --chunk $chunk --writers W --out w.h5\`"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

w_all=$(wr "$whole")
w_1=$(wr "${halves[0]}")
w_2=$(wr "${halves[1]}")
# kappa: the whole replay again, a simulation running on every other core
for _ in $(seq 2 "$cores"); do
  "$wf" run "$here/models/reference.yaml" --replicates 100000 --threads 1 --quiet >/dev/null 2>&1 &
  loads+=($!)
done
sleep 1
w_loaded=$(wr "$whole")
for p in "${loads[@]}"; do kill "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
loads=()
kappa=$(echo "$w_loaded / $w_all" | bc -l)
rm -f "$tmp"/o.h5
one() {
  /usr/bin/time -f "%U %S" -o "$tmp/time" "$wf" sweep "$small" --vary "$key=$whole" "${fix[@]}" --replicates 1 \
    --threads 1 --chunk "$chunk" --quiet --out "$1" >/dev/null 2>&1 || true
  tail -1 "$tmp/time" | awk '{ print $1 + $2 }'
}
nowhere=$tmp/missing/w.h5
cpu1=$(one "$tmp/o.h5")
cpu_open=$(one "$nowhere")
compute=$(echo "$cpu1 - $cpu_open - $kappa * $w_all" | bc -l)
[ "$(echo "$compute > 0" | bc)" = 1 ] || compute=0

echo "## The inputs"
echo
echo "| quantity | value |"
echo "| --- | ---: |"
printf '| Wr, the whole design (400 points), replayed (CPU s) | %.2f |\n' "$w_all"
printf '| Wr, part 1 of 2 (200 points) | %.2f |\n' "$w_1"
printf '| Wr, part 2 of 2 (200 points) | %.2f |\n' "$w_2"
printf '| the whole replayed with %d other core(s) computing (CPU s) | %.2f |\n' "$((cores - 1))" "$w_loaded"
printf '| kappa | %.2f |\n' "$kappa"
printf '| one process, the whole sweep (CPU s) | %.2f |\n' "$cpu1"
printf '| O, the same stopped before any point runs (CPU s) | %.2f |\n' "$cpu_open"
printf '| C, computing (CPU s) | %.2f |\n' "$compute"
echo
echo "## Predicted against measured"
echo
echo "| ranks | on $cores cores | writers | S, one point (s) | predicted (s) | measured (s) | measured / predicted |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
for n in 2 3; do
  used=$(( n < cores ? n : cores ))
  over="one each"; [ "$n" -gt "$cores" ] && over="oversubscribed"
  for w in 1 2; do
    if [ "$w" = 1 ]; then most=$w_all; sum=$w_all; else
      most=$(awk -v a="$w_1" -v b="$w_2" 'BEGIN { print (a > b ? a : b) }'); sum=$(echo "$w_1 + $w_2" | bc -l); fi
    start=$(sweep "$n" 1 0.5:0.5:0.01)
    got=$(sweep "$n" "$w")
    pred=$(awk -v s="$start" -v o="$cpu_open" -v w="$w" -v k="$kappa" -v m="$most" -v c="$compute" -v t="$sum" \
      -v p="$used" 'BEGIN { alone = k * m; shared = (c + k * t) / p; print s + o / w + (alone > shared ? alone : shared) }')
    printf '| %s | %s | %s | %.2f | %.2f | %.2f | %.2f |\n' "$n" "$over" "$w" "$start" "$pred" "$got" \
      "$(echo "$got / $pred" | bc -l)"
  done
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
