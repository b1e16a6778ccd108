#!/bin/sh
# The goldens of tests/report/golden/runs/ are made through the library (bundled_runs_test.cc);
# this checks that the command line a user runs prints exactly the same bytes.
#
# usage: cli_goldens.sh CLOSESIM SOURCE_DIR
set -u
closesim=$1 src=$2
golden=$src/tests/report/golden/runs
cd "$src" || exit 1
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
failed=0

same() {  # GOLDEN COMMAND...: the command's stdout is the golden file
  name=$1; shift
  "$@" > "$out/$name" 2>/dev/null
  if ! cmp -s "$out/$name" "$golden/$name"; then
    echo "FAIL: $* differs from tests/report/golden/runs/$name:"
    diff -u "$golden/$name" "$out/$name" | head -n 20
    failed=1
  fi
}

run() {  # STEM ARGS...: every format of `closesim run ARGS`
  stem=$1; shift
  same "$stem.timeline.txt" "$closesim" run "$@"
  same "$stem.explain.txt" "$closesim" run --explain "$@"
  same "$stem.jsonl" "$closesim" run --format json "$@"
  same "$stem.mmd" "$closesim" run --format mermaid "$@"
  same "$stem.chrome.json" "$closesim" run --format chrome "$@"
}

run graceful_close scenarios/basics/graceful_close.scn
run hard_close scenarios/linger/hard_close.scn
run linger_timeout scenarios/linger/linger_timeout.scn
run wrong_expectation tests/fixtures/wrong_expectation.scn
run abort_via_event.hand-back-before-aborts --mutant hand-back-before-aborts --expectations=off \
  scenarios/overlapped/abort_via_event.scn

suite="scenarios/basics/graceful_close.scn scenarios/linger/hard_close.scn scenarios/linger/linger_timeout.scn
  tests/fixtures/malformed.scn tests/fixtures/wrong_expectation.scn"
# shellcheck disable=SC2086
same suite.check.txt "$closesim" check $suite
# shellcheck disable=SC2086
same suite.tap "$closesim" check --tap $suite
# shellcheck disable=SC2086
"$closesim" check $suite --junit "$out/suite.junit.xml" >/dev/null 2>&1
if ! cmp -s "$out/suite.junit.xml" "$golden/suite.junit.xml"; then
  echo "FAIL: closesim check --junit differs from tests/report/golden/runs/suite.junit.xml"
  failed=1
fi
"$closesim" report scenarios/linger/linger_timeout.scn -o "$out/linger_timeout.html" >/dev/null
if ! cmp -s "$out/linger_timeout.html" "$golden/linger_timeout.html"; then
  echo "FAIL: closesim report differs from tests/report/golden/runs/linger_timeout.html"
  failed=1
fi
[ $failed = 0 ] && echo "the command line prints the goldens"
exit $failed
