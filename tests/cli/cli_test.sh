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

. "$(dirname "$0")/harness.sh"

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
# the headline first: the library's six system metrics, in order
assert list(doc)[:8] == ["scenario", "replicates", "seed", "threads", "days", "start_date",
                         "headline", "organisations"], list(doc)
head = ["delayed_bed_days", "nctr_patients_8am", "occupancy_8am", "waits_over_12h",
        "elective_cancellations", "cost"]
assert list(doc["headline"]) == head, list(doc["headline"])
for m in head:
    assert doc["headline"][m] == orgs["system"]["metrics"][m], m
assert orgs["system"]["kind"] == "system"
assert orgs["north"]["metrics"]["delayed_bed_days"]["perspective"] == "home_council"
assert orgs["north"]["metrics"]["home_care_starts"]["perspective"] == "organisation"
assert orgs["city"]["metrics"]["delayed_bed_days"]["perspective"] == "organisation"
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
persp = {"system": {"system"}, "city": {"organisation"}, "icb": {"organisation"},
         "north": {"organisation", "home_council"}}
for org, block in orgs.items():
    for m, st in block["metrics"].items():
        assert set(st) == {"mean", "sd", "lo", "hi", "n", "unit", "perspective"}, (org, m, st)
        assert st["perspective"] in persp[org], (org, m, st["perspective"])
        assert st["lo"] is None or st["lo"] >= 0, (org, m, st)   # never below zero
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
  # The headline alone by default: six system rows, no organisation blocks.
  expect_exit 0 run "$tiny" --replicates 2 --threads 1 --set hospitals.city.beds=50 \
    --set partnership.preset=integrated
  grep -q '^scenario tiny: 2 replicates, seed 42, 1 thread, 14 days from 2025-12-01' "$tmp/out" \
    || { cat "$tmp/out" >&2; fail "header line"; }
  [ "$(sed -n 3p "$tmp/out")" = "headline, the whole system: mean over replicates [95% interval]" ] \
    || { cat "$tmp/out" >&2; fail "the headline does not come first"; }
  got=$(sed -n '4,9p' "$tmp/out" | awk '{print $1}' | tr '\n' ' ')
  [ "$got" = "delayed_bed_days nctr_patients_8am occupancy_8am waits_over_12h elective_cancellations cost " ] \
    || fail "headline rows: $got"
  ! grep -q '^system (system)$' "$tmp/out" || fail "organisation tables without --full"
  grep -q -- '--full' "$tmp/out" || fail "no pointer to --full"
  [ "$(wc -l <"$tmp/out")" -le 15 ] || fail "the default output is longer than 15 lines"
  [ ! -s "$tmp/err" ] || { cat "$tmp/err" >&2; fail "unexpected stderr"; }
  # --full: then every organisation's table, home-council rows apart.
  expect_exit 0 run "$tiny" --replicates 2 --threads 1 --set hospitals.city.beds=50 \
    --set partnership.preset=integrated --full
  grep -q '^system (system)$' "$tmp/out" || fail "no system block"
  grep -q '^city (hospital)$' "$tmp/out" || fail "no city block"
  grep -qE '^  delayed_bed_days +[0-9,.]+  \[' "$tmp/out" || fail "no delayed_bed_days row"
  [ "$(head -c 6 "$tmp/out")" = scenar ] || fail "table does not start with the header"
  # north's delays are the hospital's patients again: under the home-council heading
  awk '/^north \(locality\)$/{b=1} b && /^  by home council/{h=1} b && /^  delayed_bed_days /{print h; exit}' \
    "$tmp/out" | grep -qx 1 || fail "north's delayed_bed_days is not under 'by home council'"
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
  # The headline: each configuration and the paired difference, system-wide.
  expect_exit 0 compare "$tiny" --partnership fragmented,integrated --replicates 2 --threads 1
  grep -q '^headline, the whole system$' "$tmp/out" || fail "no headline"
  grep -A3 '^  cost (GBP)$' "$tmp/out" | grep -qE '^    integrated - fragmented +[-+0-9,.]+  \[' \
    || fail "no paired difference of cost in the headline"
  ! grep -q '^city (hospital)$' "$tmp/out" || fail "organisation tables without --full"
  [ "$(wc -l <"$tmp/out")" -le 40 ] || fail "the default output is longer than 40 lines"
  expect_exit 0 compare "$tiny" --partnership fragmented,integrated --replicates 2 --threads 1 --full
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
    --vary 'partnership.funding_panel_weekdays=[Tue],[]' --replicates 2 --quiet --full
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
  for bad in 3 0/2 3/2 1/ /2 a/b 1/2/3; do
    expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=50,60 --part "$bad"
    stderr_has "--part '$bad': expected K/N"
  done
  expect_exit 2 "${s[@]}" --out "$tmp/e.h5" --vary hospitals.city.beds=50,60 --part 3/3
  stderr_has "3 parts of a design of 2 points"
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

