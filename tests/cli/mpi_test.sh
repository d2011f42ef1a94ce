#!/usr/bin/env bash
# Tests of the winterflow program spread over MPI ranks (tests/mpi.cmake):
#   mpi_test.sh CASE WINTERFLOW SOURCE_DIR MPIEXEC [MPIEXEC_FLAGS]
# Each case exits non-zero with a message on the first failure.
#
# "The same file" is the issue's definition: object by object, every group,
# dataset and attribute equal (tests/h5same.py), except the attributes that
# record when it happened (created, run_started, run_finished). Every run
# writes a file of the same name in a folder of its own, with the same
# --threads, so that even the recorded command line and rerun recipes must
# match.
set -euo pipefail

case_name=$1
wf=$2
src=$3
mpiexec=$4
read -r -a mpiflags <<<"${5:-}"
tiny=$src/tests/cli/tiny.yaml
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3)
"$python" -c 'import h5py' || { echo "FAIL: python3-h5py is not installed (scripts/test.sh installs it)" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# Open MPI refuses root unless told. On Ctrl-C (or a rank's death) Open MPI
# 4.1's mpirun sends every rank SIGCONT, then SIGTERM odls_base_sigkill_timeout
# seconds later, then SIGKILL as long again after that (docs/cluster.md):
# 10 s, so that rank 0 has time to name a dead rank (a slow sanitizer build
# on a busy machine too); the sigint case sets 3 s (below).
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OMPI_MCA_odls_base_sigkill_timeout=10

fail() { echo "FAIL: $*" >&2; exit 1; }

# run_in DIR N ARGS...: winterflow ARGS in DIR, on N ranks (0: no mpirun);
# stdout, stderr and exit code in DIR/out, DIR/err, DIR/rc.
run_in() {
  local dir=$1 n=$2
  shift 2
  mkdir -p "$dir"
  local rc=0
  if [ "$n" = 0 ]; then
    (cd "$dir" && "$wf" "$@") >"$dir/out" 2>"$dir/err" || rc=$?
  else
    (cd "$dir" && "$mpiexec" -n "$n" "${mpiflags[@]}" "$wf" "$@") >"$dir/out" 2>"$dir/err" || rc=$?
  fi
  echo "$rc" >"$dir/rc"
}
rc_is() {  # rc_is DIR CODE
  local got
  got=$(cat "$1/rc")
  [ "$got" = "$2" ] || { cat "$1/out" "$1/err" >&2; fail "$1: exit $got, expected $2"; }
}
same_file() {  # same_file A B...: each of B... is A, object by object, but the times
  "$python" "$src/tests/h5same.py" "$@" --occasion created,run_started,run_finished || fail "files differ"
}
# the sweep summary's one line that says how long it took
untimed() { sed 's/computed now in [0-9.]* s/computed now in T s/' "$1"; }
scenarios() { "$python" -c 'import h5py,sys; print(len(h5py.File(sys.argv[1])["scenario"]))' "$1"; }
# rank_pid MPIRUN_PID RANK: the process of that rank, once it has started
rank_pid() {
  local p
  for _ in $(seq 1 1000); do
    for p in $(pgrep -P "$1" || true); do
      if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$2"; then
        echo "$p"
        return 0
      fi
    done
    sleep 0.01
  done
  return 1
}

# stop_midway KIND FILE INTERRUPTED CMD...: winterflow CMD on 3 ranks in
# $tmp/part; once it has saved FILE, kill -9 rank 1 (KIND kill) or SIGINT
# to mpirun (KIND sigint). mpirun must fail and leave no rank behind; a
# killed rank must be named with its pid and the advice to run again; an
# interruption must say INTERRUPTED (a regex) and name no dead rank.
stop_midway() {
  local kind=$1 file=$2 interrupted=$3 mp victim got=0 p
  shift 3
  mkdir -p "$tmp/part"
  (cd "$tmp/part" && exec "$mpiexec" -n 3 "${mpiflags[@]}" "$wf" "$@") >"$tmp/part/out" 2>"$tmp/part/err" &
  mp=$!
  pids+=("$mp")
  victim=$(rank_pid "$mp" 1) || fail "rank 1 did not start"
  for _ in $(seq 1 3000); do [ -e "$tmp/part/$file" ] && break; sleep 0.01; done
  [ -e "$tmp/part/$file" ] || fail "nothing was saved in $file"
  if [ "$kind" = kill ]; then kill -9 "$victim"; else kill -INT "$mp"; fi
  wait "$mp" || got=$?
  [ "$got" != 0 ] || { cat "$tmp/part/err" >&2; fail "mpirun exited 0 after the signal"; }
  for p in $(pgrep -P "$mp" || true); do fail "rank process $p is still there"; done
  if [ "$kind" = kill ]; then
    grep -q "rank 1 (pid $victim on .*) has died" "$tmp/part/err" \
      || { cat "$tmp/part/err" >&2; fail "no error naming rank 1 (pid $victim)"; }
    grep -q "run the same command again, on any number of ranks" "$tmp/part/err" \
      || { cat "$tmp/part/err" >&2; fail "no advice to run the command again"; }
  else
    grep -q "$interrupted" "$tmp/part/err" || { cat "$tmp/part/err" >&2; fail "no '$interrupted'"; }
    ! grep -q "has died" "$tmp/part/err" || { cat "$tmp/part/err" >&2; fail "a rank died on SIGINT"; }
  fi
}

design=(--vary hospitals.city.beds=44:66:2 --vary partnership.preset=fragmented,integrated)

# A calibration: tests/cli/calibrate_test.sh's small system and data.
small=$src/tests/fixtures/calibrate.yaml
obs=$src/tests/fixtures/calibrate_observed.csv
# Threads by OMP_NUM_THREADS, not --threads: the file records the command
# line, which must then be the same for any thread count.
cal=(calibrate "$small" --observed "$obs" --vary localities.north.emergency_admissions_per_day=5:30
     --vary partnership.assessment_delay.mean_days=0.2:4 --particles 20)
export OMP_NUM_THREADS=1
# A calibration file records when it was written ("created"; HDF5 keeps the
# root group's times too, so no two runs are the same bytes): everything
# else must be equal.
same_cal() { "$python" "$src/tests/h5same.py" "$@" --occasion created || fail "calibration files differ"; }
# stderr but the progress lines (their number and rates depend on the time)
steps() { grep -Ev '^winterflow: [0-9]+/[0-9]+ simulations \(' "$1" || true; }
sweep=(sweep "$tiny" --set run.days=60 --replicates 4 --quiet --threads 1 "${design[@]}" --out s.h5)

case $case_name in

sweep)
  run_in "$tmp/one" 0 "${sweep[@]}"
  rc_is "$tmp/one" 0
  for n in 1 2 3; do
    run_in "$tmp/n$n" "$n" "${sweep[@]}"
    rc_is "$tmp/n$n" 0
    diff <(untimed "$tmp/one/out") <(untimed "$tmp/n$n/out") || fail "$n ranks print another summary"
    # the one process's warnings (tiny's care is short: its ED queue grows),
    # said once, and nothing else
    diff "$tmp/one/err" "$tmp/n$n/err" || fail "$n ranks wrote another stderr"
  done
  same_file "$tmp/one/s.h5" "$tmp/n1/s.h5" "$tmp/n2/s.h5" "$tmp/n3/s.h5"
  # Any thread count: 2 ranks of 2 threads, saved in chunks of 5 points;
  # only "threads", the command line that says so and the times differ.
  # And the comparison can fail: another seed is another file.
  run_in "$tmp/t2" 2 "${sweep[@]}" --threads 2 --chunk 5
  rc_is "$tmp/t2" 0
  run_in "$tmp/seed" 2 "${sweep[@]}" --seed 43
  rc_is "$tmp/seed" 0
  "$python" "$src/tests/h5same.py" "$tmp/one/s.h5" "$tmp/t2/s.h5" \
    --occasion created,run_started,run_finished,threads,command_line || fail "2 ranks x 2 threads differ"
  ! "$python" "$src/tests/h5same.py" "$tmp/one/s.h5" "$tmp/seed/s.h5" >/dev/null 2>&1 \
    || fail "h5same finds no difference between two seeds"
  # Started again when complete: nothing to do, the file untouched.
  cp "$tmp/n3/s.h5" "$tmp/copy.h5"
  run_in "$tmp/n3" 3 "${sweep[@]}"
  rc_is "$tmp/n3" 0
  grep -q "already holds all 24" "$tmp/n3/err" || { cat "$tmp/n3/err" >&2; fail "no 'already holds all 24'"; }
  [ "$(grep -c 'already holds' "$tmp/n3/err")" = 1 ] || fail "the note is printed more than once"
  cmp "$tmp/n3/s.h5" "$tmp/copy.h5" || fail "a complete file was rewritten"
  ;;

