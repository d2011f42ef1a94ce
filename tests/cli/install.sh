#!/usr/bin/env bash
# Install a build tree to a temporary prefix and use it as a user would:
#   install.sh BUILD_DIR SOURCE_DIR CMAKE CC [EXTRA_CFLAGS]
# 1. cmake --install BUILD_DIR --prefix TMP/prefix; check the installed files
# 2. the installed bin/winterflow runs (relative RPATH)
# 3. docs/examples/c built with find_package(winterflow): shared and static
# 4. the same example built with cc $(pkg-config --cflags --libs winterflow),
#    and statically with pkg-config --static
# Each example runs on tests/cli/tiny.yaml with 2 replicates.
set -euo pipefail

build=$1
src=$2
cmake=$3
cc=$4
extra=${5:-}
tiny=$src/tests/cli/tiny.yaml

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "install to $prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" || { cat "$tmp/install.log" >&2; fail "cmake --install"; }

find_one() {  # find_one NAME: the one installed file called NAME
  local f
  f=$(find "$prefix" -name "$1" \( -type f -o -type l \) -print -quit)
  [ -n "$f" ] || fail "not installed: $1"
  echo "$f"
}
find_one winterflow.h >/dev/null
so=$(find_one libwinterflow.so)
find_one libwinterflow.a >/dev/null
find_one winterflowConfig.cmake >/dev/null
find_one winterflowConfigVersion.cmake >/dev/null
find_one winterflowTargets.cmake >/dev/null
pc=$(find_one winterflow.pc)
libdir=$(dirname "$so")
if [ -x "$build/winterflow" ]; then
  step "installed winterflow --version"
  "$prefix/bin/winterflow" --version
  "$prefix/bin/winterflow" validate "$tiny"
fi
# Only the public header is installed, with the version header it includes
# (generated from CMakeLists.txt).
find_one winterflow_version.h >/dev/null
headers=$(find "$prefix" -name '*.h' | wc -l)
[ "$headers" = 2 ] || fail "expected two installed headers, found $headers"

step "find_package(winterflow): example and example-static"
"$cmake" -S "$src/docs/examples/c" -B "$tmp/example" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$extra" -DCMAKE_BUILD_TYPE=Release \
  -DWF_EXAMPLE_STATIC=ON >"$tmp/configure.log" 2>&1 \
  || { cat "$tmp/configure.log" >&2; fail "configure the example"; }
"$cmake" --build "$tmp/example" >"$tmp/build.log" 2>&1 \
  || { cat "$tmp/build.log" >&2; fail "build the example"; }
"$tmp/example/example" "$tiny" 2 | tee "$tmp/example.out"
grep -q '^  difference ' "$tmp/example.out" || fail "example output"
"$tmp/example/example-static" "$tiny" 2 >"$tmp/example-static.out"
cmp "$tmp/example.out" "$tmp/example-static.out" || fail "static and shared examples differ"
if command -v ldd >/dev/null; then
  # (ldd into files, not into grep -q: with pipefail, grep -q closing the
  # pipe early could fail the pipeline with SIGPIPE.)
  ldd "$tmp/example/example-static" >"$tmp/ldd-static"
  ldd "$tmp/example/example" >"$tmp/ldd-shared"
  ! grep -q libwinterflow "$tmp/ldd-static" || fail "example-static links libwinterflow.so"
  grep -qF "$libdir/libwinterflow.so" "$tmp/ldd-shared" \
    || { cat "$tmp/ldd-shared" >&2; fail "example does not use the installed libwinterflow.so"; }
fi

step "pkg-config: shared"
export PKG_CONFIG_PATH=$(dirname "$pc")
command -v pkg-config >/dev/null || fail "pkg-config not found"
pkg-config --exists --print-errors winterflow || fail "pkg-config winterflow"
[ "$(pkg-config --modversion winterflow)" = "$(sed -n 's/^Version: //p' "$pc")" ]
[ "$(cd "$(pkg-config --variable=libdir winterflow)" && pwd -P)" = "$(cd "$libdir" && pwd -P)" ] \
  || fail "pkg-config libdir $(pkg-config --variable=libdir winterflow) is not $libdir"
# shellcheck disable=SC2046,SC2086
"$cc" $extra "$src/docs/examples/c/example.c" $(pkg-config --cflags --libs winterflow) \
  -Wl,-rpath,"$(pkg-config --variable=libdir winterflow)" -o "$tmp/example-pc"
"$tmp/example-pc" "$tiny" 2 >"$tmp/example-pc.out"
cmp "$tmp/example.out" "$tmp/example-pc.out" || fail "pkg-config example differs"

step "pkg-config: static"
static_libs=$(pkg-config --static --libs winterflow | sed 's/-lwinterflow\b//')
# shellcheck disable=SC2046,SC2086
"$cc" $extra "$src/docs/examples/c/example.c" $(pkg-config --cflags winterflow) \
  "$libdir/libwinterflow.a" $static_libs -o "$tmp/example-pc-static"
"$tmp/example-pc-static" "$tiny" 2 >"$tmp/example-pc-static.out"
cmp "$tmp/example.out" "$tmp/example-pc-static.out" || fail "pkg-config static example differs"

echo "ok: install, find_package (shared, static), pkg-config (shared, static)"