init)
  ref=$src/models/reference.yaml
  # A system shaped like the reference: what init writes validates with no
  # warning, and every key outside the organisations is the reference's.
  cd "$tmp"
  expect_exit 0 init mine --hospitals city=1503,county=1303 \
    --councils north=600000,south=500000,west=400000 \
    --community community_trust --voluntary home_from_hospital
  grep -q '^wrote mine.yaml' "$tmp/out" || fail "no 'wrote mine.yaml'"
  [ -s mine.yaml ] || fail "init wrote no mine.yaml"
  grep -q '^# ' mine.yaml || fail "mine.yaml has no comments"
  expect_exit 0 validate --strict mine.yaml
  [ ! -s "$tmp/err" ] || { cat "$tmp/err" >&2; fail "warnings about what init wrote"; }
  expect_exit 0 run mine.yaml --replicates 1 --set run.days=2 --set run.warmup_days=1 \
    --out mine.h5 --quiet
  expect_exit 0 run "$ref" --replicates 1 --set run.days=2 --set run.warmup_days=1 \
    --out ref.h5 --quiet
  "$python" - mine.h5 ref.h5 <<'PY' || fail "init does not start from the reference"
import sys, h5py
def params(path):
    with h5py.File(path, "r") as f:
        return {k: (v.decode() if isinstance(v, bytes) else v)
                for k, v in f["parameters/scenario_0"].attrs.items()}
mine, ref = params(sys.argv[1]), params(sys.argv[2])
orgs = ("hospitals.", "localities.", "community.", "voluntary.")
# the parameters are the dotted keys (the rest of the attributes is provenance)
differ = [k for k in ref if "." in k and not k.startswith(orgs) and k not in ("run.days", "run.warmup_days")
          and str(mine.get(k)) != str(ref[k])]
assert not differ, "keys that differ from the reference: %r" % [(k, mine.get(k), ref[k]) for k in differ]
for k in ("hospitals.city.beds", "hospitals.county.beds", "localities.north.population",
          "localities.west.population", "hospitals.city.escalation_threshold",
          "localities.south.home_care_vacancy_rate"):
    assert str(mine[k]) == str(ref[k]), (k, mine[k], ref[k])
# capacities: the reference's totals, scaled (here by 1), to 3 figures
for key in ("home_care_posts", "care_home_beds", "assessors_per_day"):
    a = sum(float(mine["localities.%s.%s" % (l, key)]) for l in ("north", "south", "west"))
    b = sum(float(ref["localities.%s.%s" % (l, key)]) for l in ("north", "south", "west"))
    assert abs(a - b) <= 0.01 * b, (key, a, b)
