#!/usr/bin/env bash
# The static archive exports the public API and nothing else:
#   archive_symbols.sh ARCHIVE NM CC HEADER_DIR...
# Every global symbol that `nm -g --defined-only` lists must be a function
# declared in winterflow.h (so a user's static link meets no internal name
# such as queue_push), and every function declared there must be defined.
set -euo pipefail
archive=$1 nm=$2 cc=$3
shift 3
incs=()
for d in "$@"; do incs+=(-I "$d"); done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$nm" -g --defined-only "$archive" | awk 'NF == 3 {print $3}' | sort -u >"$tmp/defined"
# The header's functions, comments removed by the preprocessor.
printf '#include "winterflow.h"\n' | "$cc" -E -P "${incs[@]}" - \
  | grep -oE '\bwf_[a-z0-9_]+ *\(' | tr -d ' (' | sort -u >"$tmp/declared"

bad=$(comm -23 "$tmp/defined" "$tmp/declared")
if [ -n "$bad" ]; then
  echo "FAIL: $archive defines global symbols that are not the public API:" >&2
  echo "$bad" | head -50 >&2
  exit 1
fi
missing=$(comm -13 "$tmp/defined" "$tmp/declared")
if [ -n "$missing" ]; then
  echo "FAIL: functions of winterflow.h missing from $archive:" >&2
  echo "$missing" >&2
  exit 1
fi
echo "ok: $archive defines exactly the $(wc -l <"$tmp/declared") functions of winterflow.h"
