#!/bin/sh
# Plays each scenario of the record under Wine and compares its outcome with the recorded one.
# usage: wine_record_test.sh CLOSESIM RECORD RUNNER_EXE WINEPREFIX
# Exit 77 (ctest: skipped) when Wine or the runner is missing, with the reason on stdout.
closesim=$1 record=$2 runner=$3 prefix=$4
wine=${CLOSESIM_WINE:-/usr/lib/wine/wine64}
if [ ! -x "$wine" ]; then
  echo "SKIP: $wine is missing (make real installs Debian's wine64)"; exit 77
fi
if [ ! -f "$runner" ]; then
  echo "SKIP: $runner is not built (make real installs the mingw-w64 cross-compiler and builds it)"; exit 77
fi
server="$(dirname "$wine")/wineserver"
# One wineserver for the whole batch: Wine's start-up is paid once, not per scenario. It is ended
# with the batch, so it does not keep a core busy for the tests that follow.
WINEPREFIX=$prefix "$server" -p20 2>/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; WINEPREFIX=$prefix "$server" -k 2>/dev/null' EXIT
files=$(grep -v '^#' "$record" | cut -f1 | grep .)
# A wide tolerance: this judges what the stack did (results, statuses, what the peer saw), not how
# quickly a loaded machine scheduled it; and at half speed (--time-scale 2), so that a step that
# looks for what the one before set going (a dequeue with no wait after a peer's send) finds it
# even when the two lanes below load the machine. A run mostly waits (its steps' times, then the tolerance
# for late events), so two scenarios play at once, each under its own closesim, and the
# outcomes are put back in the record's order.
lanes=${CLOSESIM_WINE_LANES:-2}
i=0
for f in $files; do  # (a pipeline's subshell: i is not seen below)
  i=$((i + 1))
  echo "$i $f"
done | CLOSESIM_OUT=$tmp xargs -P "$lanes" -n 2 sh -c \
  'exec "$0" real --outcome --tolerance 2s --time-scale 2 "$2" > "$CLOSESIM_OUT/$1.out" 2>&1' "$closesim"
count=$(echo "$files" | wc -l)
n=0
: > "$tmp/got.txt"
while [ "$n" -lt "$count" ]; do
  n=$((n + 1))
  # A run Wine never returned from (rare, under load) is the harness's failure, not an outcome
  # of the scenario: it is played once more, and a second one stays in the comparison.
  if grep -q "	stuck: " "$tmp/$n.out"; then
    echo "replaying after a stuck run: $(cut -f1 "$tmp/$n.out")"
    "$closesim" real --outcome --tolerance 2s --time-scale 2 "$(cut -f1 "$tmp/$n.out")" > "$tmp/$n.out" 2>&1
  fi
  cat "$tmp/$n.out" >> "$tmp/got.txt"
done
grep -v '^#' "$record" | grep . > "$tmp/want.txt"
if diff -u "$tmp/want.txt" "$tmp/got.txt"; then
  echo "all $(wc -l < "$tmp/want.txt") scenarios behave on Wine as recorded"
  exit 0
fi
echo "Wine's behaviour differs from tests/real/wine_record.txt (lines with - are the record)"
exit 1
