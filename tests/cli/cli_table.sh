#!/bin/sh
# The command line's contract as a table: each row runs closesim with some arguments and checks
# the exit status and one line of what it says (standard output and error together).
#
# usage: cli_table.sh CLOSESIM SOURCE_DIR
set -u
closesim=$1 src=$2
cd "$src" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0 rows=0

# row STATUS TEXT ARGS...: `closesim ARGS` exits STATUS and prints a line containing TEXT (any
# output when TEXT is empty).
row() {
  want=$1 text=$2; shift 2
  rows=$((rows + 1))
  "$closesim" "$@" >"$tmp/out" 2>&1 </dev/null
  got=$?
  if [ "$got" != "$want" ] || { [ -n "$text" ] && ! grep -qF -- "$text" "$tmp/out"; }; then
    echo "FAIL: closesim $* exited $got (want $want), output lacks '$text':"
    head -n 8 "$tmp/out" | sed 's/^/    /'
    failed=1
  fi
}

ok=scenarios/basics/graceful_close.scn
race=scenarios/races/close_vs_blocking_recv.scn
mkfifo "$tmp/fifo.scn"
mkdir -p "$tmp/suite/sub"
cp "$ok" "$tmp/suite/a.scn"
cp "$ok" "$tmp/suite/sub/b.scn"
ln -s "$tmp/nowhere.scn" "$tmp/suite/broken.scn"
printf '0 A.main s = socket(tcp) = ok\n0 A.main connect(s) = 0\n0 A.main send(s, 1048576MiB) = ?\n' >"$tmp/endless.scn"
printf '0 A.main s = socket(tcp) = ok\n1s A.main closesocket(s) = 0\n' >"$tmp/late.scn"

# Commands, usage and versions.
row 2 "Usage:"                          # bare closesim
row 2 "did you mean 'run'?"             ruun $ok
row 2 "Usage:"                          ruun $ok
row 0 "closesim 0."                     -V
row 0 "closesim 0."                     --version
row 0 "--max-time"                      run --help
row 0 "--strategy"                      explore --help
# Durations and counts, read as the scenario language reads them.
row 2 "--max-time 2 needs a unit"       run --max-time 2 $ok
row 1 "(--max-time 1.5ms) ran out"      run --max-time 1.5ms $ok
row 2 "out of range"                    run --max-time 3000000h $ok
row 2 "--seed '-1' is not a whole number" run --seed -1 $ok
row 2 "--max-events '-1' is not a whole number" run --max-events -1 $ok
row 2 "--max-events 0 is out of range"  run --max-events 0 $ok
row 2 "--max-file-size"                 run --max-file-size 1GiB $ok
row 2 "--depth 0 is out of range"       explore --strategy pct --depth 0 $race
row 2 "--depth 4294967295 is out of range" explore --strategy pct --depth 4294967295 $race
# Options that do not go together, or do not belong.
row 2 "--tap and --format junit conflict" check --tap --format junit $ok
row 2 "--explain and --format json conflict" run --explain --format json $ok
row 2 "--schedule"                      explore --schedule 0.1 $race
row 2 "does not fit"                    run --schedule 5.5.5 $race
row 0 "outcome"                         explore $race $race
# What is read: regular files (or -) only, never blocking, every walk error reported.
row 2 "closesim check scenarios/linger runs every scenario in it" run scenarios/linger
row 2 "not a regular file (a FIFO)"     check "$tmp/fifo.scn"
row 2 "not a regular file (a FIFO)"     run "$tmp/fifo.scn"
row 2 "not a regular file (a character device)" check /dev/null
row 2 "not a regular file"              run /dev/zero
row 2 "read error"                      run /proc/self/mem
row 2 "broken symbolic link"            check "$tmp/suite"
row 2 "size cap"                        run --max-file-size 100 $ok
# Budgets stop a run and name the option that raises them.
row 1 "(--max-trace-records 1000) ran out" run --max-trace-records 1000 "$tmp/endless.scn"
row 1 ""                                run --format json -o "$tmp/endless.json" "$tmp/endless.scn"
row 2 "--max-output raises the budget"  run --max-output 100 "$tmp/endless.scn"
row 1 "its time 1s was not reached before the run stopped" run --max-time 1ms "$tmp/late.scn"
# Writes are checked.
row 2 "cannot write /dev/full"          run -o /dev/full $ok
row 2 "cannot write /dev/full"          check --junit /dev/full $ok
row 2 "cannot write /no/such/dir/x"     report -o /no/such/dir/x $ok
# Listing, quiet runs, standard input.
row 0 "Default close returns at once"   list scenarios/basics
row 0 "[R7 R11]"                        list $ok
rows=$((rows + 2))
"$closesim" check --quiet $ok >"$tmp/out" 2>&1 || { echo "FAIL: check --quiet $ok failed"; failed=1; }
if [ -s "$tmp/out" ]; then echo "FAIL: check --quiet printed something"; failed=1; fi
"$closesim" run - <$ok >"$tmp/out" 2>&1 || { echo "FAIL: run - <file"; failed=1; }
grep -q "PASS" "$tmp/out" || { echo "FAIL: run - printed no verdict"; failed=1; }
# No colour in a pipe or a file, so goldens stay stable.
rows=$((rows + 1))
if grep -q "$(printf '\033')" "$tmp/out"; then echo "FAIL: colour in a pipe"; failed=1; fi
# Colour on a terminal (script(1) gives the run one), unless NO_COLOR says otherwise.
if command -v script >/dev/null 2>&1; then
  rows=$((rows + 2))
  esc=$(printf '\033')
  script -qec "'$closesim' check $ok" /dev/null >"$tmp/tty" 2>&1 </dev/null
  grep -q "${esc}\[32mPASS" "$tmp/tty" || { echo "FAIL: no colour on a terminal"; failed=1; }
  NO_COLOR=1 script -qec "'$closesim' check $ok" /dev/null >"$tmp/tty" 2>&1 </dev/null
  if grep -q "${esc}\[32m" "$tmp/tty"; then echo "FAIL: colour despite NO_COLOR"; failed=1; fi
fi
# A closed pipe on standard output ends quietly.
rows=$((rows + 1))
"$closesim" run scenarios/linger scenarios/basics/*.scn 2>"$tmp/err" | head -n 1 >/dev/null
"$closesim" rules scenarios 2>"$tmp/err" | head -c 10 >/dev/null
if [ -s "$tmp/err" ]; then echo "FAIL: a closed pipe made noise:"; cat "$tmp/err"; failed=1; fi
# Standard output on a full disk is an error.
"$closesim" check $ok >/dev/full 2>"$tmp/err"
if [ $? -ne 2 ] || ! grep -q "cannot write standard output" "$tmp/err"; then
  echo "FAIL: check >/dev/full did not exit 2"; failed=1
fi

[ $failed = 0 ] && echo "all $rows rows of the command-line table hold"
exit $failed
