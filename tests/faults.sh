#!/usr/bin/env bash
# The fault table of docs/faults.md, case by case (tests/faults.cmake):
#   faults.sh CASE WINTERFLOW WINTERFLOW_FAULTS SOURCE_DIR
# Each case checks what the user sees (one clear message, the documented
# exit code, no crash) and that every file written before stays intact.
#   two_writers      two sweeps on one --out: the second is refused at once
#                    (exit 4, naming the first), or waits with --wait-lock
#   readonly_folder  --out in a read-only folder (a read-only tmpfs as root)
#   folder_removed   the --out folder removed while a run or sweep goes
#   alloc_limit      the library's N-th allocation and all later ones fail
#                    (winterflow_faults, WF_TEST_ALLOC_LIMIT), N from 0 up
#                    to a run that succeeds: exit 1 "out of memory"
#   sigterm_sweep    SIGTERM mid-sweep: exit 130, saved chunks stay and
#                    resume (SIGINT: cli_sweep_sigint in tests/cli)
#   ctrl_c           SIGINT to a run that would take hours: it stops within
#                    seconds (inside a replicate), exit 130, nothing written
# The time bound of ctrl_c (10 s) is a liveness check, generous by a factor
# of ten over the promise ("within a second"), not a speed goal.
set -uo pipefail

case_name=$1 wf=$2 wff=$3 src=$4
tiny=$src/tests/cli/tiny.yaml
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)
tmp=$(mktemp -d)
mnt=
cleanup() {
  [ -n "$mnt" ] && { umount "$mnt" 2>/dev/null; rmdir "$mnt"; }
  chmod -R u+w "$tmp" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

. "$(dirname "$0")/cli/harness.sh"
# one line of error (and, for a refused writer, the hint), no HDF5 text
stderr_clean() {
  ! grep -q "HDF5\|0x[0-9a-f]\{6\}" "$tmp/err" || { cat "$tmp/err" >&2; fail "HDF5's own text on stderr"; }
}
scenarios_in() { "$python" -c 'import h5py,sys; print(len(h5py.File(sys.argv[1])["scenario"]))' "$1"; }
wait_for() {  # wait_for FILE: until it exists (30 s at most)
  for _ in $(seq 1 3000); do [ -e "$1" ] && return 0; sleep 0.01; done
  fail "$1 did not appear"
}
no_litter() {  # no temporary or lock file left in folder $1
  [ -z "$(find "$1" -maxdepth 1 -name '.*.tmp-*' -o -maxdepth 1 -name '.*.lock')" ] ||
    fail "a temporary or lock file was left in $1: $(ls -a "$1")"
}
small=(--set run.days=5 --set run.warmup_days=2 --replicates 2 --quiet)

case $case_name in

two_writers)
  "$python" -c 'import h5py' || fail "python3-h5py is not installed (scripts/test.sh installs it)"
  s=(sweep "$tiny" --set run.days=120 --replicates 4 --quiet --threads 1 --chunk 6
     --vary hospitals.city.beds=44:66:2 --vary partnership.preset=fragmented,integrated)
  "$wf" "${s[@]}" --out "$tmp/s.h5" >"$tmp/a.out" 2>"$tmp/a.err" &
  a=$!
  wait_for "$tmp/.s.h5.lock"
  # A second sweep on the same --out: refused at once, naming the first.
  expect_exit 4 "${s[@]}" --out "$tmp/s.h5"
  stderr_has "another writer is writing it (process $a on host "
  stderr_has "winterflow sweep"
  stderr_has "use --wait-lock to wait"
  stderr_clean
  # So is a run --out (checked before it runs), and a compare --out.
  expect_exit 4 run "$tiny" "${small[@]}" --out "$tmp/s.h5" --force
  stderr_has "process $a on host "
  kill -0 $a 2>/dev/null || fail "the first sweep ended before the second was refused; make it longer"
  # With --wait-lock the second waits for the first, then finds it done.
  expect_exit 0 "${s[@]}" --out "$tmp/s.h5" --wait-lock
  stderr_has "already holds all 24 scenarios"
  got=0; wait $a || got=$?
  [ $got = 0 ] || { cat "$tmp/a.err" >&2; fail "the first sweep exited $got"; }
  n=$(scenarios_in "$tmp/s.h5")
  [ "$n" = 24 ] || fail "the file holds $n scenarios for a design of 24"
  no_litter "$tmp"
  echo "ok: a second writer is refused (exit 4, naming process $a) or waits; the file holds 24 scenarios"
  ;;

