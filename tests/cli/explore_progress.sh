#!/bin/sh
# explore's progress line: on a terminal's stderr during a long exploration, never when stderr is
# redirected or under CI. script(1) gives the run a terminal; without it the test skips (77).
closesim=$1
root=$2
cd "$root" || exit 2
command -v script >/dev/null 2>&1 || { echo "script(1) is missing: skipped"; exit 77; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
long="explore --strategy dfs --max-schedules 3000 scenarios/races/close_vs_eight_blocked_recvs.scn"
fail=0
env -u CI script -qec "'$closesim' $long" /dev/null >"$tmp/tty" 2>&1 </dev/null
grep -q "exploring: [0-9]* schedules, [0-9]* classes" "$tmp/tty" || { echo "FAIL: no progress line on a terminal"; fail=1; }
env -u CI "$closesim" $long >"$tmp/out" 2>"$tmp/err"
[ -s "$tmp/err" ] && { echo "FAIL: progress written to a redirected stderr"; fail=1; }
grep -q "exploring:" "$tmp/out" && { echo "FAIL: progress on standard output"; fail=1; }
CI=true script -qec "'$closesim' $long" /dev/null >"$tmp/ci" 2>&1 </dev/null
grep -q "exploring:" "$tmp/ci" && { echo "FAIL: progress shown under CI"; fail=1; }
[ $fail = 0 ] && echo "progress line: shown on a terminal only"
exit $fail
