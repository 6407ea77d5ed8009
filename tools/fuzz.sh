#!/bin/bash
# Run every libFuzzer harness (tests/fuzz/fuzz_*.cpp) for FUZZ_SECONDS each, one after the
# other, and print one line per harness: executions, coverage (cov: edges reached, ft:
# features), the corpus it grew, and what it found.
#   tools/fuzz.sh [BUILD_DIR]      (what `make fuzz` runs; BUILD_DIR defaults to build-fuzz)
# Environment:
#   FUZZ_SECONDS   seconds per harness (default 180; CI uses 30, the acceptance run 600)
#   FUZZ_ONLY      a subset, e.g. FUZZ_ONLY="npy pgm"
# Each harness starts from the committed seeds (tests/fuzz/corpus/NAME) plus what earlier
# runs found (BUILD_DIR/fuzz-corpus/NAME), with its dictionary (tests/fuzz/dict/). A crash,
# leak, timeout (10 s for one input) or out-of-memory (2 GB) stops that harness and saves
# the input in BUILD_DIR/fuzz-findings/NAME/; the script then exits with status 1.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
seconds=${FUZZ_SECONDS:-180}
all="npy npz model checkpoint idx idx_gzip png pgm words treebank"
only=${FUZZ_ONLY:-$all}

dict_of() {
  case "$1" in
    model|checkpoint) echo archive ;;
    idx|idx_gzip) echo idx ;;
    *) echo "$1" ;;
  esac
}

failed=()
printf '%-11s %12s %8s %8s %8s %10s  %s\n' harness executions cov ft corpus bytes result
for name in $only; do
  exe="$build/fuzz/fuzz_$name"
  [ -x "$exe" ] || { echo "missing $exe: build it with 'make fuzz'" >&2; exit 2; }
  corpus="$build/fuzz-corpus/$name" findings="$build/fuzz-findings/$name"
  mkdir -p "$corpus" "$findings"
  log="$build/fuzz-logs/$name.log"
  mkdir -p "$(dirname "$log")"
  set +e
  "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -use_value_profile=1 \
         -dict="tests/fuzz/dict/$(dict_of "$name").dict" -artifact_prefix="$findings/" \
         -print_final_stats=1 "$corpus" "tests/fuzz/corpus/$name" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(du -sb "$corpus" | cut -f1)
  if [ "$rc" -eq 0 ]; then
    result=ok
  else
    result="FOUND (status $rc): $(grep -m1 -E 'ERROR|finding|SUMMARY|deadly signal' "$log" || echo see "$log")"
    failed+=("$name")
  fi
  printf '%-11s %12s %8s %8s %8s %10s  %s\n' "$name" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$files" "$bytes" "$result"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (inputs in $build/fuzz-findings/, logs in $build/fuzz-logs/)" >&2
  exit 1
fi
