#!/bin/sh
# Runs libFuzzer's target fuzz_scenario (fuzz/fuzz.cmake, built by a clang build with
# CLOSESIM_FUZZ: make test-clang and make fuzz) for SECONDS, seeded from the bundled scenarios and
# the regression corpus, with a dictionary of the language; WORK_DIR keeps the corpus and findings.
# Exit 0 clean, 1 a finding (its input is in WORK_DIR/findings/: copy it into fuzz/regressions/,
# where tests/fuzz replays it in every build, and fix it).
#
# usage: run.sh WORK_DIR SECONDS FUZZ_TARGET
set -u
build=$1 seconds=$2 target=$3
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$build"

corpus=$build/corpus findings=$build/findings
mkdir -p "$corpus" "$findings"
# Seeds: every bundled scenario and every input that ever broke a property.
find "$src/scenarios" -name '*.scn' -type f -exec cp {} "$corpus/" \;
cp "$src"/fuzz/regressions/* "$corpus/" 2>/dev/null || true

# -timeout: an input running for 10 s is a hang, a finding like a crash. -rss_limit_mb: the
# budgets must keep one run far below it.
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
"$target" "$corpus" -dict="$src/fuzz/scenario.dict" -max_len=4096 \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$findings/" >"$build/fuzz.log" 2>&1
status=$?
tail -n 25 "$build/fuzz.log"
if [ $status -ne 0 ]; then
  echo "fuzz: a finding after at most $seconds s; inputs in $findings:"
  ls "$findings"
  exit 1
fi
echo "fuzz: clean for $seconds s"
exit 0
