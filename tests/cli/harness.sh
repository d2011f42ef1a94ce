# What the shell tests of the program share; source it after setting $wf
# (the winterflow program) and $tmp (a folder of the test's own).

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