compare)
  cmp=(compare "$tiny" --partnership fragmented,integrated --vary hospitals.city.beds=50,60 --replicates 6
       --threads 1 --quiet)
  for n in 0 1 2 3; do
    run_in "$tmp/j$n" "$n" "${cmp[@]}" --json
    rc_is "$tmp/j$n" 0
    run_in "$tmp/t$n" "$n" "${cmp[@]}" --out c.h5
    rc_is "$tmp/t$n" 0
    [ "$n" = 0 ] && continue
    cmp "$tmp/j0/out" "$tmp/j$n/out" || fail "compare --json on $n ranks differs"
    cmp "$tmp/t0/out" "$tmp/t$n/out" || fail "the compare table on $n ranks differs"
  done
  grep -q '"configurations"' "$tmp/j3/out" || fail "no JSON from 3 ranks"
  same_file "$tmp/t0/c.h5" "$tmp/t1/c.h5" "$tmp/t2/c.h5" "$tmp/t3/c.h5"
  # run spreads its replicates too
  run_in "$tmp/r0" 0 run "$tiny" --replicates 5 --threads 1 --json
  run_in "$tmp/r3" 3 run "$tiny" --replicates 5 --threads 1 --json
  rc_is "$tmp/r3" 0
  cmp "$tmp/r0/out" "$tmp/r3/out" || fail "run --json on 3 ranks differs"
  ;;

