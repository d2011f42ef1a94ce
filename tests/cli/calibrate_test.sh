#!/usr/bin/env bash
# Tests of `winterflow calibrate` and of --posterior in compare and sweep,
# one case per ctest test (tests/calibrate.cmake):
#   calibrate_test.sh CASE WINTERFLOW SOURCE_DIR
# The system is tests/fixtures/calibrate.yaml (a few ms a replicate); the
# observed data tests/fixtures/calibrate_observed.csv (small, by hand, in
# the documented format: a month of admissions, the on-the-day share by
# month, and a span of NCTR over occupied beds).
set -euo pipefail

case_name=$1
wf=$2
src=$3
small=$src/tests/fixtures/calibrate.yaml
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/harness.sh"

obs=$src/tests/fixtures/calibrate_observed.csv
cal=(calibrate "$small" --observed "$obs" --vary localities.north.emergency_admissions_per_day=5:30
     --vary partnership.assessment_delay.mean_days=0.2:4 --particles 20 --budget 160 --quiet)

case $case_name in

calibrate_json)
  expect_exit 0 "${cal[@]}" --json --threads 2
  "$python" - "$tmp/out" <<'PY' || fail "--json lacks the documented shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) >= {"parameters", "metrics", "simulations", "generations", "converged"}, d.keys()
assert d["simulations"] <= 160 and d["simulations"] == d["generations"][-1]["simulations"]
for k in ("localities.north.emergency_admissions_per_day", "partnership.assessment_delay.mean_days"):
    p = d["parameters"][k]
    assert p["prior_lo"] <= p["lo"] <= p["mean"] <= p["hi"] <= p["prior_hi"], p
assert set(d["metrics"]) == {"admissions at system, by day", "discharged_on_ready_date at system, by month",
                             "nctr_patients_8am/occupied_beds at city, by span"}, d["metrics"].keys()
m = d["metrics"]["admissions at system, by day"]
assert m["rows"] == 30 and m["period"] == "day" and m["lo"] <= m["mean"] <= m["hi"]
assert d["generations"][0]["acceptance"] == 1
PY
  # the table: posterior, convergence, fit
  expect_exit 0 "${cal[@]}" --threads 1
  for s in "posterior: mean [90% credible interval]" "convergence:" "fit: observed mean" \
           "admissions at system, by day (30 rows)"; do
    grep -qF -- "$s" "$tmp/out" || { cat "$tmp/out" >&2; fail "the table lacks '$s'"; }
  done
  ;;

calibrate_errors)
  expect_exit 2 calibrate "$small" --vary partnership.assessment_delay.mean_days=0.2:4
  stderr_has "calibrate needs --observed"
  expect_exit 2 calibrate "$small" --observed "$obs"
  stderr_has "nothing to calibrate"
  expect_exit 2 calibrate "$small" --observed "$obs" --vary partnership.assessment_delay.mean_days=4:0.2
  stderr_has "lo must be below hi"
  expect_exit 2 calibrate "$small" --observed "$obs" --vary partnership.nonsense=1:2
  stderr_has "unknown key"
  expect_exit 2 calibrate "$small" --observed "$obs" --vary run.days=10:20
  stderr_has "cannot be calibrated"
  printf 'date,organisation,metric,value\n2025-10-01,system,admissions,3\n2025-10-02,system,admisions,3\n' >"$tmp/bad.csv"
  expect_exit 3 calibrate "$small" --observed "$tmp/bad.csv" --vary partnership.assessment_delay.mean_days=0.2:4
  stderr_has "bad.csv: line 3: unknown metric 'admisions'"
  printf 'date,organisation,metric,value\n2026-02-01,system,admissions,3\n' >"$tmp/late.csv"
  expect_exit 3 calibrate "$small" --observed "$tmp/late.csv" --vary partnership.assessment_delay.mean_days=0.2:4
  stderr_has "late.csv: line 2: the date 2026-02-01 is outside the run's measured window"
  expect_exit 4 calibrate "$small" --observed "$tmp/missing.csv" --vary partnership.assessment_delay.mean_days=0.2:4
  stderr_has "missing.csv"
  expect_exit 1 "${cal[@]}" --budget 10
  stderr_has "budget of 10 simulations is less than the first generation's"
  # --out holding something else
  echo "not hdf5" >"$tmp/other.h5"
  expect_exit 4 "${cal[@]}" --out "$tmp/other.h5"
  stderr_has "is not a calibration file"
  expect_exit 0 "${cal[@]}" --out "$tmp/cal.h5"
  expect_exit 4 "${cal[@]}" --out "$tmp/cal.h5" --particles 21
  stderr_has "holds another calibration: the particles differs"
  # --posterior: not a calibration file; a key the configurations differ in
  expect_exit 4 compare "$small" --partnership fragmented,integrated --posterior "$tmp/other.h5"
  stderr_has "--posterior"
  expect_exit 1 compare "$small" --vary partnership.assessment_delay.mean_days=1,2 --posterior "$tmp/cal.h5" \
    --replicates 2
  stderr_has "differs between the scenarios"
  expect_exit 1 sweep "$small" --vary partnership.assessment_delay.mean_days=1,2 --posterior "$tmp/cal.h5" \
    --replicates 2 --out "$tmp/sw.h5"
  stderr_has "which the posterior sets"
  ;;

