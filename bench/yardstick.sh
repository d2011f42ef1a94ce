#!/usr/bin/env bash
# The default model's floor on the machine of the day:
#     bench/yardstick.sh [BUILD_DIR] [ALTERNATIONS]
# The floor (1,000,000 admitted patients/s/core) is a wall-clock figure on
# this 2-core machine, and the machine's speed is not constant: the commit
# whose record set the engine's figure, 615ab78
# (results/2026-11-23-615ab78.md: 1,410,936 fragmented, 1,651,881
# integrated), runs the same code at about half that on some days. So this
# builds that commit (the yardstick) in a temporary worktree, runs it and
# the tree in BUILD_DIR (default build-bench) one after the other,
# ALTERNATIONS times (default 7), each on its own reference model (10
# replicates, one thread, the rate counts warm-up admissions, as
# bench_core does), and prints each one's best admitted patients/s/core,
# their ratio, and that ratio times the yardstick's recorded figure: what
# this tree would have measured on the machine of 2026-11-23. Best of N,
# because a shared host only ever slows a run down. Needs the repository's
# history (a clone, not a shallow one). Run it on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-bench}
n=${2:-7}
yard=615ab78
declare -A recorded=([fragmented]=1410936 [integrated]=1651881)
if ! git cat-file -e "$yard^{commit}" 2>/dev/null; then
  echo "yardstick.sh: commit $yard is not in this clone's history (a shallow clone? git fetch --unshallow)" >&2
  exit 2
fi
cores=$(nproc)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$cores" --target bench_core >/dev/null
tmp=$(mktemp -d /tmp/wf-yardstick-XXXXXX)
trap 'git worktree remove --force "$tmp/src" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git worktree add --detach "$tmp/src" "$yard" >/dev/null 2>&1
cmake -S "$tmp/src" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$tmp/build" -j"$cores" --target bench_core >/dev/null

here=$(pwd)
rates=$tmp/rates
: > "$rates"
one() {  # one NAME SRC BENCH: a run of 10 replicates per preset; "NAME preset rate" lines
  (cd "$2" && "$3" models/reference.yaml --replicates 10 --repeats 1 --threads 1) |
    awk -F'|' -v n="$1" '$5+0 == 1 && $4+0 == 10 {gsub(/ /, "", $3); print n, $3, $7 + 0}' >> "$rates"
}
for _ in $(seq "$n"); do
  one yardstick "$tmp/src" "$tmp/build/bench_core"
  one tree "$here" "$here/$build/bench_core"
done

echo "Best of $n alternating runs of 10 replicates on one thread (admitted patients/s/core):"
echo
echo "| preset | yardstick $yard today | this tree today | ratio | yardstick on 2026-11-23 | this tree at that machine speed |"
echo "| --- | --- | --- | --- | --- | --- |"
awk -v f="${recorded[fragmented]}" -v i="${recorded[integrated]}" '
  { k = $1 " " $2; if (!(k in best) || $3 > best[k]) best[k] = $3; seen[$2] = 1 }
  END {
    rec["fragmented"] = f; rec["integrated"] = i
    for (p in seen) {
      y = best["yardstick " p]; t = best["tree " p]
      printf "| %s | %.0f | %.0f | %.3f | %.0f | %.0f |\n", p, y, t, t / y, rec[p], t / y * rec[p]
    }
  }' "$rates" | sort