kill|sigint)
  # Saved two points at a time, so that it is still running after its
  # first save; the same sweep on one process to compare with.
  long=(sweep "$tiny" --set run.days=180 --replicates 8 --quiet --threads 1 --chunk 2
        --vary hospitals.city.beds=44:66:1 --vary partnership.preset=fragmented,integrated --out s.h5)
  run_in "$tmp/one" 0 "${long[@]}"
  rc_is "$tmp/one" 0
  # Ctrl-C: the ranks hear of it only the timeout later; 1 s, so that the
  # sweep (about 3 s on 3 idle ranks after its first save) still runs then,
  # and rank 0 has 1 s to finish its save. Under the sanitizers, ten times
  # slower, a save on a busy machine can take longer than that: there
  # tests/mpi.cmake sets WF_TEST_SIGINT_GRACE (the sweep runs longer too).
  [ "$case_name" = sigint ] && export OMPI_MCA_odls_base_sigkill_timeout=${WF_TEST_SIGINT_GRACE:-1}
  stop_midway "$case_name" s.h5 "interrupted: [0-9]* of 46 scenarios are saved in s.h5" "${long[@]}"
  n=$(scenarios "$tmp/part/s.h5")
  echo "stopped with $n of 46 scenarios saved"
  [ "$n" -ge 1 ] && [ "$n" -lt 46 ] || fail "$n of 46 saved: the sweep finished before the signal; make it longer"
  # Finish it on another number of ranks: the file of one process.
  run_in "$tmp/part" 2 "${long[@]}"
  rc_is "$tmp/part" 0
  grep -q "resuming: $n of 46" "$tmp/part/err" || { cat "$tmp/part/err" >&2; fail "did not resume from $n"; }
  same_file "$tmp/one/s.h5" "$tmp/part/s.h5"
  ;;

