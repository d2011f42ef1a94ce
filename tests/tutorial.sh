#!/bin/sh
# Runs the blocks of docs/tutorial.md, in order, in one shell, as the
# tutorial tells a reader to (from the repository root): here a fresh
# directory whose build/ holds the build's program (and library) and whose
# models/ is the checkout's, so the commands run exactly as written. Every
# ```sh block runs; with LIBRARY given, every ```python block runs too, in
# /usr/bin/python3 with the environment the sh blocks exported. Any command
# that fails fails the test. ```text and ```yaml blocks are for reading.
#   tutorial.sh WINTERFLOW SOURCE_DIR [LIBRARY]
set -eu
wf=$1
src=$2
lib=${3:-}
doc=$src/docs/tutorial.md

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/build" "$work/tmp"
ln -s "$wf" "$work/build/winterflow"
[ -z "$lib" ] || ln -s "$lib" "$work/build/libwinterflow.so"
ln -s "$src/models" "$work/models"
ln -s "$src/python-bindings" "$work/python-bindings"

# Each block is announced with its line in the document, so that a failure
# points at it (bash -x prints each command as it runs).
awk -v py="$([ -n "$lib" ] && echo 1 || echo 0)" '
  /^```sh[ \t]*$/ { kind = "sh"; n++; printf "echo \"--- docs/tutorial.md line %d: sh\"\n", NR; next }
  /^```python[ \t]*$/ && py { kind = "py"; n++
    printf "echo \"--- docs/tutorial.md line %d: python\"\n/usr/bin/python3 - <<'"'"'WF_TUTORIAL_PY'"'"'\n", NR; next }
  /^```/ && kind == "py" { print "WF_TUTORIAL_PY"; kind = ""; next }
  /^```/ && kind == "sh" { kind = ""; next }
  kind != "" { print }
  END { if (kind != "") { print "docs/tutorial.md: a block is not closed" > "/dev/stderr"; exit 1 } }
' "$doc" > "$work/tutorial-blocks.sh"

blocks=$(grep -c '^echo "--- docs/tutorial.md line' "$work/tutorial-blocks.sh" || true)
if [ "$blocks" -lt 10 ]; then
  echo "tutorial.sh: only $blocks runnable blocks in $doc (expected the whole walk)" >&2
  exit 1
fi

cd "$work"
TMPDIR=$work/tmp bash -euo pipefail -x "$work/tutorial-blocks.sh"
echo "tutorial.sh: $blocks blocks of docs/tutorial.md ran"