readonly_folder)
  ro=$tmp/ro
  mkdir "$ro"
  "$wf" run "$tiny" "${small[@]}" --out "$ro/old.h5" >/dev/null 2>&1 || fail "cannot write the first file"
  cp "$ro/old.h5" "$tmp/old.copy"
  if [ "$(id -u)" = 0 ]; then
    # root writes through file modes: a read-only filesystem instead
    mnt=$(mktemp -d)
    mount -t tmpfs -o size=4m tmpfs "$mnt" 2>/dev/null || { echo "SKIP: cannot mount a tmpfs here"; exit 77; }
    cp "$ro/old.h5" "$mnt/old.h5"
    mount -o remount,ro "$mnt" || fail "cannot remount the tmpfs read-only"
    ro=$mnt
    why="Read-only file system"
  else
    chmod a-w "$ro"
    why="Permission denied"
  fi
  expect_exit 4 run "$tiny" "${small[@]}" --out "$ro/new.h5"
  stderr_has "cannot create a file in folder $ro: $why"; stderr_clean
  [ ! -e "$ro/new.h5" ] || fail "a file appeared in the read-only folder"
  expect_exit 4 run "$tiny" "${small[@]}" --out "$ro/old.h5" --force
  stderr_has "$why"
  cmp -s "$ro/old.h5" "$tmp/old.copy" || fail "the earlier file changed"
  expect_exit 4 sweep "$tiny" "${small[@]}" --vary hospitals.city.beds=50,60 --out "$ro/s.h5"
  stderr_has "$why"
  expect_exit 4 compare "$tiny" "${small[@]}" --partnership fragmented,integrated --out "$ro/c.h5"
  stderr_has "$why"
  # what is there still reads
  expect_exit 0 run "$ro/old.h5#0" "${small[@]}"
  echo "ok: a read-only folder: exit 4 ($why), before the run; the earlier file intact"
  ;;

folder_removed)
  # A run of a few seconds; its folder goes while it runs.
  mkdir "$tmp/d"
  long=(--set run.days=365 --set localities.north.emergency_admissions_per_day=1000
        --set hospitals.city.beds=7000 --replicates 2 --threads 1 --quiet)
  "$wf" run "$tiny" "${long[@]}" --out "$tmp/d/x.h5" >/dev/null 2>"$tmp/err" &
  pid=$!
  wait_for "$tmp/d/.x.h5.lock"
  rm -rf "$tmp/d"
  got=0; wait $pid || got=$?
  [ $got = 4 ] || { cat "$tmp/err" >&2; fail "run: exit $got, expected 4"; }
  stderr_has "its folder $tmp/d is gone: No such file or directory"; stderr_clean
  [ ! -e "$tmp/d" ] || fail "the removed folder came back"
  # A sweep: the first chunk is saved, then the folder goes.
  mkdir "$tmp/e"
  "$wf" sweep "$tiny" --set run.days=120 --replicates 4 --quiet --threads 1 --chunk 1 \
    --vary hospitals.city.beds=44:66:2 --out "$tmp/e/s.h5" >/dev/null 2>"$tmp/err" &
  pid=$!
  wait_for "$tmp/e/s.h5"
  cp "$tmp/e/s.h5" "$tmp/saved.h5"
  rm -rf "$tmp/e"
  got=0; wait $pid || got=$?
  [ $got = 4 ] || { cat "$tmp/err" >&2; fail "sweep: exit $got, expected 4"; }
  # (the folder may go at any step of a save: the message names the file and the reason)
  stderr_has "$tmp/e/s.h5: "; stderr_clean
  grep -q "No such file or directory\|was removed" "$tmp/err" || { cat "$tmp/err" >&2; fail "no reason given"; }
  expect_exit 0 run "$tmp/saved.h5#0" "${small[@]}"
  echo "ok: the output folder removed mid-run or mid-sweep: exit 4, no such folder; what was saved reads"
  ;;

