#!/bin/sh
# Builds closesim the way a user would (no project flags: the build type's own flags, warnings
# not fatal) in every build type with each compiler given, and runs the bundled scenarios with each
# binary, so a build type that drops the internal checks or changes behaviour shows. Slow (one
# full build per line); for contributors before a release, not for CI.
# Usage: [TYPES="Debug MinSizeRel"] build_matrix.sh WORK_DIR [COMPILER...]   (default: all four
# build types, compilers g++ clang++)
set -eu
work=$1; shift
[ $# -gt 0 ] || set -- g++ clang++
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"
status=0
for cxx in "$@"; do
  for type in ${TYPES:-Release RelWithDebInfo Debug MinSizeRel}; do
    dir="$work/$cxx-$type"
    log="$dir.log"
    printf '%-10s %-15s ' "$cxx" "$type"
    if cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" -DCMAKE_CXX_COMPILER="$cxx" \
         >"$log" 2>&1 && cmake --build "$dir" -j "${JOBS:-2}" >>"$log" 2>&1; then
      warnings=$(grep -c 'warning:' "$log" || true)
      if (cd "$src" && "$dir/closesim" check scenarios/ >>"$log" 2>&1); then
        echo "built ($warnings warnings), bundled scenarios pass"
      else
        echo "built ($warnings warnings), bundled scenarios FAIL (see $log)"; status=1
      fi
    else
      echo "FAILED (see $log)"; status=1
    fi
  done
done
exit $status
