#!/bin/sh
# The Mermaid of every bundled scenario (and of a failing run and a rule violation) through
# Mermaid's own parser. Skips (exit 77) when node or the pinned mermaid package is missing;
# `make test` installs both (see the Makefile: views-deps).
#
# usage: mermaid.sh CLOSESIM SOURCE_DIR NODE_PREFIX OUT_DIR
set -u
closesim=$1 src=$2 prefix=$3 out=$4

if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed"
  exit 77
fi
# Mermaid's parser and some of its dependencies need node 20 or newer (Debian 12 ships 18).
major=$(node --version 2>/dev/null | sed 's/^v\([0-9]*\).*/\1/')
if [ "${major:-0}" -lt 20 ]; then
  echo "SKIP: node $(node --version) is older than 20, which mermaid needs"
  exit 77
fi
if [ ! -f "$prefix/node_modules/mermaid/package.json" ]; then
  echo "SKIP: mermaid is not installed in $prefix (make test installs it there, as tests/views/package-lock.json pins it)"
  exit 77
fi

rm -rf "$out" && mkdir -p "$out" || exit 1
cd "$src" || exit 1
render() {  # NAME ARGS...: closesim run --format mermaid ARGS > OUT/NAME.mmd; a verdict of 0 or 1
  name=$1; shift
  "$closesim" run --format mermaid "$@" > "$out/$name.mmd"
  status=$?
  if [ $status -gt 1 ]; then echo "closesim run $* exited $status"; exit 1; fi
}
for f in $(find scenarios -name '*.scn' | LC_ALL=C sort); do
  render "$(echo "$f" | sed 's|/|_|g; s|\.scn$||')" "$f"
done
render fixture_wrong_expectation tests/fixtures/wrong_expectation.scn
render mutant_abort_via_event --mutant hand-back-before-aborts --expectations=off \
  scenarios/overlapped/abort_via_event.scn

node "$src/tests/views/validate_mermaid.mjs" "$prefix" "$out"/*.mmd