writers)
  # Several writers (--writers 2): the ranks split into two groups, each
  # sweeping its half of the design into a file of its own; each file is
  # the file of one process sweeping that part (--part k/2), object by
  # object, whether a group has two ranks or one; the parts read as one
  # give the whole sweep's tables. Only the command line and the rerun
  # recipe (which names the file) may differ.
  parts_same() {  # parts_same DIR: DIR's two parts are one process's
    for k in 1 2; do
      "$python" "$src/tests/h5same.py" "$tmp/p$k/s.h5" "$1/s-part-$k-of-2.h5" \
        --occasion created,run_started,run_finished,command_line,rerun || fail "$1: part $k differs"
    done
  }
  for k in 1 2; do
    run_in "$tmp/p$k" 0 "${sweep[@]}" --part "$k/2"
    rc_is "$tmp/p$k" 0
  done
  for n in 3 2; do
    run_in "$tmp/w$n" "$n" "${sweep[@]}" --writers 2
    rc_is "$tmp/w$n" 0
    [ ! -e "$tmp/w$n/s.h5" ] || fail "$n ranks, 2 writers: s.h5 written besides the parts"
    parts_same "$tmp/w$n"
    grep -q "the table is part 1 of 2" "$tmp/w$n/out" || { cat "$tmp/w$n/out" >&2; fail "no 'part 1 of 2'"; }
    grep -q "s-part-1-of-2.h5 s-part-2-of-2.h5" "$tmp/w$n/out" || fail "the parts are not named"
  done
  run_in "$tmp/one" 0 "${sweep[@]}"
  rc_is "$tmp/one" 0
  run_in "$tmp/one" 0 export s.h5 --csv whole
  run_in "$tmp/w3" 0 export s-part-1-of-2.h5 s-part-2-of-2.h5 --csv whole
  rc_is "$tmp/w3" 0
  for t in summaries daily differences; do
    cmp "$tmp/one/whole/$t.csv" "$tmp/w3/whole/$t.csv" || fail "the parts' $t differ from the whole sweep's"
  done
  # Complete: nothing to do, the parts untouched.
  cp "$tmp/w3/s-part-2-of-2.h5" "$tmp/copy.h5"
  run_in "$tmp/w3" 3 "${sweep[@]}" --writers 2
  rc_is "$tmp/w3" 0
  grep -q "already holds all 12 scenarios of this part" "$tmp/w3/err" || { cat "$tmp/w3/err" >&2; fail "no note"; }
  cmp "$tmp/w3/s-part-2-of-2.h5" "$tmp/copy.h5" || fail "a complete part was rewritten"
  # More writers than ranks: a usage error, nothing written.
  run_in "$tmp/u" 2 "${sweep[@]}" --writers 3
  rc_is "$tmp/u" 2
  grep -q -- "--writers 3: each writer is a rank of an MPI job, and this job has 2" "$tmp/u/err" \
    || { cat "$tmp/u/err" >&2; fail "no usage error"; }
  [ -z "$(ls "$tmp/u" | grep '\.h5$' || true)" ] || fail "files written by a usage error"
  ;;

writerskill)
  # A rank killed mid-sweep with two writers: named (by its rank in the
  # job), what was saved stays; the same command on 2 ranks finishes both
  # parts, each the file of one process sweeping that part.
  long=(sweep "$tiny" --set run.days=180 --replicates 8 --quiet --threads 1 --chunk 2
        --vary hospitals.city.beds=44:66:1 --vary partnership.preset=fragmented,integrated --out s.h5)
  stop_midway kill s-part-1-of-2.h5 "" "${long[@]}" --writers 2
  n=$(scenarios "$tmp/part/s-part-1-of-2.h5")
  [ "$n" -ge 1 ] && [ "$n" -lt 23 ] || fail "$n of 23 saved in part 1: it finished before the kill; make it longer"
  run_in "$tmp/part" 2 "${long[@]}" --writers 2
  rc_is "$tmp/part" 0
  grep -q "resuming: $n of 23 scenarios are already in s-part-1-of-2.h5" "$tmp/part/err" \
    || { cat "$tmp/part/err" >&2; fail "part 1 did not resume from $n"; }
  for k in 1 2; do
    run_in "$tmp/l$k" 0 "${long[@]}" --part "$k/2"
    rc_is "$tmp/l$k" 0
    "$python" "$src/tests/h5same.py" "$tmp/l$k/s.h5" "$tmp/part/s-part-$k-of-2.h5" \
      --occasion created,run_started,run_finished,command_line,rerun || fail "resumed part $k differs"
  done
  ;;