print("ok: %d keys outside the organisations equal the reference's" % len(ref))
PY
  # the same system's text on standard output; a file that exists is kept
  expect_exit 0 init other --hospitals general --councils town --out -
  grep -q '^name: "other"$' "$tmp/out" || fail "init --out - did not print the scenario"
  expect_exit 4 init mine --hospitals a --councils b
  stderr_has "exists"; stderr_has "--force"
  expect_exit 0 init mine --hospitals a --councils b --force
  grep -q '^  a:$' mine.yaml || fail "--force did not replace mine.yaml"
  # from a CSV of organisations
  printf 'kind,name,beds,population\nhospital,general,900,\ncouncil,town,,350000\ncouncil,shire,,250000\nvoluntary,help,,\n' >orgs.csv
  expect_exit 0 init fromcsv --from orgs.csv
  expect_exit 0 validate --strict fromcsv.yaml
  grep -q '^    population: 350000$' fromcsv.yaml || fail "the CSV's population is not in the file"
  grep -q '^    beds: 900$' fromcsv.yaml || fail "the CSV's beds are not in the file"
  printf 'kind,name,beds\nhopsital,general,900\n' >bad.csv
  expect_exit 2 init bad --from bad.csv
  stderr_has "bad.csv: line 2"; stderr_has "hopsital"
  printf 'kind,name,population\nhospital,general,900\ncouncil,town,1000\n' >bad2.csv
  expect_exit 2 init bad --from bad2.csv
  stderr_has "line 2"; stderr_has "population"
  expect_exit 2 init
  stderr_has "NAME"
  expect_exit 2 init x --hospitals a
  stderr_has "--councils"
  expect_exit 2 init x --hospitals a=-5 --councils b
  stderr_has "a=-5"
  expect_exit 2 init x --hospitals a --councils a
  stderr_has "twice"
  expect_exit 2 init x --hospitals 'bad name' --councils b
  stderr_has "not a valid hospital name"
  ;;

validate_all)
  # Every problem of a file at once, each with its line.
  cat >"$tmp/bad.yaml" <<'YAML'
name: many
localities:
  north:
    population: 350000
    frailty_mix: {fit: 1.5, mild: 0.2, moderate: 0.2, severe: 0.1}
    hospital_share: {city: 1}
    care_home_beds: -4
  south:
    population: 200000
    hospital_share: {citty: 1}
hospitals:
  city: {beds: 900, bedz: 3, ed_policy: qeue}
community:
  cc: {serves: [north, south], intermediate_care_beds: 12.5}
run: {days: 0}
YAML
  expect_exit 3 validate "$tmp/bad.yaml"
  for want in "bad.yaml:5:19: localities.north.frailty_mix.fit: 1.5 is above the maximum 1" \
              "bad.yaml:7:5: localities.north.care_home_beds: -4 is below the minimum 0" \
              "bad.yaml:12:21: hospitals.city.bedz: unknown key 'bedz'; did you mean 'beds'?" \
              "bad.yaml:12:30: hospitals.city.ed_policy: 'qeue' is not one of queue|divert" \
              "bad.yaml:14:32: community.cc.intermediate_care_beds: expected a whole number, got '12.5'" \
              "bad.yaml:15:7: run.days: 0 is below the minimum 1" \
              "bad.yaml:10:22: localities.south.hospital_share.citty: unknown hospital 'citty'; did you mean 'city'?" \
              "7 problems, 0 warnings"; do
    stderr_has "$want"
  done
  # the frailty sum is not reported: its key is already at fault
  ! grep -q "frailty_mix: shares sum" "$tmp/err" || fail "a problem reported twice (the sum)"
  [ ! -s "$tmp/out" ] || fail "an invalid file printed ok"
  # Warnings: legal but suspicious. Exit 0, or 3 with --strict.
  cat >"$tmp/warn.yaml" <<'YAML'
name: warned
localities:
  north:
    population: 350000
    emergency_admissions_per_day: 19000
    hospital_share: {city: 1}
hospitals:
  city: {beds: 900}
  town: {beds: 300}
community:
  cc: {serves: [north]}
