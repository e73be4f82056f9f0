#!/usr/bin/env bash
# Prints the size of the built app as benchmark lines: wasm raw and gzip, JS
# glue raw and gzip [bytes]; first the playground page (index.html, binary
# scalesim-web), then the interview page (interview.html, scalesim-interview),
# then the HPA explorer (hpa.html, scalesim-hpa).
set -euo pipefail
dist="${1:-dist}"
size() { stat -c %s "$1"; }
gz() { gzip -9 -c "$1" | wc -c; }
line() {
  local bin="$1" prefix="$2" wasm js
  wasm=$(ls "$dist"/"$bin"-*_bg.wasm | head -n1)
  js=$(ls "$dist"/"$bin"-*.js | head -n1)
  printf 'bench: %swasm_raw_bytes=%d %swasm_gzip_bytes=%d %sjs_glue_raw_bytes=%d %sjs_glue_gzip_bytes=%d\n' \
    "$prefix" "$(size "$wasm")" "$prefix" "$(gz "$wasm")" "$prefix" "$(size "$js")" "$prefix" "$(gz "$js")"
}
line scalesim-web ""
line scalesim-interview "interview_"
line scalesim-hpa "hpa_"