errors)
  # Five jobs that fail, side by side: each waits out mpirun's kill timeout
  # (about 20 s with the 10 s above) mostly idle.
  # A usage error: said once (rank 0), not once per rank.
  run_in "$tmp/u" 3 sweep &
  # calibrate and --posterior run over the ranks: their errors are one
  # process's, said once
  run_in "$tmp/c" 2 calibrate "$tiny" --observed none.csv --vary hospitals.city.beds=40:80 &
  run_in "$tmp/p" 2 compare "$tiny" --partnership fragmented,integrated --replicates 2 \
    --posterior "$src/models/data/reference_posterior.h5" &
  # A rank that fails alone: ranks 1 and 2 are given a file that does not
  # exist (MPMD), rank 0 a good one. Rank 0 names rank 1 and its message.
  mkdir -p "$tmp/m"
  (cd "$tmp/m" && rc=0 && { "$mpiexec" "${mpiflags[@]}" -n 1 "$wf" "${sweep[@]}" : -n 2 "$wf" sweep missing.yaml \
    --set run.days=60 --replicates 4 --quiet --threads 1 "${design[@]}" --out s.h5 >out 2>err || rc=$?; } \
    && echo "$rc" >rc) &
  # What a spread run cannot do is an error, not a silent single process.
  run_in "$tmp/e" 2 run "$tiny" --replicates 2 --out e.h5 --event-log &
  wait
  rc_is "$tmp/u" 2
  [ "$(grep -c 'sweep needs a scenario file' "$tmp/u/err")" = 1 ] || { cat "$tmp/u/err" >&2; fail "not said once"; }
  rc_is "$tmp/c" 4
  [ "$(grep -c "none.csv" "$tmp/c/err")" = 1 ] || { cat "$tmp/c/err" >&2; fail "calibrate: not said once"; }
  rc_is "$tmp/p" 3
  [ "$(grep -c "the posterior sets .*, which the scenario does not have" "$tmp/p/err")" = 1 ] \
    || { cat "$tmp/p/err" >&2; fail "compare --posterior: not said once"; }
  [ "$(cat "$tmp/m/rc")" != 0 ] || fail "a rank that failed alone did not fail the job"
  grep -q "rank 1 (pid [0-9]* on .*) stopped before the run: .*missing.yaml" "$tmp/m/err" \
    || { cat "$tmp/m/err" >&2; fail "rank 1's failure is not named"; }
  [ ! -e "$tmp/m/s.h5" ] || fail "a file was written by a job that failed"
  rc_is "$tmp/e" 1
  grep -q "event log is kept by a run on one process only" "$tmp/e/err" || { cat "$tmp/e/err" >&2; fail "event log"; }
  ;;

calibrate)
  # The same calibration on one process and on 1, 2 and 3 ranks: the same
  # table, --json and file.
  run_in "$tmp/one" 0 "${cal[@]}" --budget 120 --out cal.h5
  rc_is "$tmp/one" 0
  run_in "$tmp/j0" 0 "${cal[@]}" --budget 120 --json --quiet
  rc_is "$tmp/j0" 0
  for n in 1 2 3; do
    run_in "$tmp/n$n" "$n" "${cal[@]}" --budget 120 --out cal.h5
    rc_is "$tmp/n$n" 0
    cmp "$tmp/one/out" "$tmp/n$n/out" || fail "the calibration's table on $n ranks differs"
    # each generation's line, said once
    diff <(steps "$tmp/one/err") <(steps "$tmp/n$n/err") || fail "$n ranks wrote another stderr"
  done
  grep -q "generation 1:" "$tmp/one/err" || { cat "$tmp/one/err" >&2; fail "no generation 1"; }
  same_cal "$tmp/one/cal.h5" "$tmp/n1/cal.h5" "$tmp/n2/cal.h5" "$tmp/n3/cal.h5"
  run_in "$tmp/j3" 3 "${cal[@]}" --budget 120 --json --quiet
  rc_is "$tmp/j3" 0
  cmp "$tmp/j0/out" "$tmp/j3/out" || fail "calibrate --json on 3 ranks differs"
  grep -q '"generations"' "$tmp/j3/out" || fail "no JSON from 3 ranks"
  # Any thread count: 2 ranks of 2 threads.
  OMP_NUM_THREADS=2 run_in "$tmp/t2" 2 "${cal[@]}" --budget 120 --out cal.h5
  rc_is "$tmp/t2" 0
  cmp "$tmp/one/out" "$tmp/t2/out" || fail "2 ranks x 2 threads print another table"
  diff <(steps "$tmp/one/err") <(steps "$tmp/t2/err") || fail "2 ranks x 2 threads wrote another stderr"
  same_cal "$tmp/one/cal.h5" "$tmp/t2/cal.h5"
  # A finished calibration continued with a larger budget on 3 ranks (rank
  # 0 reads the file and hands its state to the others) is the one run
  # through on one process; and the comparison can fail: it is not the
  # shorter one.
  run_in "$tmp/long" 0 "${cal[@]}" --budget 160 --out cal.h5 --quiet
  rc_is "$tmp/long" 0
  run_in "$tmp/n3" 3 "${cal[@]}" --budget 160 --out cal.h5 --quiet
  rc_is "$tmp/n3" 0
  cmp "$tmp/long/out" "$tmp/n3/out" || fail "the continued calibration prints another table"
  same_cal "$tmp/long/cal.h5" "$tmp/n3/cal.h5"
  ! "$python" "$src/tests/h5same.py" "$tmp/one/cal.h5" "$tmp/n3/cal.h5" --occasion created >/dev/null 2>&1 \
    || fail "h5same finds no difference between budgets 120 and 160"
  ;;