YAML
  expect_exit 0 validate "$tmp/warn.yaml"
  grep -qxF "$tmp/warn.yaml: ok" "$tmp/out" || fail "a file with warnings is not ok"
  stderr_has "warning: $tmp/warn.yaml:9:3: hospitals.town: no locality sends patients to this hospital"
  stderr_has "warning: $tmp/warn.yaml:5:5: localities.north.emergency_admissions_per_day: 19000 emergency admissions a day is 19814.3 a year per 1,000 residents"
  stderr_has "a yearly count in the daily key"
  stderr_has "warning: $tmp/warn.yaml: run.warmup_days: left at the table default 56; the calibrated reference (models/reference.yaml) uses 120"
  stderr_has "warning: $tmp/warn.yaml:8:3: hospitals.city.escalation_beds: left at the table default 0; the reference's hospitals (models/reference.yaml) have 50, 45"
  stderr_has "0 problems,"
  expect_exit 3 validate --strict "$tmp/warn.yaml"
  [ ! -s "$tmp/out" ] || fail "--strict printed ok for a file with warnings"
  # a rate too low for the population
  expect_exit 0 run "$tiny" --set localities.north.population=2000000 --replicates 1 --quiet
  expect_exit 0 validate "$tiny"
  ! grep -q "plausible" "$tmp/err" || fail "the tiny system's rate is plausible"
  printf 'extends: %s\nlocalities: {north: {population: 2000000}}\n' "$tiny" >"$tmp/low.yaml"
  expect_exit 0 validate "$tmp/low.yaml"
  stderr_has "a year per 1,000 residents (population 2000000); plausible overnight rates are 20 to 160"
  # the calibrated models have no warning
  expect_exit 0 validate --strict "$src/models/reference.yaml" "$src/models/england.yaml"
  [ ! -s "$tmp/err" ] || { cat "$tmp/err" >&2; fail "warnings about the shipped models"; }
  ;;

population)
  # With no daily rate, admissions follow the population.
  for pop in 20000 40000; do
    expect_exit 0 run "$tiny" --set localities.north.emergency_admissions_per_day=null \
      --set localities.north.population=$pop --replicates 3 --threads 1 --json --metric admissions
    "$python" -c 'import json,sys; print(json.load(sys.stdin)["organisations"]["system"]["metrics"]["admissions"]["mean"])' \
      <"$tmp/out" >"$tmp/adm$pop"
  done
  "$python" - "$(cat "$tmp/adm20000")" "$(cat "$tmp/adm40000")" <<'PY' || fail "admissions do not follow the population"
import sys
a, b = float(sys.argv[1]), float(sys.argv[2])
# 20,000 people at 52.8 a year per 1,000: 2.9 a day, 14 days; twice the people, about twice as many
assert 25 < a < 70, a
assert 1.6 < b / a < 2.4, (a, b)
print("ok: %.1f and %.1f admissions" % (a, b))
PY
  ;;

extends_replace)
  # extends: with replace: drops the reference's hospitals and localities
  # (and every key naming them), keeping the rest of it.
  cat >"$tmp/mine.yaml" <<YAML
extends: $src/models/reference.yaml
replace: [hospitals, localities]
name: replaced
hospitals:
  general: {beds: 700, escalation_beds: 20, electives_per_weekday: 14, elective_reserve_beds: 3}
localities:
  town:
    population: 300000
    emergency_admissions_per_day: null
    hospital_share: {general: 1}
    home_care_posts: 600
    care_home_beds: 2400
    assessors_per_day: 28
community:
  community_trust: {serves: [town]}
voluntary:
  home_from_hospital: {serves: [town]}
YAML
  expect_exit 0 validate "$tmp/mine.yaml"
  expect_exit 0 run "$tmp/mine.yaml" --replicates 1 --set run.days=7 --set run.warmup_days=7 --json --quiet
  "$python" - "$tmp/out" <<'PY' || fail "replace: did not drop the reference's organisations"
import json, sys
orgs = list(json.load(open(sys.argv[1]))["organisations"])
assert orgs == ["system", "general", "town", "community_trust", "home_from_hospital"], orgs
PY
  printf 'extends: %s\nreplace: [hospital]\n' "$src/models/reference.yaml" >"$tmp/bad.yaml"
  expect_exit 3 validate "$tmp/bad.yaml"
  stderr_has "replace: 'hospital' is not one of hospitals|localities|community|voluntary; did you mean 'hospitals'?"
  printf 'name: x\nreplace: [hospitals]\n' >"$tmp/bad.yaml"
  expect_exit 3 validate "$tmp/bad.yaml"
  stderr_has "replace: only with extends:"
  ;;

metric)
  # --metric: the headline, then only the metrics named, for every organisation.
  expect_exit 0 run "$tiny" --replicates 2 --threads 1 --metric delayed_bed_days --metric home_care_starts
  grep -q '^city (hospital)$' "$tmp/out" || fail "no organisation tables with --metric"
  rows=$(sed -n '/^mean over replicates and its 95% confidence interval$/,$p' "$tmp/out" |
         grep -E '^  [a-z_0-9]+ +[-0-9,.]+  \[' | awk '{print $1}' | sort -u | tr '\n' ' ')
  [ "$rows" = "delayed_bed_days home_care_starts " ] || fail "rows with --metric: $rows"
  expect_exit 0 run "$tiny" --replicates 2 --threads 1 --metric cost --json
  "$python" - "$tmp/out" <<'PY' || fail "--metric with --json"
