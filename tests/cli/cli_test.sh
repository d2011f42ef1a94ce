#!/usr/bin/env bash
# Tests of the winterflow program, one case per ctest test (tests/cli.cmake):
#   cli_test.sh CASE WINTERFLOW SOURCE_DIR [VALGRIND]
# Each case exits non-zero with a message on the first failure.
set -euo pipefail

case_name=$1
wf=$2
src=$3
valgrind=${4:-valgrind}
tiny=$src/tests/cli/tiny.yaml
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_exit CODE ARGS...: run the program, keep stdout/stderr in $tmp.
expect_exit() {
  local want=$1; shift
  local got=0
  "$wf" "$@" >"$tmp/out" 2>"$tmp/err" || got=$?
  if [ "$got" != "$want" ]; then
    echo "--- stdout" >&2; cat "$tmp/out" >&2
    echo "--- stderr" >&2; cat "$tmp/err" >&2
    fail "winterflow $* exited $got, expected $want"
  fi
}

# stderr_has TEXT: the last command's stderr contains TEXT (fixed string).
stderr_has() {
  grep -qF -- "$1" "$tmp/err" || { cat "$tmp/err" >&2; fail "stderr lacks '$1'"; }
}

case $case_name in

bad_input)
  # Every tests/bad_input/*.yaml fails validation with exit 3 and the
  # fragment of its first line "# expect: <fragment>" on stderr.
  shopt -s nullglob
  files=("$src"/tests/bad_input/*.yaml)
  [ ${#files[@]} -gt 0 ] || fail "no cases in $src/tests/bad_input/*.yaml"
  failures=0
  for f in "${files[@]}"; do
    first=$(head -n 1 "$f")
    case $first in
      "# expect: "*) fragment=${first#"# expect: "} ;;
      *) echo "FAIL: $f: first line is not '# expect: <fragment>'" >&2
         failures=$((failures + 1)); continue ;;
    esac
    fragment=${fragment%$'\r'}
    got=0
    "$wf" validate "$f" >"$tmp/out" 2>"$tmp/err" || got=$?
    if [ "$got" != 3 ]; then
      echo "FAIL: $f: exit $got, expected 3; stderr: $(cat "$tmp/err")" >&2
      failures=$((failures + 1))
    elif ! grep -qF -- "$fragment" "$tmp/err"; then
      echo "FAIL: $f: stderr lacks '$fragment': $(cat "$tmp/err")" >&2
      failures=$((failures + 1))
    elif ! grep -q '^winterflow: ' "$tmp/err"; then
      echo "FAIL: $f: stderr does not start with 'winterflow: '" >&2
      failures=$((failures + 1))
    fi
  done
  echo "${#files[@]} cases, $failures failed"
  [ "$failures" = 0 ]
  ;;

validate)
  expect_exit 0 validate "$tiny"
  grep -qxF "$tiny: ok" "$tmp/out" || fail "no '$tiny: ok' line"
  # A valid and a missing file: 4 (unreadable, nothing invalid).
  expect_exit 4 validate "$tiny" "$tmp/missing.yaml"
  stderr_has "$tmp/missing.yaml"
  expect_exit 2 validate
  expect_exit 2 validate --bogus "$tiny"
  # No organisations: validation makes every check a run makes (exit 3 both).
  printf 'name: x\n' >"$tmp/x.yaml"
  expect_exit 3 validate "$tmp/x.yaml"
  stderr_has "at least one hospital and one locality"
  expect_exit 3 run "$tmp/x.yaml"
  stderr_has "at least one hospital and one locality"
  # A scenario of a results file, as run, compare and sweep accept it.
  expect_exit 0 run "$tiny" --replicates 1 --out "$tmp/v.h5" --quiet
  expect_exit 0 validate "$tmp/v.h5#0"
  grep -qxF "$tmp/v.h5#0: ok" "$tmp/out" || fail "no '$tmp/v.h5#0: ok' line"
  expect_exit 3 validate "$tmp/v.h5#3"
  stderr_has "no scenario 3"
  expect_exit 4 validate "$tmp/none.h5#0"
  ;;

run_json)
  expect_exit 0 run "$tiny" --replicates 2 --threads 1 --json
  "$python" - "$tmp/out" <<'EOF'
import json, math, sys
with open(sys.argv[1]) as f:
    doc = json.load(f)
for k in ("scenario", "replicates", "seed", "threads", "days", "start_date", "organisations"):
    assert k in doc, "missing top-level key %r" % k
assert doc["replicates"] == 2, doc["replicates"]
assert doc["threads"] == 1, doc["threads"]
assert doc["days"] == 14, doc["days"]
assert doc["start_date"] == "2025-12-01", doc["start_date"]
orgs = doc["organisations"]
assert list(orgs)[0] == "system", "system must come first: %r" % list(orgs)
assert orgs["system"]["kind"] == "system"
for name in ("city", "north", "icb"):
    assert name in orgs, "missing organisation %r" % name
# The stable output names (docs/results-file.md): each one in the system block.
names = """admissions elective_admissions elective_cancellations occupied_beds
occupancy nctr_patients delayed_bed_days ed_boarding ed_wait_hours waits_over_4h
waits_over_12h diverted avoided_admissions discharges_p0 discharges_p1
discharges_p2 discharges_p3 deconditioning_escalations readmissions_30d
community_bed_delayed_days cost""".split()
sysm = orgs["system"]["metrics"]
missing = [n for n in names if n not in sysm]
assert not missing, "system block lacks %r" % missing
for org, block in orgs.items():
    for m, st in block["metrics"].items():
        assert set(st) == {"mean", "sd", "lo", "hi", "n", "unit"}, (org, m, st)
        assert isinstance(st["mean"], (int, float)), (org, m, st)
        assert st["n"] == 2, (org, m, st)
        if st["lo"] is not None:
            assert st["lo"] <= st["mean"] <= st["hi"], (org, m, st)
print("ok: %d organisations, %d system metrics" % (len(orgs), len(sysm)))
EOF
  ;;

threads)
  # Bit-identical results for any thread count: the --json output differs
  # only in the "threads" line.
  expect_exit 0 run "$tiny" --replicates 4 --threads 1 --json
  grep -v '^  "threads": ' "$tmp/out" >"$tmp/t1"
  expect_exit 0 run "$tiny" --replicates 4 --threads 2 --json
  grep -v '^  "threads": ' "$tmp/out" >"$tmp/t2"
  grep -q '"threads": 2' "$tmp/out" || fail "threads field is not 2"
  cmp "$tmp/t1" "$tmp/t2" || { diff "$tmp/t1" "$tmp/t2" | head -20 >&2; fail "--threads 1 and 2 differ"; }
  # --seed changes the numbers; --set applies.
  expect_exit 0 run "$tiny" --replicates 4 --threads 2 --seed 7 --json
  grep -v '^  "threads": ' "$tmp/out" >"$tmp/t3"
  ! cmp -s "$tmp/t1" "$tmp/t3" || fail "--seed 7 gave the same output as seed 42"
  ;;

table)
  expect_exit 0 run "$tiny" --replicates 2 --threads 1 --set hospitals.city.beds=50 \
    --set partnership.preset=integrated
  grep -q '^scenario tiny: 2 replicates, seed 42, 1 thread, 14 days from 2025-12-01' "$tmp/out" \
    || { cat "$tmp/out" >&2; fail "header line"; }
  grep -q '^system (system)$' "$tmp/out" || fail "no system block"
  grep -q '^city (hospital)$' "$tmp/out" || fail "no city block"
  grep -qE '^  delayed_bed_days +[0-9,.]+  \[' "$tmp/out" || fail "no delayed_bed_days row"
  [ "$(head -c 6 "$tmp/out")" = scenar ] || fail "table does not start with the header"
  long=$(awk 'length($0) > 80' "$tmp/out")
  [ -z "$long" ] || fail "lines over 80 columns: $long"
  # No progress line when stderr is not a terminal.
  [ ! -s "$tmp/err" ] || { cat "$tmp/err" >&2; fail "unexpected stderr"; }
  ;;

usage)
  expect_exit 2
  expect_exit 2 frobnicate
  expect_exit 2 --bogus
  expect_exit 2 run
  stderr_has "scenario file"
  expect_exit 2 run "$tiny" --replicates abc
  stderr_has "--replicates"; stderr_has "abc"
  expect_exit 2 run "$tiny" --replicates 0
  expect_exit 2 run "$tiny" --replicates
  stderr_has "--replicates"
  expect_exit 2 run "$tiny" --threads -1
  stderr_has "--threads"; stderr_has "1 <= T"
  expect_exit 2 run "$tiny" --threads 2x
  expect_exit 2 run "$tiny" --seed -5
  stderr_has "--seed"
  expect_exit 2 run "$tiny" --seed 99999999999999999999
  expect_exit 2 run "$tiny" --set hospitals.city.beds
  stderr_has "KEY=VALUE"
  expect_exit 2 run "$tiny" --set =5
  expect_exit 2 run "$tiny" --set
  expect_exit 2 run "$tiny" --bogus
  stderr_has "--bogus"
  expect_exit 2 run "$tiny" "$tiny"
  expect_exit 2 params --bogus
  expect_exit 2 params extra
  grep -q '^winterflow: ' "$tmp/err" || fail "errors start with 'winterflow: '"
  # Invalid scenarios through --set: exit 3, the key named.
  expect_exit 3 run "$tiny" --set no.such.key=1
  stderr_has "no.such.key"
  expect_exit 3 run "$tiny" --set hospitals.city.beds=-5
  stderr_has "beds"
  ;;

missing_file)
  expect_exit 4 run "$tmp/does-not-exist.yaml"
  stderr_has "$tmp/does-not-exist.yaml"
  grep -q '^winterflow: ' "$tmp/err" || fail "error does not start with 'winterflow: '"
  # a scenario out of a results file: FILE#I
  expect_exit 4 run "$tmp/does-not-exist.h5#0"
  stderr_has "$tmp/does-not-exist.h5"
  expect_exit 0 run "$tiny" --replicates 2 --out "$tmp/r.h5" --quiet
  expect_exit 3 run "$tmp/r.h5#5" --replicates 1
  stderr_has "no scenario 5 (the file holds 1 complete scenarios"
  expect_exit 0 run "$tmp/r.h5#0" --replicates 1 --json
  ;;

help)
  expect_exit 0 --help
  grep -q 'Exit status' "$tmp/out" || fail "--help lacks exit codes"
  grep -q 'winterflow run' "$tmp/out" || fail "--help lacks examples"
  expect_exit 0 --version
  grep -q '^winterflow [0-9]\+\.[0-9]\+\.[0-9]\+$' "$tmp/out" || fail "--version"
  for verb in run validate params compare sweep; do
    expect_exit 0 $verb --help
    grep -q "^Usage: winterflow $verb" "$tmp/out" || fail "$verb --help"
  done
  grep -q 'Examples' "$tmp/out" || fail "params --help lacks examples"
  ;;

params)
  expect_exit 0 params
  [ -s "$tmp/out" ] || fail "params printed nothing"
  grep -q '^hospitals\.<hospital>\.beds = ' "$tmp/out" || fail "no hospitals.<hospital>.beds row"
  grep -q '^partnership\.preset = ' "$tmp/out" || fail "no partnership.preset row"
  ;;

event_log)
  expect_exit 2 run "$tiny" --event-log
  stderr_has "--event-log only applies with --out"
  expect_exit 0 run "$tiny" --replicates 2 --out "$tmp/log.h5" --event-log --quiet
  # every replicate's admissions and discharges are in the log
  "$python" - "$tmp/log.h5" <<'PY' || fail "the event log does not match the run"
import sys, h5py
import numpy as np
f = h5py.File(sys.argv[1], "r")
g = f["event_log"]
ev = g["event"][:]
meanings = g["event"].attrs["flag_meanings"]
names = (meanings.decode() if isinstance(meanings, bytes) else str(meanings)).split()
adm = names.index("admission")
n = len(ev)
assert n > 100, n
assert g["replicate"][:].max() == 1
# emergency admissions in the log = the admissions metric (every replicate,
# hospital columns), electives excluded
el = g["elective"][:]
hosp_adm = f["admissions"][0, :, :, :]
orgs = [o.tobytes().rstrip(b"\0").decode() for o in f["organisation"][:]]  # char rows
logged = int(((ev == adm) & (el == 0)).sum())
total = float(np.nansum(hosp_adm[:, :, orgs.index("system")]))
assert logged == int(round(total)), (logged, total)
PY
  ;;

params_doc)
  # docs/parameters.md is generated from the parameter table; it must not
  # drift. Regenerate: build/winterflow params --markdown > docs/parameters.md
  expect_exit 0 params --markdown
  if ! cmp -s "$tmp/out" "$src/docs/parameters.md"; then
    diff -u "$src/docs/parameters.md" "$tmp/out" | head -40 >&2 || true
    fail "docs/parameters.md differs from 'winterflow params --markdown'; regenerate it with: build/winterflow params --markdown > docs/parameters.md"
  fi
  ;;

compare_paired)
  # The paired difference is the mean of per-replicate differences: with
  # --out, the replicate summaries in the file give those differences.
  expect_exit 0 compare "$tiny" --partnership fragmented,integrated --replicates 5 \
    --threads 2 --json --out "$tmp/c.h5"
  cp "$tmp/out" "$tmp/c.json"
  "$python" - "$tmp/c.json" "$tmp/c.h5" <<'EOF'
import json, math, sys
doc = json.load(open(sys.argv[1]))
assert doc["configurations"] == ["fragmented", "integrated"], doc["configurations"]
assert doc["baseline"] == "fragmented"
sysm = doc["organisations"]["system"]["metrics"]
for name in ("delayed_bed_days", "admissions", "cost", "waits_over_4h"):
    m = sysm[name]
    a = m["configurations"]["fragmented"]["mean"]; b = m["configurations"]["integrated"]["mean"]
    d = m["differences"]["integrated - fragmented"]
    assert abs(d["mean"] - (b - a)) <= 1e-9 * max(1.0, abs(a), abs(b)), (name, d, a, b)
import h5py, numpy as np   # python3-h5py: installed by scripts/test.sh
f = h5py.File(sys.argv[2], "r")
orgs = [o.tobytes().rstrip(b"\0").decode() for o in f["organisation"][:]]  # char rows
k = orgs.index("system")
checked = 0
for name, m in sysm.items():
    if name not in f["summary"]:
        continue
    v = f["summary"][name][:, :, k]          # scenario x replicate
    diff = v[1] - v[0]
    if np.isnan(diff).any():
        continue
    d = m["differences"]["integrated - fragmented"]
    n = len(diff)
    mean = diff.mean(); sd = diff.std(ddof=1)
    assert abs(d["mean"] - mean) <= 1e-9 * max(1.0, abs(mean)), (name, d, mean)
    assert abs(d["sd"] - sd) <= 1e-9 * max(1.0, sd), (name, d, sd)
    # The interval is mean -/+ t(0.975, n-1) sd/sqrt(n) of the paired values.
    half = d["hi"] - d["mean"]
    if sd > 0:
        t = half / (sd / math.sqrt(n))
        assert abs(t - 2.7764451051977987) < 1e-6, (name, t)   # t_{0.975,4}
    checked += 1
assert checked >= 10, checked
print("ok: %d paired metrics match the per-replicate differences" % checked)
EOF
  # A scenario compared with itself: every difference exactly 0, zero width
  # (an unpaired interval would not be).
  expect_exit 0 compare "$tiny" "$tiny" --replicates 4 --threads 2 --json
  "$python" - "$tmp/out" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["configurations"] == ["tiny", "tiny #2"], doc["configurations"]
n = 0
for org, block in doc["organisations"].items():
    for name, m in block["metrics"].items():
        d = m["differences"]["tiny #2 - tiny"]
        if d is None or d["mean"] is None:
            continue
        assert d["mean"] == 0 and d["lo"] == 0 and d["hi"] == 0 and d["sd"] == 0, (org, name, d)
        n += 1
assert n > 20, n
print("ok: %d self-differences are exactly 0" % n)
EOF
  ;;

compare_table)
  expect_exit 0 compare "$tiny" --partnership fragmented,integrated --replicates 2 --threads 1
  grep -q '^compare: 2 configurations, 2 replicates, seed 42, 1 thread,' "$tmp/out" \
    || { cat "$tmp/out" >&2; fail "header line"; }
  grep -q '^system (system)$' "$tmp/out" || fail "no system block"
  grep -q '^city (hospital)$' "$tmp/out" || fail "no city block"
  grep -qE '^    integrated - fragmented +[-+0-9,.]+  \[' "$tmp/out" || fail "no difference row"
  grep -q '^  delayed_bed_days (bed-days)$' "$tmp/out" || fail "no delayed_bed_days"
  long=$(awk 'length($0) > 80' "$tmp/out")
  [ -z "$long" ] || fail "lines over 80 columns: $long"
  [ ! -s "$tmp/err" ] || { cat "$tmp/err" >&2; fail "unexpected stderr"; }
  # --vary with several keys, and long labels: letters and a legend.
  expect_exit 0 compare "$tiny" --vary hospitals.city.beds=50,60 \
    --vary 'partnership.funding_panel_weekdays=[Tue],[]' --replicates 2 --quiet
  grep -q '^  A  hospitals.city.beds=50, partnership.funding_panel_weekdays=\[Tue\] (baseline)$' \
    "$tmp/out" || { cat "$tmp/out" >&2; fail "legend"; }
  grep -qE '^    D - A +' "$tmp/out" || fail "no D - A row"
  long=$(awk 'length($0) > 80' "$tmp/out")
  [ -z "$long" ] || fail "lines over 80 columns: $long"
  ;;

compare_errors)
  expect_exit 2 compare
  stderr_has "scenario file"
  expect_exit 2 compare "$tiny"
  stderr_has "two or more configurations"
  expect_exit 2 compare "$tiny" --partnership integrated
  stderr_has "two or more"
  expect_exit 2 compare "$tiny" --partnership
  stderr_has "--partnership"
  expect_exit 3 compare "$tiny" --partnership fragmented,bogus
  stderr_has "bogus"; stderr_has "--partnership"
  expect_exit 2 compare "$tiny" --vary hospitals.city.beds
  stderr_has "KEY=a,b,c"
  expect_exit 3 compare "$tiny" --vary hospitals.city.bedz=1,2
  stderr_has "hospitals.city.bedz"
  expect_exit 3 compare "$tiny" --vary hospitals.city.beds=50,-1
  stderr_has "beds"
  expect_exit 4 compare "$tiny" "$tmp/none.yaml"
  stderr_has "$tmp/none.yaml"
  expect_exit 2 compare "$tiny" --partnership fragmented,integrated --force
  stderr_has "--out"
  : >"$tmp/exists.h5"
  expect_exit 4 compare "$tiny" --partnership fragmented,integrated --out "$tmp/exists.h5"
  stderr_has "exists"; stderr_has "--force"
  expect_exit 2 compare "$tiny" --partnership fragmented,integrated --bogus
  stderr_has "--bogus"
  ;;

sweep_errors)
  s=(sweep "$tiny" --replicates 2 --threads 1 --quiet)
  expect_exit 2 sweep
  stderr_has "scenario file"
  expect_exit 2 "${s[@]}" --vary hospitals.city.beds=50,60
  stderr_has "--out"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5"
  stderr_has "nothing to sweep"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds
  stderr_has "KEY=a,b,c"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary =5
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=
  stderr_has "no values"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=50,,60
  stderr_has "empty value"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=5:1:1
  stderr_has "lo <= hi"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=1:5:0
  stderr_has "step must be positive"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=1:a:1
  stderr_has "not a range"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=1:10
  stderr_has "no step"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=1:1000000:1
  stderr_has "100000"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=1:1000:1 \
    --vary partnership.pooled_capacity=0:1:0.001
  stderr_has "100000"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=1,2 \
    --vary hospitals.city.beds=3
  stderr_has "twice"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=1,2 --samples 4
  stderr_has "lo:hi"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=40:60 --samples 0
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=40:60 --design lhs
  stderr_has "--samples"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=40:60 --design cube
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=50 --force --resume
  stderr_has "one of them"
  expect_exit 3 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.bedz=50,60
  stderr_has "hospitals.city.bedz"
  expect_exit 3 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=50,-3
  stderr_has "beds"; stderr_has "scenario 2 of the sweep"
  expect_exit 3 "${s[@]}" --out "$tmp/e.h5" --vary partnership.pooled_capacity=0,2
  stderr_has "pooled_capacity"
  [ ! -e "$tmp/e.h5" ] || fail "a failed sweep left $tmp/e.h5"
  # CSV designs.
  expect_exit 4 "${s[@]}" --out "$tmp/e.h5" --design-file "$tmp/none.csv"
  stderr_has "$tmp/none.csv"
  printf 'hospitals.city.beds,partnership.preset\n50,integrated\n60\n' >"$tmp/bad.csv"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --design-file "$tmp/bad.csv"
  stderr_has "line 3"
  printf 'hospitals.city.beds\n' >"$tmp/empty.csv"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --design-file "$tmp/empty.csv"
  stderr_has "no rows"
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --design-file "$tmp/bad.csv" --vary hospitals.city.beds=1
  stderr_has "does not"
  # An output that is not a results file, or another sweep's file.
  echo junk >"$tmp/junk.h5"
  expect_exit 4 "${s[@]}" --out "$tmp/junk.h5" --vary hospitals.city.beds=50,60
  stderr_has "--force"
  expect_exit 0 "${s[@]}" --out "$tmp/a.h5" --vary hospitals.city.beds=50,60
  expect_exit 4 "${s[@]}" --out "$tmp/a.h5" --vary hospitals.city.beds=50,70
  stderr_has "another sweep"; stderr_has "--force"
  expect_exit 4 "${s[@]}" --out "$tmp/a.h5" --vary hospitals.city.beds=50,60 --seed 3 --resume
  stderr_has "another sweep"; stderr_has "--resume"
  expect_exit 0 "${s[@]}" --out "$tmp/a.h5" --vary hospitals.city.beds=50,70 --force
  grep -q '^     70 ' "$tmp/out" || { cat "$tmp/out" >&2; fail "--force did not replace"; }
  ;;

sweep_designs)
  s=(sweep "$tiny" --replicates 2 --threads 2 --quiet)
  # Grid order: the last --vary varies fastest; ranges include hi.
  expect_exit 0 "${s[@]}" --out "$tmp/g.h5" --vary hospitals.city.beds=40:60:10 \
    --vary 'partnership.funding_panel_weekdays=[Tue],[]'
  grep -q '^sweep: 6 scenarios x 2 replicates' "$tmp/out" || { cat "$tmp/out" >&2; fail "grid size"; }
  awk '/^ +(40|50|60) +\[/ {print $1, $2}' "$tmp/out" >"$tmp/order"
  printf '40 [Tue]\n40 []\n50 [Tue]\n50 []\n60 [Tue]\n60 []\n' | cmp - "$tmp/order" \
    || { cat "$tmp/out" >&2; fail "grid order"; }
  # Latin hypercube: deterministic for a seed, one point per stratum.
  expect_exit 0 "${s[@]}" --out "$tmp/l1.h5" --samples 8 --vary hospitals.city.beds=40:80 \
    --vary partnership.pooled_capacity=0:1
  cp "$tmp/out" "$tmp/l1"
  expect_exit 0 "${s[@]}" --out "$tmp/l2.h5" --samples 8 --vary hospitals.city.beds=40:80 \
    --vary partnership.pooled_capacity=0:1 --design lhs
  diff <(grep -v '^saved' "$tmp/l1") <(grep -v '^saved' "$tmp/out") || fail "LHS not repeatable"
  awk 'NR > 5 && NF >= 4 {print int($2 * 8)}' "$tmp/l1" | sort -n | tr '\n' ' ' >"$tmp/strata"
  [ "$(cat "$tmp/strata")" = "0 1 2 3 4 5 6 7 " ] || { cat "$tmp/l1" >&2; fail "LHS strata: $(cat "$tmp/strata")"; }
  awk 'NR > 5 && NF >= 4 && $1 !~ /^[0-9]+$/ {bad=1} END {exit bad}' "$tmp/l1" \
    || fail "integer key not rounded"
  expect_exit 0 "${s[@]}" --out "$tmp/l3.h5" --samples 8 --vary hospitals.city.beds=40:80 \
    --vary partnership.pooled_capacity=0:1 --seed 5
  ! diff -q <(awk 'NR > 5 {print $1, $2}' "$tmp/l1") <(awk 'NR > 5 {print $1, $2}' "$tmp/out") \
    >/dev/null || fail "--seed does not move the LHS points"
  # CSV: quoted values, empty cells.
  printf 'hospitals.city.beds,partnership.funding_panel_weekdays\n50,"[Tue, Thu]"\n60,\n' >"$tmp/d.csv"
  expect_exit 0 "${s[@]}" --out "$tmp/d.h5" --design-file "$tmp/d.csv"
  grep -q '^sweep: 2 scenarios' "$tmp/out" || { cat "$tmp/out" >&2; fail "CSV size"; }
  grep -q '\[Tue, Thu\]' "$tmp/out" || { cat "$tmp/out" >&2; fail "CSV quoted value"; }
  long=$(awk 'length($0) > 80' "$tmp/out")
  [ -z "$long" ] || fail "lines over 80 columns: $long"
  ;;

sweep_threads|sweep_resume|sweep_sigint)
  # h5py (python3-h5py) is a dependency of the tests, installed by
  # scripts/test.sh: without it these fail, they never pass by skipping.
  "$python" -c 'import h5py' || fail "python3-h5py is not installed (scripts/test.sh installs it)"
  # h5same A B: every dataset (values, shape, type) and every attribute
  # equal, but those that record the occasion (times, threads, the command).
  h5same() { "$python" "$src/tests/h5same.py" "$1" "$2"; }
  design=(--vary hospitals.city.beds=44:66:2 --vary partnership.preset=fragmented,integrated)
  s=(sweep "$tiny" --set run.days=60 --replicates 4 --quiet "${design[@]}")
  case $case_name in
  sweep_threads)
    expect_exit 0 "${s[@]}" --threads 1 --out "$tmp/t1.h5"
    expect_exit 0 "${s[@]}" --threads 2 --out "$tmp/t2.h5" --chunk 5
    h5same "$tmp/t1.h5" "$tmp/t2.h5" || fail "--threads 1 and 2 (and chunking) differ"
    ;;
  sweep_resume|sweep_sigint)
    expect_exit 0 "${s[@]}" --threads 2 --out "$tmp/full.h5"
    sig=KILL; want=137
    [ $case_name = sweep_sigint ] && { sig=INT; want=130; }
    "$wf" "${s[@]}" --threads 1 --chunk 1 --out "$tmp/part.h5" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    # Signal it as soon as its first chunk (one scenario) is saved.
    for _ in $(seq 1 3000); do [ -e "$tmp/part.h5" ] && break; sleep 0.01; done
    kill -s $sig $pid
    got=0; wait $pid || got=$?
    [ "$got" = $want ] || { cat "$tmp/err" >&2; fail "exit $got after SIG$sig, expected $want"; }
    if [ $sig = INT ]; then stderr_has "interrupted"; stderr_has "run the same command again"; fi
    n=$("$python" -c 'import h5py,sys; print(len(h5py.File(sys.argv[1])["scenario"]))' "$tmp/part.h5")
    echo "killed with SIG$sig after $n of 24 scenarios"
    [ "$n" -lt 24 ] || fail "the sweep finished before the signal; make it longer"
    # A temporary file of the killed writer may remain; the result must not care.
    expect_exit 0 "${s[@]}" --threads 2 --out "$tmp/part.h5" --resume
    grep -q "($((24 - n)) computed now" "$tmp/out" || { cat "$tmp/out" >&2; fail "did not reuse $n"; }
    h5same "$tmp/full.h5" "$tmp/part.h5" || fail "resumed file differs from the uninterrupted one"
    # Started again when complete: nothing to do, the file untouched.
    cp "$tmp/part.h5" "$tmp/copy.h5"
    expect_exit 0 "${s[@]}" --threads 2 --out "$tmp/part.h5"
    stderr_has "already holds all 24"
    cmp "$tmp/part.h5" "$tmp/copy.h5" || fail "a complete file was rewritten"
    ;;
  esac
  ;;

valgrind)
  got=0
  "$valgrind" --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --error-exitcode=9 "$wf" run "$tiny" --set run.days=5 --set run.warmup_days=2 \
    --replicates 2 --threads 1 --json >"$tmp/out" 2>"$tmp/err" || got=$?
  if [ "$got" != 0 ]; then
    cat "$tmp/err" >&2
    fail "valgrind: exit $got"
  fi
  "$python" -c 'import json,sys; json.load(sys.stdin)' <"$tmp/out" || fail "output under valgrind is not JSON"
  # compare and a sweep in two saved chunks (a Latin hypercube crossed with a list).
  for args in "compare $tiny $tiny --partnership fragmented,integrated --json" \
              "sweep $tiny --vary hospitals.city.beds=50,60 --vary partnership.pooled_capacity=0:1 --samples 2 --chunk 2 --out $tmp/vg.h5"; do
    got=0
    # shellcheck disable=SC2086
    "$valgrind" --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect \
      --error-exitcode=9 "$wf" $args --set run.days=5 --set run.warmup_days=2 \
      --replicates 2 --threads 1 >"$tmp/out" 2>"$tmp/err" || got=$?
    [ "$got" = 0 ] || { cat "$tmp/err" >&2; fail "valgrind: winterflow ${args%% *}: exit $got"; }
  done
  ;;

*)
  fail "unknown case '$case_name'"
  ;;
esac
echo "ok: $case_name"