posterior)
  # compare and sweep --posterior: each replicate draws its particle; on 1,
  # 2 and 3 ranks (tasks of single replicates) as on one process.
  run_in "$tmp/cal" 0 "${cal[@]}" --budget 160 --out cal.h5 --quiet
  rc_is "$tmp/cal" 0
  post=(--posterior "$tmp/cal/cal.h5" --replicates 5 --threads 1 --quiet)
  cmp=(compare "$small" --partnership fragmented,integrated "${post[@]}")
  sw=(sweep "$small" --vary partnership.pooled_capacity=0,1 "${post[@]}" --out s.h5)
  for n in 0 1 2 3; do
    run_in "$tmp/t$n" "$n" "${cmp[@]}" --json --out c.h5
    rc_is "$tmp/t$n" 0
    run_in "$tmp/s$n" "$n" "${sw[@]}"
    rc_is "$tmp/s$n" 0
    [ "$n" = 0 ] && continue
    cmp "$tmp/t0/out" "$tmp/t$n/out" || fail "compare --posterior --json on $n ranks differs"
    diff <(untimed "$tmp/s0/out") <(untimed "$tmp/s$n/out") || fail "sweep --posterior on $n ranks prints another summary"
  done
  grep -q '"configurations"' "$tmp/t3/out" || fail "no JSON from 3 ranks"
  "$python" -c 'import h5py,sys; assert h5py.File(sys.argv[1])["posterior/particle"].shape == (5,)' "$tmp/t3/c.h5" \
    || fail "no draws recorded"
  same_file "$tmp/t0/c.h5" "$tmp/t1/c.h5" "$tmp/t2/c.h5" "$tmp/t3/c.h5"
  same_file "$tmp/s0/s.h5" "$tmp/s1/s.h5" "$tmp/s2/s.h5" "$tmp/s3/s.h5"
  ;;

calkill|calsigint)
  # A calibration of about 20 generations; the same on one process to
  # compare with.
  long=("${cal[@]}" --budget 1000 --out cal.h5)
  run_in "$tmp/one" 0 "${long[@]}"
  rc_is "$tmp/one" 0
  # mpirun ends the job 2 x the timeout after a rank's death (or Ctrl-C):
  # 5 s, for rank 0 (which looks every quarter second) to name the dead
  # rank; 1 s for SIGINT, as above.
  export OMPI_MCA_odls_base_sigkill_timeout=5
  [ "$case_name" = calsigint ] && export OMPI_MCA_odls_base_sigkill_timeout=1
  stop_midway "${case_name#cal}" cal.h5 "interrupted: [0-9]* generations are saved in cal.h5" "${long[@]}"
  [ "$case_name" = calsigint ] || grep -q "[0-9]* generations are saved in cal.h5; run the same command again" \
    "$tmp/part/err" || { cat "$tmp/part/err" >&2; fail "no count of the saved generations"; }
  g=$("$python" -c 'import h5py,sys; print(len(h5py.File(sys.argv[1])["generations/tolerance"]))' "$tmp/part/cal.h5") \
    || fail "the saved calibration does not read"
  total=$(grep -o "^ABC-SMC: [0-9]* generations" "$tmp/one/out" | grep -o "[0-9]*")
  echo "stopped with $g of $total generations saved"
  [ "$g" -ge 1 ] && [ "$g" -lt "$total" ] || fail "$g of $total saved: it finished before the signal; make it longer"
  # Continue it on another number of ranks: the calibration of one process.
  run_in "$tmp/part" 2 "${long[@]}"
  rc_is "$tmp/part" 0
  grep -q "continuing: $g generations" "$tmp/part/err" || { cat "$tmp/part/err" >&2; fail "did not continue from $g"; }
  cmp "$tmp/one/out" "$tmp/part/out" || fail "the continued calibration prints another table"
  same_cal "$tmp/one/cal.h5" "$tmp/part/cal.h5"
  ;;

*)
  fail "unknown case '$case_name'"
  ;;
esac
echo "ok: mpi_$case_name"
