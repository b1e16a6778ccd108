#!/bin/sh
# closesim as add_subdirectory of a parent project (tests/packaging/parent): configures without
# CLI11 or doctest being asked for, defines none of closesim's own executables, and builds and
# runs a parent target linked to closesim::base.
#
# usage: subdirectory.sh CMAKE SOURCE_DIR WORK_DIR CXX GENERATOR
set -u
cmake=$1 src=$2 work=$3 cxx=$4 generator=$5
rm -rf "$work" && mkdir -p "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

"$cmake" -S "$src/tests/packaging/parent" -B "$work" -G "$generator" -DCLOSESIM_SOURCE="$src" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Debug > "$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; fail "configuring the parent"; }
! grep -q "^CLI11_DIR\|^doctest_DIR" "$work/CMakeCache.txt" || fail "the parent looked for CLI11 or doctest"
"$cmake" --build "$work" --target parent > "$work/build.log" 2>&1 ||
  { cat "$work/build.log"; fail "building the parent"; }
out=$("$work/parent") || fail "the parent: $out"
echo "parent: $out"
