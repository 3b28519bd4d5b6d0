#!/usr/bin/env bash
# Builds the bundled notes and runs the pixel alignment check of BOXDRAW.md §7
# (shared/tools/boxdraw_check.js) on every page that has a diagram, in headless Chromium.
#   scripts/boxdraw_check.sh [--dpr 1|2] [other boxdraw_check.js options]
# Prints PASS/FAIL per page and exits non-zero if any page fails.
# Env: BOXDRAW_CHECK (the checker script, default ../shared/tools/boxdraw_check.js),
#      BOXDRAW_NODE_DIR (where playwright-core and pngjs are installed, default
#      ~/.cache/studysite/boxdraw-node), CHROMIUM (browser binary, default /usr/bin/chromium),
#      STUDYSITE_BIN (a built studysite binary; default: cargo run).
set -euo pipefail

cd "$(dirname "$0")/.."
checker="${BOXDRAW_CHECK:-$(cd .. && pwd)/shared/tools/boxdraw_check.js}"
node_dir="${BOXDRAW_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/studysite/boxdraw-node}"
export CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || echo /usr/bin/chromium)}"

if [[ ! -f "$checker" ]]; then
  echo "error: checker not found at $checker (set BOXDRAW_CHECK)" >&2
  exit 2
fi
command -v node >/dev/null || { echo "error: node not found" >&2; exit 2; }
if [[ ! -d "$node_dir/node_modules/playwright-core" || ! -d "$node_dir/node_modules/pngjs" ]]; then
  mkdir -p "$node_dir"
  echo "installing playwright-core and pngjs into $node_dir"
  npm install --silent --no-audit --no-fund --prefix "$node_dir" playwright-core pngjs >/dev/null
fi
# The checker is outside the cache dir, so Node finds the packages through NODE_PATH.
export NODE_PATH="$node_dir/node_modules${NODE_PATH:+:$NODE_PATH}"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
if [[ -n "${STUDYSITE_BIN:-}" ]]; then
  "$STUDYSITE_BIN" build -o "$out/site" >/dev/null
else
  cargo run --quiet -- build -o "$out/site" >/dev/null
fi

pages=0
failed=0
while IFS= read -r page; do
  rel="${page#"$out/site/"}"
  if ! grep -q 'class="diagram"' "$page"; then
    echo "SKIP $rel (no diagram)"
    continue
  fi
  pages=$((pages + 1))
  if report="$(node "$checker" "$page" --selector pre.diagram "$@" 2>&1)"; then
    echo "PASS $rel"
  else
    failed=$((failed + 1))
    echo "FAIL $rel"
    grep -v '^PASS ' <<<"$report" | sed 's/^/    /'
  fi
done < <(find "$out/site" -name '*.html' ! -name 404.html | sort)

if ((pages == 0)); then
  echo "error: no page of the built notes has a diagram" >&2
  exit 2
fi
echo "$((pages - failed))/$pages pages with diagrams pass"
((failed == 0))
