#!/usr/bin/env bash
# Trunk post_build hook (Trunk.toml): builds the second page, interview.html
# (binary scalesim-interview: interview mode alone), and adds it to the build
# being staged, so one `trunk build` (or `trunk serve`) makes both pages in
# dist/. Trunk empties dist/ when it applies a build, so the interview page is
# built into target/trunk-interview/ first and copied into the staging
# directory, which trunk then moves into dist/ with the playground page.
# The shared files (style, boot.js, scenarios/) are the same in both builds.
set -euo pipefail
# The nested build runs this hook too: it has nothing to add.
case "${TRUNK_HTML_FILE:-}" in */interview.html) exit 0 ;; esac
out="target/trunk-interview"
flags=()
[ "${TRUNK_PROFILE:-debug}" = release ] && flags+=(--release)
trunk build "${flags[@]}" --skip-version-check --dist "$out" --html-output interview.html interview.html
cp -R "$out"/. "$TRUNK_STAGING_DIR"/
