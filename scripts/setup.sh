#!/usr/bin/env bash
# Installs what Scalesim needs to build, serve and test, and skips what is
# already there. Only package registries are used: crates (cargo), Debian
# packages (apt) and npm. Safe to run again: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$HOME/.cargo/bin:$PATH"
TRUNK_VERSION="0.21.14"
# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)

have() { command -v "$1" >/dev/null 2>&1; }
step() { printf '==> %s\n' "$*"; }
skip() { printf '    skip: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif have sudo; then sudo "$@"; else
    echo "error: '$*' needs root and sudo is missing" >&2; exit 1; fi
}

APT_UPDATED=0
apt_install() {
  if ! have apt-get; then
    echo "error: apt-get not found; install these by hand: $*" >&2; exit 1
  fi
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

step "Rust toolchain"
if ! have cargo; then
  echo "error: cargo is missing. Install Rust 1.88 or newer with rustup, then run this again." >&2
  exit 1
fi
skip "cargo $(cargo --version | cut -d' ' -f2) is installed"

step "wasm32 target"
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  skip "wasm32-unknown-unknown is installed"
else
  rustup target add wasm32-unknown-unknown
fi

step "System packages (Chromium, its driver, Node.js, Python)"
missing=()
have chromium || missing+=(chromium)
have chromedriver || missing+=(chromium-driver)
have node || missing+=(nodejs)
have npm || missing+=(npm)
have python3 || missing+=(python3)
if [ ${#missing[@]} -eq 0 ]; then
  skip "chromium, chromedriver, node, npm and python3 are installed"
else
  apt_install "${missing[@]}"
fi

step "trunk $TRUNK_VERSION"
if have trunk && [ "$(trunk --version)" = "trunk $TRUNK_VERSION" ]; then
  skip "trunk $TRUNK_VERSION is installed"
else
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

step "wasm-bindgen-cli $WB_VERSION"
if have wasm-bindgen && [ "$(wasm-bindgen --version)" = "wasm-bindgen $WB_VERSION" ] && have wasm-bindgen-test-runner; then
  skip "wasm-bindgen-cli $WB_VERSION is installed"
else
  # --locked can fail when the registry lacks a crate version the CLI's lockfile names.
  cargo install --locked wasm-bindgen-cli --version "$WB_VERSION" || cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

step "Node packages (playwright-core, binaryen's wasm-opt)"
node_ok=1
for pkg in playwright-core binaryen; do
  want=$(node -p "require('./package.json').devDependencies['$pkg']")
  have_v=$(node -p "try { require('./node_modules/$pkg/package.json').version } catch (e) { '' }")
  [ "$want" = "$have_v" ] || node_ok=0
done
if [ "$node_ok" = 1 ]; then
  skip "node_modules matches package-lock.json"
else
  npm ci --no-audit --no-fund
fi

step "Crates"
if cargo fetch --locked --offline >/dev/null 2>&1; then
  skip "every crate in Cargo.lock is downloaded"
else
  cargo fetch --locked
fi
