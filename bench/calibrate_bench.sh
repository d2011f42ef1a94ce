#!/usr/bin/env bash
# The calibration benchmark of issue 14: `winterflow calibrate` of the
# reference (models/reference.yaml) to its shipped targets with the default
# budget (4,000 simulations), the command of models/data/README.md. Times it
# (wall and CPU), then checks that it reproduces the committed summary
# models/data/reference_posterior.json exactly (the posterior does not
# depend on the thread count). Goal: under 15 minutes on 2 idle cores.
#
#   bench/calibrate_bench.sh [BUILD_DIR] [THREADS]      (defaults: build, 2)
#
# Prints a Markdown record (machine, commit, load, command, times) on
# stdout; save it under bench/results/. The figures are wall clock: run it
# on an idle machine (the load average before the run is recorded).
set -euo pipefail
build=${1:-build}
threads=${2:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
wf=$build/winterflow
[ -x "$wf" ] || { echo "no $wf: build first (cmake --build $build)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmd=("$wf" calibrate "$here/models/reference.yaml" --observed "$here/models/data/reference_targets.csv"
     --vary partnership.assessment_delay.mean_days=0.25:2
     --vary partnership.provider_assessment.mean_days=0.5:3
     --vary services.care_home.match=0.001:0.005
     --vary community.community_trust.intermediate_care_beds=150:260
     --vary services.home_care.hours_per_worker_week=18:26
     --seed 1 --threads "$threads" --json --quiet --out "$tmp/cal.h5")
echo "# Calibration of the reference: $(date -u +%Y-%m-%d)"
echo
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "- commit: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- command: \`winterflow calibrate models/reference.yaml ... --seed 1 --threads $threads\` (models/data/README.md)"
/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "${cmd[@]}" >"$tmp/out.json"
read -r wall user sys rss <"$tmp/time"
echo "- wall: ${wall} s; CPU: user ${user} s + system ${sys} s; peak memory $((rss / 1024)) MiB"
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)
"$python" - "$tmp/out.json" "$here/models/data/reference_posterior.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
keys = ("parameters", "metrics", "generations", "simulations", "converged")
same = all(a[k] == b[k] for k in keys)
print(f"- simulations: {a['simulations']}; generations: {len(a['generations'])}; "
      f"converged: {a['converged']}")
print(f"- reproduces models/data/reference_posterior.json: {'yes' if same else 'NO'}")
sys.exit(0 if same else 1)
PY