import json, sys
doc = json.load(open(sys.argv[1]))
for org, block in doc["organisations"].items():
    assert set(block["metrics"]) <= {"cost"}, (org, list(block["metrics"]))
assert len(doc["headline"]) == 6
PY
  expect_exit 0 compare "$tiny" --partnership fragmented,integrated --replicates 2 --metric admissions --quiet
  grep -q '^north (locality)$' "$tmp/out" || fail "compare --metric: no organisation tables"
  [ "$(grep -c "^  admissions (patients)$" "$tmp/out")" = 3 ] || fail "compare --metric admissions: not once for system, city and north"
  ! grep -q '^  cost (GBP)$' <(sed -n '/^system (system)$/,$p' "$tmp/out") || fail "compare --metric shows others"
  expect_exit 2 run "$tiny" --metric delayed_bed_dayz
  stderr_has "did you mean 'delayed_bed_days'"
  expect_exit 2 compare "$tiny" --partnership fragmented,integrated --metric nope
  stderr_has "--metric 'nope'"
  expect_exit 2 run "$tiny" --metric cost --full
  stderr_has "--full"
  expect_exit 2 sweep "$tiny" --vary hospitals.city.beds=50,60 --out "$tmp/s.h5" --metric costs
  stderr_has "did you mean 'cost'"
  ;;

intervals)
  # Intervals of non-negative quantities never go below zero: the Student t
  # interval, cut at 0 (docs/results-file.md, "Intervals"). Differences are
  # not cut.
  expect_exit 0 run "$tiny" --replicates 5 --threads 2 --full --json
  "$python" - "$tmp/out" <<'PY' || fail "intervals"
import json, math, sys
T4 = 2.7764451051977987  # t(0.975, 4)
doc = json.load(open(sys.argv[1]))
cut = kept = 0
for org, block in doc["organisations"].items():
    for m, st in block["metrics"].items():
        if st["sd"] is None:
            continue
        t_lo = st["mean"] - T4 * st["sd"] / math.sqrt(st["n"])
        assert st["lo"] >= 0, (org, m, st)
        assert abs(st["lo"] - max(0.0, t_lo)) <= 1e-9 * max(1.0, abs(st["mean"])), (org, m, st, t_lo)
        assert abs(st["hi"] - (st["mean"] + T4 * st["sd"] / math.sqrt(st["n"]))) <= 1e-9 * max(1.0, st["hi"])
        if t_lo < 0:
            cut += 1
        else:
            kept += 1
assert cut > 0 and kept > 0, (cut, kept)
print("ok: %d intervals cut at 0, %d as Student t" % (cut, kept))
PY
  expect_exit 0 compare "$tiny" --partnership fragmented,integrated --replicates 5 --threads 2 --json
  "$python" - "$tmp/out" <<'PY' || fail "paired differences are cut"
import json, sys
doc = json.load(open(sys.argv[1]))
neg = sum(1 for b in doc["organisations"].values() for m in b["metrics"].values()
          for d in m["differences"].values() if d and d["lo"] is not None and d["lo"] < 0)
assert neg > 0, "no difference interval below 0"
PY
  ;;

perspective)
  # A locality's copy of a hospital metric is its residents again: the
  # home councils add up to the system, as the hospitals do; never both.
  expect_exit 0 run "$src/models/reference.yaml" --replicates 2 --threads 2 --set run.days=14 \
    --set run.warmup_days=14 --full --json --out "$tmp/p.h5" --quiet
  "$python" - "$tmp/out" "$tmp/p.h5" <<'PY' || fail "perspectives"
