#!/bin/sh
# `cmake --install` into a fresh prefix, then what a user of the package sees: the files where
# README "Installing" says, the installed closesim running the bundled basics, and a consumer
# project that finds the package with find_package(closesim) and links closesim::closesim.
#
# usage: install_consume.sh CMAKE BUILD_DIR SOURCE_DIR WORK_DIR CXX GENERATOR CXX_FLAGS HAS_MAN
set -u
cmake=$1 build=$2 src=$3 work=$4 cxx=$5 generator=$6 flags=$7 has_man=$8
prefix=$work/prefix
rm -rf "$work" && mkdir -p "$work" || exit 1

fail() { echo "FAIL: $*"; exit 1; }

"$cmake" --install "$build" --prefix "$prefix" > "$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "cmake --install"; }

for f in bin/closesim include/closesim/run/runner.h include/closesim/engine/engine.h \
         share/bash-completion/completions/closesim; do
  [ -f "$prefix/$f" ] || fail "$f was not installed"
done
[ "$has_man" = 0 ] || [ -f "$prefix/share/man/man1/closesim.1" ] || fail "share/man/man1/closesim.1 was not installed"
config=$(find "$prefix" -name closesimConfig.cmake)
[ -n "$config" ] || fail "no closesimConfig.cmake under $prefix"
for lib in base engine scenario world rules run report explore; do
  find "$prefix" -name "libclosesim_$lib.a" | grep -q . || fail "libclosesim_$lib.a was not installed"
done

# `man closesim` finds the installed page through the prefix's man folder.
if [ "$has_man" = 1 ] && command -v man >/dev/null 2>&1; then
  MANPATH="$prefix/share/man" man -P cat closesim 2>&1 | grep -q "^NAME" ||
    fail "man closesim with MANPATH=$prefix/share/man"
fi

cd "$src" || exit 1
"$prefix/bin/closesim" check scenarios/basics > "$work/check.log" 2>&1 ||
  { cat "$work/check.log"; fail "the installed closesim check scenarios/basics"; }

"$cmake" -S "$src/tests/packaging/consumer" -B "$work/consumer" -G "$generator" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$flags" \
  > "$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configuring the consumer"; }
"$cmake" --build "$work/consumer" > "$work/build.log" 2>&1 ||
  { cat "$work/build.log"; fail "building the consumer"; }
out=$("$work/consumer/consumer" scenarios/basics/graceful_close.scn) || fail "the consumer: $out"
echo "consumer: $out"
case "$out" in PASS*) ;; *) fail "the consumer printed '$out', not a PASS verdict" ;; esac