calibrate_resume)
  # An uninterrupted calibration, and one stopped by SIGINT after its first
  # generation and continued: the same posterior, number for number.
  expect_exit 0 "${cal[@]}" --threads 2 --json --out "$tmp/full.h5"
  mv "$tmp/out" "$tmp/full.json"
  "$wf" "${cal[@]}" --threads 1 --out "$tmp/part.h5" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  for _ in $(seq 1 3000); do [ -e "$tmp/part.h5" ] && break; sleep 0.01; done
  kill -s INT $pid
  got=0; wait $pid || got=$?
  [ "$got" = 130 ] || { cat "$tmp/err" >&2; fail "exit $got after SIGINT, expected 130"; }
  stderr_has "run the same command again to continue"
  expect_exit 0 "${cal[@]}" --threads 2 --json --out "$tmp/part.h5"
  "$python" - "$tmp/full.json" "$tmp/out" <<'PY' || fail "the continued calibration differs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for d in (a, b):
    d.pop("out")
assert a == b, (a, b)
PY
  # a finished calibration opened again runs nothing; a larger budget continues it
  expect_exit 0 "${cal[@]}" --threads 2 --json --out "$tmp/full.h5"
  cmp -s "$tmp/out" "$tmp/full.json" || fail "reopening a finished calibration changed it"
  expect_exit 0 "${cal[@]/160/240}" --threads 2 --json --out "$tmp/full.h5"
  "$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert 160 < d["simulations"] <= 240, d["simulations"]' "$tmp/out" \
    || fail "a larger budget did not continue the calibration"
  ;;

calibrate_posterior)
  # compare and sweep with --posterior: each replicate's draw is the same in
  # every configuration and recorded in the results file.
  expect_exit 0 "${cal[@]}" --out "$tmp/cal.h5"
  expect_exit 0 compare "$small" --partnership fragmented,integrated --posterior "$tmp/cal.h5" --replicates 4 \
    --quiet --out "$tmp/cmp.h5" --json
  expect_exit 0 sweep "$small" --vary partnership.pooled_capacity=0,0.5 --posterior "$tmp/cal.h5" --replicates 4 \
    --quiet --out "$tmp/sw.h5"
  "$python" -c 'import h5py' || fail "python3-h5py is not installed (scripts/test.sh installs it)"
  "$python" - "$tmp/cmp.h5" "$tmp/sw.h5" "$tmp/cal.h5" <<'PY' || fail "the draws are not recorded"
import sys, h5py, numpy as np
c, s, cal = (h5py.File(p, "r") for p in sys.argv[1:])
keys = ["localities.north.emergency_admissions_per_day", "partnership.assessment_delay.mean_days"]
for f in (c, s):
    g = f["posterior"]
    names = g.attrs["keys"]
    assert (names.decode() if isinstance(names, bytes) else names) == " ".join(keys), names
    p = g["particle"][()]
    assert p.shape == (4,) and ((0 <= p) & (p < 20)).all()
    theta = cal["population/theta"][()]
    for k, key in enumerate(keys):
        assert np.array_equal(g[key][()], theta[p, k]), key
# the same seed and replicates: the same draws in both files
assert np.array_equal(c["posterior/particle"][()], s["posterior/particle"][()])
PY
  # the results files still read as results files
  "$python" -c 'import h5py,sys; f=h5py.File(sys.argv[1]); assert len(f["scenario"]) == 2' "$tmp/sw.h5"
  ;;

*)
  fail "unknown case $case_name"
  ;;
esac
echo "ok: $case_name"
