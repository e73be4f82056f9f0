#!/usr/bin/env bash
# Prints the size of the built app as one benchmark line: wasm raw and gzip,
# JS glue raw and gzip [bytes].
set -euo pipefail
dist="${1:-dist}"
wasm=$(ls "$dist"/*.wasm | head -n1)
js=$(ls "$dist"/scalesim-web-*.js | head -n1)
size() { stat -c %s "$1"; }
gz() { gzip -9 -c "$1" | wc -c; }
printf 'bench: wasm_raw_bytes=%d wasm_gzip_bytes=%d js_glue_raw_bytes=%d js_glue_gzip_bytes=%d\n' \
  "$(size "$wasm")" "$(gz "$wasm")" "$(size "$js")" "$(gz "$js")"
