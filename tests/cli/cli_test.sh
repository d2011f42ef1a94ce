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
# MODEL.md "Output names (v1)": each one in the system block.
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
  ;;

help)
  expect_exit 0 --help
  grep -q 'Exit status' "$tmp/out" || fail "--help lacks exit codes"
  grep -q 'winterflow run' "$tmp/out" || fail "--help lacks examples"
  expect_exit 0 --version
  grep -q '^winterflow [0-9]\+\.[0-9]\+\.[0-9]\+$' "$tmp/out" || fail "--version"
  for verb in run validate params; do
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

params_doc)
  # docs/parameters.md is generated from the parameter table; it must not
  # drift. Regenerate: build/winterflow params --markdown > docs/parameters.md
  expect_exit 0 params --markdown
  if ! cmp -s "$tmp/out" "$src/docs/parameters.md"; then
    diff -u "$src/docs/parameters.md" "$tmp/out" | head -40 >&2 || true
    fail "docs/parameters.md differs from 'winterflow params --markdown'; regenerate it with: build/winterflow params --markdown > docs/parameters.md"
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
  ;;

*)
  fail "unknown case '$case_name'"
  ;;
esac
echo "ok: $case_name"
