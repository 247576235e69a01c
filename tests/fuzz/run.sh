#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every fuzz harness (or those named) for N minutes each, JOBS at a time, and prints executions, coverage and findings.
# Usage: tests/fuzz/run.sh MINUTES [harness ...]   (env: BUILD=build-fuzz JOBS=1 OUT=<folder>)
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$src/../.." && pwd)
minutes=${1:?usage: run.sh MINUTES [harness ...]}
shift
build=${BUILD:-$root/build-fuzz}
jobs=${JOBS:-1}
out=${OUT:-$build/fuzz-long}
if [ $# -eq 0 ]; then
  set -- $(cd "$src/corpus" && ls)
fi
if [ ! -x "$build/tests/fuzz/fuzz_$1" ]; then
  cmake --preset fuzz -B "$build" >/dev/null
  cmake --build "$build" --target fuzz
fi
mkdir -p "$out"

one() {
  local h=$1
  mkdir -p "$out/$h/corpus"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$build/tests/fuzz/fuzz_$h" -max_total_time=$((minutes * 60)) -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/$h/" "$out/$h/corpus" "$src/corpus/$h" >"$out/$h/log" 2>&1 || true
  local execs rate cov ft crashes
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$h/log" | grep -o '[0-9]*$' || echo '?')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$out/$h/log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -o 'cov: [0-9]*' "$out/$h/log" | tail -1 | grep -o '[0-9]*' || echo '?')
  ft=$(grep -o 'ft: [0-9]*' "$out/$h/log" | tail -1 | grep -o '[0-9]*' || echo '?')
  crashes=$(find "$out/$h" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'leak-*' -o -maxdepth 1 -name 'timeout-*' -o -maxdepth 1 -name 'oom-*' | wc -l)
  printf '%-11s %4s min  execs %10s  exec/s %7s  cov %5s  ft %6s  findings %s\n' "$h" "$minutes" "$execs" "$rate" "$cov" "$ft" "$crashes"
}
export -f one
export out build src minutes
printf '%s\n' "$@" | xargs -P "$jobs" -I{} bash -c 'one {}'
