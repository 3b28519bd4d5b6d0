#!/usr/bin/env bash
# Runs each fuzz target in turn for SECONDS (default 600) of wall time, at the lowest
# priority, one job and one worker, seeded from the notes of this repository and of
# ../shared/corpora; prints what fuzz/RESULTS.md records for each. Usage:
#   fuzz/run.sh [SECONDS] [TARGET...]
# Needs cargo-fuzz; on the stable toolchain RUSTC_BOOTSTRAP=1 gives it the sanitizer flags.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(note diagrams front_matter facts route)

# Seeds: every note we have (copied, so libFuzzer reads notes only), and the diagrams among them.
seeds=fuzz/corpus/seeds
if [[ ! -d $seeds/notes ]]; then
  mkdir -p "$seeds/notes" "$seeds/diagrams" "$seeds/front_matter"
  find notes tests/fixtures ../shared/corpora ../shared/tools -name '*.md' 2>/dev/null |
    while read -r f; do
      name=$(printf '%s' "$f" | tr '/ ' '__')
      cp "$f" "$seeds/notes/$name"
      if grep -q '[─│┌└]' "$f"; then cp "$f" "$seeds/diagrams/$name"; fi
      if head -c 4 "$f" | grep -q -e '^---' -e '^+++'; then
        # The target reads the first byte as its mode: 0 is the whole note as written.
        { printf '\x00'; cat "$f"; } >"$seeds/front_matter/$name"
      fi
    done
fi

seed_of() {
  case $1 in
    note | facts) echo "$seeds/notes" ;;
    diagrams) echo "$seeds/diagrams" ;;
    front_matter) echo "$seeds/front_matter" ;;
    *) echo "" ;;
  esac
}

RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz build
for t in "${targets[@]}"; do
  corpus=fuzz/corpus/$t
  mkdir -p "$corpus" "fuzz/artifacts/$t"
  log=fuzz/artifacts/$t/run.log
  started=$(date +%s)
  # shellcheck disable=SC2046
  RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run "$t" "$corpus" $(seed_of "$t") -- \
    -max_total_time="$seconds" -jobs=1 -workers=1 -timeout=10 -rss_limit_mb=2048 \
    -max_len=16384 -dict="fuzz/dict/$t.dict" -print_final_stats=1 \
    -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1 || true
  ended=$(date +%s)
  # With -jobs, libFuzzer writes the job's own output to fuzz-0.log in the current folder.
  if [[ -f fuzz-0.log ]]; then mv fuzz-0.log "fuzz/artifacts/$t/fuzz-0.log"; fi
  job=fuzz/artifacts/$t/fuzz-0.log
  [[ -f $job ]] || job=$log
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$job" | tail -n 1 | grep -o '[0-9]*$' || echo "?")
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$job" | tail -n 1 | grep -o '[0-9]*$' || echo "?")
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  crashes=$(find "fuzz/artifacts/$t" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'slow-unit-*' -o -name 'oom-*' \) | wc -l)
  echo "$t: $((ended - started)) s wall, $execs execs, $rate exec/s, corpus $files files $bytes bytes, $crashes crash/slow inputs" |
    tee -a fuzz/artifacts/summary.txt
done