import json, sys, h5py
doc = json.load(open(sys.argv[1]))
orgs = doc["organisations"]
sysm = orgs["system"]["metrics"]
checked = 0
for m in ("admissions", "delayed_bed_days", "nctr_patients", "discharges_p1", "cost", "lever_cost",
          "avoided_admissions", "home_care_starts"):
    total = sysm[m]["mean"]
    by = {}
    for name, b in orgs.items():
        st = b["metrics"].get(m)
        if name != "system" and st:
            by.setdefault(st["perspective"], 0.0)
            by[st["perspective"]] += st["mean"]
    for p, v in by.items():
        assert abs(v - total) <= 1e-6 * max(1.0, abs(total)), (m, p, v, total)
        checked += 1
    assert "organisation" in by, m
assert orgs["north"]["metrics"]["delayed_bed_days"]["perspective"] == "home_council"
with h5py.File(sys.argv[2], "r") as f:
    a = f["summary/delayed_bed_days"].attrs["perspective"]
    a = a.decode() if isinstance(a, bytes) else str(a)
    assert a == "hospital:organisation locality:home_council system:system", a
    a = f["cost"].attrs["perspective"]
    a = a.decode() if isinstance(a, bytes) else str(a)
    assert a == "hospital:organisation locality:organisation community:organisation system:system", a
print("ok: %d sums by perspective equal the system's" % checked)
PY
  ;;

queue_warning)
  # A run whose ED queue is still growing at its end: a warning, exit 0.
  q=(--set hospitals.city.beds=10 --set run.days=28 --set run.warmup_days=0 --replicates 2 --quiet)
  expect_exit 0 run "$tiny" "${q[@]}"
  stderr_has "warning: the ED queue at city was still growing at the end of the run in 2 of 2 replicates"
  expect_exit 0 compare "$tiny" --partnership fragmented,integrated "${q[@]}"
  stderr_has "warning: fragmented: the ED queue at city was still growing"
  expect_exit 0 sweep "$tiny" --vary partnership.preset=fragmented,integrated --out "$tmp/q.h5" "${q[@]}"
  stderr_has "warning: in 2 of 2 scenarios the ED queue was still growing"
  # and none for a settled run
  expect_exit 0 run "$tiny" --replicates 2 --quiet
  [ ! -s "$tmp/err" ] || { cat "$tmp/err" >&2; fail "a warning for a settled run"; }
  ;;

presets_doc)
  # docs/presets.md is generated from the library; it must not drift.
  # Regenerate: build/winterflow params --presets > docs/presets.md
  expect_exit 0 params --presets
  if ! cmp -s "$tmp/out" "$src/docs/presets.md"; then
    diff -u "$src/docs/presets.md" "$tmp/out" | head -40 >&2 || true
    fail "docs/presets.md differs from 'winterflow params --presets'; regenerate it with: build/winterflow params --presets > docs/presets.md"
  fi
  grep -qF '| `partnership.admission_avoidance` | `0` | **`0.3`** |' "$tmp/out" \
    || fail "the presets page does not show admission avoidance"
  expect_exit 2 params --presets --markdown
  ;;

self_contained)
  # The repository stands alone: nothing points into a shared/ folder.
  if grep -rn "shared/" "$src/models" "$src/docs" "$src/lib" "$src/cli" "$src/python-bindings" \
       "$src/README.md" "$src/include" >"$tmp/refs"; then
    cat "$tmp/refs" >&2
    fail "files point outside the repository"
  fi
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
  # every problem at once and the warnings (exit 3: invalid); init
  printf 'name: v\nhospitals: {h: {beds: -1, bedz: 2}}\nlocalities: {l: {population: 5}}\n' >"$tmp/vg.yaml"
  got=0
  "$valgrind" --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --error-exitcode=9 "$wf" validate "$tmp/vg.yaml" "$tiny" >"$tmp/out" 2>"$tmp/err" || got=$?
  [ "$got" = 3 ] || { cat "$tmp/err" >&2; fail "valgrind: winterflow validate: exit $got"; }
  got=0
  "$valgrind" --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --error-exitcode=9 "$wf" init vg --hospitals a,b --councils c=1000,d --out "$tmp/vg-init.yaml" \
    >"$tmp/out" 2>"$tmp/err" || got=$?
  [ "$got" = 0 ] || { cat "$tmp/err" >&2; fail "valgrind: winterflow init: exit $got"; }
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
