#!/usr/bin/env bash
# Builds the bundled notes and takes the README screenshots, light and dark, with headless
# Chromium: docs/screenshot-light.png and docs/screenshot-dark.png.
#   scripts/screenshot.sh [PAGE]   (PAGE is site-relative; default: a note with a diagram and a table)
# SCREENSHOT_SIZE=390,844 for a phone; STUDYSITE_BIN=target/debug/studysite to skip the release build.
set -euo pipefail

cd "$(dirname "$0")/.."
page="${1:-03-mlops-deployment/01-inference-options.html}"
size="${SCREENSHOT_SIZE:-1280,900}"
chromium="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$chromium" ]]; then
  echo "error: Chromium not found; install it (Debian: apt-get install chromium)" >&2
  exit 1
fi

out="$(mktemp -d)"
profile="$(mktemp -d)"
trap 'rm -rf "$out" "$profile"' EXIT

if [[ -n "${STUDYSITE_BIN:-}" ]]; then
  "$STUDYSITE_BIN" build -o "$out/site" >/dev/null
else
  cargo run --quiet --release -- build -o "$out/site" >/dev/null
fi
url="file://$out/site/$page"

shoot() { # shoot FILE EXTRA-FLAGS...
  local file="$1"
  shift
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$profile" --window-size="$size" --virtual-time-budget=3000 \
    --screenshot="$file" "$@" "$url" 2>/dev/null
  echo "wrote $file"
}

shoot docs/screenshot-light.png --blink-settings=preferredColorScheme=1
shoot docs/screenshot-dark.png --blink-settings=preferredColorScheme=0 --force-dark-mode
