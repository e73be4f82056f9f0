#!/usr/bin/env bash
# Issue 14's speed bar as instructions, not wall time: the reference scenario with each
# protection variant against the plain one, counted by valgrind (callgrind's Ir), which
# a busy or shared machine does not move. Prints each count and the ratio to plain.
# Usage: bash scripts/bench-instructions.sh [hours simulated, default 6]
# Needs valgrind (apt install valgrind); builds the bench in release first.
set -euo pipefail
cd "$(dirname "$0")/.."
hours="${1:-6}"
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt install valgrind)"; exit 1; }
cargo bench --bench engine --no-run --locked 2>&1 | tail -1
bin=$(ls -t target/release/deps/engine-* | grep -v '\.d$' | head -1)
out=$(mktemp -d)
declare -A ir
for v in plain clients all; do
  echo "counting $v ($hours h simulated)..."
  SCALESIM_BENCH_ONLY=reference SCALESIM_BENCH_VARIANT=$v SCALESIM_BENCH_HOURS=$hours \
    valgrind --tool=callgrind --callgrind-out-file="$out/$v.out" "$bin" --bench >/dev/null 2>"$out/$v.log"
  ir[$v]=$(grep -m1 '^summary:' "$out/$v.out" | awk '{print $2}')
  echo "  $v: ${ir[$v]} instructions"
done
for v in clients all; do
  awk -v a="${ir[$v]}" -v b="${ir[plain]}" -v n="$v" 'BEGIN { r = (a / b - 1) * 100; printf "bench: protection_%s_instructions_pct=%+.1f (bar +15 %%: %s)\n", n, r, (r <= 15 ? "MET" : "NOT MET") }'
done
echo "callgrind profiles: $out (callgrind_annotate $out/all.out)"
