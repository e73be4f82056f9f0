#!/usr/bin/env bash
# Trunk post_build hook (Trunk.toml): builds the other pages, interview.html
# (binary scalesim-interview: interview mode alone) and hpa.html (binary
# scalesim-hpa: the HPA explorer alone), and adds them to the build being
# staged, so one `trunk build` (or `trunk serve`) makes every page in dist/.
# Trunk empties dist/ when it applies a build, so each page is built into
# target/trunk-<page>/ first and copied into the staging directory, which trunk
# then moves into dist/ with the playground page. The shared files (style,
# boot.js, scenarios/) are the same in every build.
set -euo pipefail
# The nested builds run this hook too: they have nothing to add.
case "${TRUNK_HTML_FILE:-}" in */interview.html | */hpa.html) exit 0 ;; esac
flags=()
[ "${TRUNK_PROFILE:-debug}" = release ] && flags+=(--release)
for page in interview hpa; do
  out="target/trunk-$page"
  trunk build "${flags[@]}" --skip-version-check --dist "$out" --html-output "$page.html" "$page.html"
  cp -R "$out"/. "$TRUNK_STAGING_DIR"/
done
