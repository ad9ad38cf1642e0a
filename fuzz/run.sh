#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 300) each on the committed corpus, then prints
# executions and findings per target. Needs the nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz`). New inputs go to a scratch corpus, so the committed one stays
# small; `cargo +nightly fuzz cmin TARGET` folds useful ones back in.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-300}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cargo +nightly fuzz build -O
printf '%-12s %12s %10s %8s %s\n' target executions exec/s corpus findings
for target in $(cargo +nightly fuzz list); do
  mkdir -p "$scratch/$target"
  log="$scratch/$target.log"
  status=0
  cargo +nightly fuzz run -O "$target" "$scratch/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  rate=$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  size=$(find "$scratch/$target" -type f | wc -l)
  if [ "$status" = 0 ]; then found=none; else found="CRASH (see fuzz/artifacts/$target)"; fi
  printf '%-12s %12s %10s %8s %s\n' "$target" "$runs" "$rate" "$size" "$found"
  [ "$status" = 0 ] || { tail -40 "$log"; exit 1; }
done
