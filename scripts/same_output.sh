#!/usr/bin/env bash
# Builds the bundled notes and every corpus in ../shared/corpora with two versions of
# studysite and compares the output trees file by file.
#
#   scripts/same_output.sh BASE [HEAD]
#
# BASE and HEAD are commits (anything `git rev-parse` takes); HEAD defaults to the working
# tree as it is. Exit 0 when every tree is byte-identical, 1 with the differing files listed.
# Work goes to ${SAME_OUTPUT_DIR:-/tmp/studysite-same-output}; the cargo target folder there
# is shared by both builds, so only studysite itself is compiled twice.
set -euo pipefail

top=$(git rev-parse --show-toplevel)
cd "$top"
[[ $# -ge 1 ]] || { echo "usage: $0 BASE [HEAD]" >&2; exit 2; }
work=${SAME_OUTPUT_DIR:-/tmp/studysite-same-output}
mkdir -p "$work"
export CARGO_TARGET_DIR="$work/target"

# binary_of REV NAME: builds REV (or the working tree when REV is empty) to $work/NAME.
binary_of() {
  local rev=$1 name=$2 src=$top
  if [[ -n $rev ]]; then
    src="$work/tree-$name"
    rm -rf "$src"
    git worktree prune
    git worktree add --detach "$src" "$rev" >/dev/null
  fi
  (cd "$src" && cargo build --release --quiet)
  cp "$CARGO_TARGET_DIR/release/studysite" "$work/$name"
  if [[ -n $rev ]]; then git worktree remove --force "$src"; fi
}

binary_of "$(git rev-parse "$1")" base
binary_of "${2:+$(git rev-parse "$2")}" head

sites=("$top")
for corpus in "$top"/../shared/corpora/*/; do
  [[ -d $corpus ]] && sites+=("${corpus%/}")
done

status=0
for site in "${sites[@]}"; do
  name=$(basename "$site")
  for which in base head; do
    rm -rf "$work/out-$which-$name"
    "$work/$which" build "$site" -o "$work/out-$which-$name" >/dev/null 2>"$work/log-$which-$name" || true
  done
  if diff -r -q "$work/out-base-$name" "$work/out-head-$name" >"$work/diff-$name"; then
    echo "same       $name ($(find "$work/out-head-$name" -type f | wc -l) files)"
  else
    echo "DIFFERENT  $name: $(wc -l <"$work/diff-$name") files differ (see $work/diff-$name)"
    status=1
  fi
  if ! cmp -s "$work/log-base-$name" "$work/log-head-$name"; then
    echo "           $name: the diagnostics differ (diff $work/log-base-$name $work/log-head-$name)"
  fi
done
exit $status
