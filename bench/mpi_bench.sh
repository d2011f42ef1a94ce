#!/usr/bin/env bash
# MPI sweep benchmark (issue 15): throughput and efficiency of one sweep on
# 1, 2 and 3 ranks, the writing rank's cost per point in a long sweep, and
# from those the prediction of where one writing rank becomes the
# bottleneck (checked against sweeps that one writer limits, and the remedy,
# several writers, in bench/writers_bench.sh).
#
#   bench/mpi_bench.sh [BUILD_DIR] [POINTS] [REPLICATES]   (defaults: build, 24, 4)
#
# The sweep: models/reference.yaml, POINTS values of
# partnership.pooled_capacity, REPLICATES replicates, one thread per rank
# (`--threads 1`), through `mpirun --oversubscribe` (ranks beyond the
# machine's cores share them: said so in the table). The writer's cost
# comes from bench_writer (bench/bench_writer.c: rank 0's calls replayed on
# one process, CPU time). Prints a Markdown record on
# stdout; save it under bench/results/. Wall-clock figures: run it on an
# idle machine (the load average before each run is recorded).
set -euo pipefail
build=${1:-build}
points=${2:-24}
reps=${3:-4}
# shellcheck source=bench/mpi_setup.sh
. "$(dirname "$0")/mpi_setup.sh"
last=$(echo "($points - 1) / 100" | bc -l)
design=(--vary "partnership.pooled_capacity=0:$(printf '%.2f' "$last"):0.01")
model=$here/models/reference.yaml

# sweep N: "wall CPU" seconds of one sweep into a fresh file on N ranks
# (0: one process, no mpirun).
sweep() {
  local n=$1 pre=()
  [ "$n" -gt 0 ] && pre=("$mpirun" -n "$n" --oversubscribe)
  rm -f "$tmp/s.h5"
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" "${pre[@]}" "$wf" sweep "$model" "${design[@]}" \
    --replicates "$reps" --threads 1 --quiet --out "$tmp/s.h5" >/dev/null
  awk '{ printf "%s %.1f\n", $1, $2 + $3 }' "$tmp/time"
}

echo "# MPI sweep: $points points x $reps replicates of models/reference.yaml"
echo
record_header
echo "- command: \`mpirun -n N --oversubscribe winterflow sweep models/reference.yaml ${design[*]} --replicates $reps --threads 1 --out s.h5\`"
echo
echo "## Throughput on 1, 2 and 3 ranks"
echo
echo "Efficiency: points/s over N times one rank's (per rank), and over"
echo "min(N, cores) times one rank's (per core: ranks beyond $cores cores share them);"
echo "CPU efficiency: one rank's CPU time over N ranks' (the work MPI adds, whatever"
echo "else the machine is doing: on a busy machine the wall-clock columns are not)."
echo
echo "| ranks | on $cores cores | wall (s) | CPU user+sys (s) | points/s | replicates/s | efficiency per rank | per core | CPU efficiency | load average before |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
base=""; cbase=""
for n in 0 1 2 3; do
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  read -r w c < <(sweep "$n")
  tp=$(echo "$points / $w" | bc -l)
  label=$n; [ "$n" = 0 ] && label="1 (no mpirun)"
  over="one each"; [ "$n" -gt "$cores" ] && over="oversubscribed"
  if [ "$n" -le 1 ]; then
    [ "$n" = 1 ] && base=$tp && cbase=$c
    printf '| %s | %s | %.1f | %.1f | %.3f | %.2f | | | | %s |\n' "$label" "$over" "$w" "$c" "$tp" \
      "$(echo "$tp * $reps" | bc -l)" "$load"
  else
    used=$(( n < cores ? n : cores ))
    printf '| %s | %s | %.1f | %.1f | %.3f | %.2f | %.2f | %.2f | %.2f | %s |\n' "$n" "$over" "$w" "$c" "$tp" \
      "$(echo "$tp * $reps" | bc -l)" "$(echo "$tp / ($n * $base)" | bc -l)" \
      "$(echo "$tp / ($used * $base)" | bc -l)" "$(echo "$cbase / $c" | bc -l)" "$load"
  fi
done
echo
echo "## The writing rank's cost per point in a long sweep"
echo
echo "\`bench_writer models/reference.yaml --vary partnership.pooled_capacity=... --replicates R --compute P\`:"
echo "rank 0's calls replayed on one process, in CPU time; P points computed and"
echo "their packs handed round to the rest, so that the file grows as a long sweep's"
echo "does (saves of 1, 1, 2, 4, ... points: at least as many as the file holds)."
echo "The first save makes the file's structure, once a sweep; the later columns"
echo "are per point over the appends, each of which copies and checks the file so"
echo "far. Writer = unpack + shape + save; \"writer limit\" = 1 / writer;"
echo "\"cores at the limit\" = compute / writer: the cores (one thread each) at"
echo "which one writing rank keeps up no longer."
echo
hdr=1
for rp in "4 128 4" "16 64 2"; do
  read -r r n p <<<"$rp"
  lastv=$(echo "($n - 1) / 500" | bc -l)
  out=$("$bw" "$model" --vary "partnership.pooled_capacity=0:$(printf '%.3f' "$lastv"):0.002" --replicates "$r" \
    --compute "$p" --out "$tmp")
  if [ "$hdr" = 1 ]; then echo "$out" | tail -3; hdr=0; else echo "$out" | tail -1; fi
done
echo
echo "A sweep that one writer limits, with one writer and with several, against"
echo "a prediction from these figures: bench/writers_bench.sh."
