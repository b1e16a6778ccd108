#!/bin/sh
# Builds the fuzz target with clang and runs libFuzzer on it for SECONDS, seeded from the
# bundled scenarios and the regression corpus, with a dictionary of the language.
# Exit 0 clean, 1 a finding (its input is in BUILD/findings/: copy it into fuzz/regressions/,
# where tests/fuzz replays it in every build, and fix it), 77 no clang (skipped).
#
# usage: run.sh BUILD_DIR SECONDS
set -u
build=$1 seconds=$2
src=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz: skipped: clang++ is not installed (Debian: apt-get install clang; make fuzz does)"
  exit 77
fi
mkdir -p "$build"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$src/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None \
    >"$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
fi
cmake --build "$build" -j "${FUZZ_JOBS:-2}" || exit 1

corpus=$build/corpus findings=$build/findings
mkdir -p "$corpus" "$findings"
# Seeds: every bundled scenario and every input that ever broke a property.
find "$src/scenarios" -name '*.scn' -type f -exec cp {} "$corpus/" \;
cp "$src"/fuzz/regressions/* "$corpus/" 2>/dev/null || true

# -timeout: an input running for 10 s is a hang, a finding like a crash. -rss_limit_mb: the
# budgets must keep one run far below it.
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
"$build/fuzz_scenario" "$corpus" -dict="$src/fuzz/scenario.dict" -max_len=4096 \
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
