#!/usr/bin/env bash
# A full filesystem under the writer (docs/results-file.md, "Faults"): a
# small tmpfs, so it needs root (CI runs as root; elsewhere: exit 77, which
# ctest reports as skipped). Checks, each with exit 4, one error line with
# the system's reason, no HDF5 text, no temporary file and no crash:
#   run --out onto a full filesystem
#   run --out --force over a file that must survive unchanged
#   a sweep whose append (a copy of the file) does not fit: the chunks saved
#   before stay, readable
# usage: full_disk.sh WINTERFLOW TINY.yaml
set -u
wf=$1 tiny=$2
small=(--set run.days=5 --set run.warmup_days=2 --replicates 2 --quiet)
[ "$(id -u)" = 0 ] || { echo "SKIP: mounting a small tmpfs needs root"; exit 77; }
mnt=$(mktemp -d)
keep=$(mktemp -d)
cleanup() { umount "$mnt" 2>/dev/null; rmdir "$mnt"; rm -rf "$keep"; }
trap cleanup EXIT
# a file that fits, and room for little more: half as much again as a
# one-scenario file (so the first sweep chunk fits and its append copy not)
"$wf" run "$tiny" "${small[@]}" --out "$keep/probe.h5" >/dev/null 2>&1 || { echo "FAIL: probe run"; exit 1; }
size=$(( ($(stat -c %s "$keep/probe.h5") * 3 / 2 / 4096 + 1) * 4 ))k
rm -f "$keep/probe.h5"
if ! mount -t tmpfs -o size="$size" tmpfs "$mnt" 2>/dev/null; then
  echo "SKIP: cannot mount a tmpfs here"
  exit 77
fi
fail() { echo "FAIL: $*" >&2; cat "$keep/err" >&2 2>/dev/null; exit 1; }
expect_disk_full() {  # what: the command failed as it should
  [ "$rc" = 4 ] || fail "$1: exit $rc, expected 4"
  grep -c "No space left on device" "$keep/err" | grep -qx 1 || fail "$1: no single 'No space left on device' line"
  ! grep -q "HDF5\|0x[0-9a-f]" "$keep/err" || fail "$1: HDF5's own text on stderr"
  [ -z "$(find "$mnt" -name '.*.tmp-*')" ] || fail "$1: a temporary file was left"
}

# 1. a sweep: the first chunk fits, appending the second (a copy) does not
rc=0
"$wf" sweep "$tiny" "${small[@]}" --vary hospitals.city.beds=40,50,60 --chunk 1 --out "$mnt/s.h5" \
  >/dev/null 2>"$keep/err" || rc=$?
expect_disk_full "sweep onto a full filesystem"
"$wf" run "$mnt/s.h5#0" "${small[@]}" >/dev/null 2>"$keep/err" || fail "the sweep's saved chunk does not read"
cp "$mnt/s.h5" "$keep/s.h5"

# 2. --force over it: fails, the file unchanged
rc=0
"$wf" run "$tiny" "${small[@]}" --out "$mnt/s.h5" --force >/dev/null 2>"$keep/err" || rc=$?
expect_disk_full "run --out --force onto a full filesystem"
cmp -s "$mnt/s.h5" "$keep/s.h5" || fail "a failed --force changed the earlier file"

# 3. a new file: fails, nothing left
rc=0
"$wf" run "$tiny" "${small[@]}" --out "$mnt/new.h5" >/dev/null 2>"$keep/err" || rc=$?
expect_disk_full "run --out onto a full filesystem"
[ ! -e "$mnt/new.h5" ] || fail "a failed write left its target"
echo "ok: full filesystem: one clear error, exit 4, earlier files intact, no temporary file"
