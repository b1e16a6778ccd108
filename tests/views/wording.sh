#!/bin/sh
# What the command line says in words: plurals that agree with their counts ("1 scenario", never
# "1 scenarios") and no stray blanks before a colon or inside a phrase ("in  1 scenario :").
#
# usage: wording.sh CLOSESIM SOURCE_DIR
set -u
closesim=$1 src=$2
cd "$src" || exit 1
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
failed=0

"$closesim" report scenarios/linger/hard_close.scn -o "$out/one.html" > "$out/report1.txt" 2>&1
"$closesim" report scenarios/linger/hard_close.scn scenarios/linger/linger_timeout.scn -o "$out/two.html" \
  > "$out/report2.txt" 2>&1
grep -qx "wrote $out/one.html (1 scenario)" "$out/report1.txt" || { echo "FAIL: report of one:"; cat "$out/report1.txt"; failed=1; }
grep -qx "wrote $out/two.html (2 scenarios)" "$out/report2.txt" || { echo "FAIL: report of two:"; cat "$out/report2.txt"; failed=1; }

"$closesim" mutants scenarios/linger scenarios/overlapped > "$out/mutants.txt" 2>&1
grep -q '^caught ' "$out/mutants.txt" || { echo "FAIL: mutants caught nothing:"; cat "$out/mutants.txt"; failed=1; }
for f in "$out"/*.txt; do
  if grep -n -E '(^|[^0-9])1 (scenarios|schedules|errors|events|records|rules|expectations|violations)\b| :|in  [0-9]' "$f"; then
    echo "FAIL: $(basename "$f") has the wording above"
    failed=1
  fi
done
exit $failed