alloc_limit)
  # Every N from 0 to 20, then N growing by a quarter, until a run
  # succeeds: exit 1 with "out of memory" (or exit 0), never a signal, and
  # the file the run would replace untouched.
  "$wf" run "$tiny" "${small[@]}" --out "$tmp/keep.h5" >/dev/null 2>&1 || fail "cannot write the first file"
  cp "$tmp/keep.h5" "$tmp/keep.copy"
  try() {  # try WHAT ARGS...: one command under the limit $n
    local what=$1 got=0; shift
    WF_TEST_ALLOC_LIMIT=$n "$wff" "$@" >/dev/null 2>"$tmp/err" || got=$?
    case $got in
      0) return 0 ;;
      1) grep -q "out of memory\|Cannot allocate memory" "$tmp/err" ||
           { cat "$tmp/err" >&2; fail "$what, $n allocations: exit 1 without 'out of memory'"; } ;;
      *) cat "$tmp/err" >&2; fail "$what, $n allocations: exit $got" ;;
    esac
    stderr_clean
    return 1
  }
  steps() { seq 0 20; local k=21; while [ $k -lt 200000 ]; do echo $k; k=$((k + k / 4)); done; }
  runs=0
  for n in $(steps); do
    runs=$((runs + 1))
    try "run --out --force" run "$tiny" "${small[@]}" --threads 1 --out "$tmp/keep.h5" --force && break
    cmp -s "$tmp/keep.h5" "$tmp/keep.copy" || fail "run, $n allocations: the earlier file changed"
    no_litter "$tmp"
  done
  [ "$n" -gt 1000 ] || fail "a run needed only $n allocations: is the limit applied?"
  echo "run --out --force: exit 1 'out of memory' under every limit up to $n ($runs runs)"
  for n in $(steps); do
    try "reading a results file" run "$tmp/keep.copy#0" "${small[@]}" --threads 1 && break
  done
  echo "run FILE.h5#0: exit 1 'out of memory' under every limit up to $n"
  for n in $(steps); do
    rm -f "$tmp/s.h5"
    try "sweep" sweep "$tiny" "${small[@]}" --threads 1 --chunk 1 --vary hospitals.city.beds=50,60,70 \
      --out "$tmp/s.h5" && break
    # what a failed sweep saved reads, and its chunks are whole scenarios
    if [ -e "$tmp/s.h5" ]; then
      expect_exit 0 run "$tmp/s.h5#0" "${small[@]}"
    fi
    no_litter "$tmp"
  done
  echo "sweep: exit 1 'out of memory' under every limit up to $n"
  ;;

sigterm_sweep)
  "$python" -c 'import h5py' || fail "python3-h5py is not installed (scripts/test.sh installs it)"
  s=(sweep "$tiny" --set run.days=60 --replicates 4 --quiet --vary hospitals.city.beds=44:66:2
     --vary partnership.preset=fragmented,integrated)
  "$wf" "${s[@]}" --threads 1 --chunk 1 --out "$tmp/part.h5" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  wait_for "$tmp/part.h5"
  cp "$tmp/part.h5" "$tmp/first.h5"
  kill -s TERM $pid
  got=0; wait $pid || got=$?
  [ $got = 130 ] || { cat "$tmp/err" >&2; fail "exit $got after SIGTERM, expected 130"; }
  stderr_has "interrupted"; stderr_has "run the same command again"
  n=$(scenarios_in "$tmp/part.h5")
  [ "$n" -ge 1 ] && [ "$n" -lt 24 ] || fail "after SIGTERM the file holds $n of 24 scenarios"
  no_litter "$tmp"
  expect_exit 0 "${s[@]}" --threads 2 --out "$tmp/part.h5"
  grep -q "($((24 - n)) computed now" "$tmp/out" || { cat "$tmp/out" >&2; fail "did not reuse $n"; }
  [ "$(scenarios_in "$tmp/part.h5")" = 24 ] || fail "the resumed sweep does not hold 24 scenarios"
  echo "ok: SIGTERM after $n of 24 scenarios: exit 130, they stay and the sweep resumes"
  ;;

ctrl_c)
  # One replicate of twenty years at 20,000 admissions a day: hours.
  cat >"$tmp/huge.yaml" <<'EOF'
name: huge
run: {start_date: 2025-12-01, days: 3650, warmup_days: 3650, replicates: 1, seed: 1}
localities:
  north:
    emergency_admissions_per_day: 20000
    hospital_share: {city: 1.0}
    home_care_packages: 30
    care_home_beds: 40
hospitals:
  city: {beds: 100000, ed_policy: divert}
community:
  icb: {intermediate_care_beds: 8, serves: [north]}
EOF
  "$wf" run "$tiny" "${small[@]}" --out "$tmp/keep.h5" >/dev/null 2>&1 || fail "cannot write the first file"
  cp "$tmp/keep.h5" "$tmp/keep.copy"
  for sig in INT TERM; do
    "$wf" run "$tmp/huge.yaml" --threads 1 --out "$tmp/keep.h5" --force >/dev/null 2>"$tmp/err" &
    pid=$!
    wait_for "$tmp/.keep.h5.lock"
    sleep 1  # under way, inside its one replicate
    kill -0 $pid 2>/dev/null || { cat "$tmp/err" >&2; fail "the huge run ended by itself"; }
    t0=$(date +%s%N)
    kill -s $sig $pid
    got=0; wait $pid || got=$?
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ $got = 130 ] || { cat "$tmp/err" >&2; fail "exit $got after SIG$sig, expected 130"; }
    [ $ms -lt 10000 ] || fail "SIG$sig: it took $ms ms to stop"
    stderr_has "interrupted: nothing was saved"
    cmp -s "$tmp/keep.h5" "$tmp/keep.copy" || fail "SIG$sig: the earlier file changed"
    no_litter "$tmp"
    echo "SIG$sig: stopped in $ms ms, exit 130, the earlier file intact"
  done
  ;;

*)
  fail "unknown case $case_name"
  ;;
esac
