#!/usr/bin/env bash
# Installs what is missing, then builds Scalesim and serves it at
# http://127.0.0.1:8080/ (rebuilds when a source file changes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
echo "==> Serving Scalesim at http://127.0.0.1:8080/ (Ctrl-C to stop)"
exec trunk serve --skip-version-check "$@"
