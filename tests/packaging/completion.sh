#!/bin/bash
# The bash completion written at build time completes every subcommand that `closesim --help`
# lists, every option that `closesim SUB --help` lists, and the fixed values of --format.
#
# usage: completion.sh CLOSESIM COMPLETION_FILE
set -u
closesim=$1 script=$2
[ -f "$script" ] || { echo "FAIL: no completion file $script"; exit 1; }
# shellcheck disable=SC1090
source "$script" || { echo "FAIL: the completion script does not load"; exit 1; }
complete -p closesim >/dev/null 2>&1 || { echo "FAIL: no completion registered for closesim"; exit 1; }

complete_words() {  # WORDS...: COMPREPLY for the command line WORDS, cursor on the last word
  COMP_WORDS=(closesim "$@")
  COMP_CWORD=$#
  COMPREPLY=()
  _closesim
  printf '%s\n' "${COMPREPLY[@]}"
}

failed=0
subs=$("$closesim" --help | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$subs" ] || { echo "FAIL: closesim --help lists no subcommands"; exit 1; }
offered=$(complete_words "")
for sub in $subs; do
  grep -qx "$sub" <<< "$offered" || { echo "FAIL: subcommand $sub is not completed"; failed=1; }
  # The names in the help's first column ("  -o,--output TEXT   ..."), not words of descriptions.
  options=$("$closesim" "$sub" --help | sed -n 's/^  \(-[^ ]*\).*/\1/p' | grep -o -- '--[a-z][a-z-]*' | sort -u)
  [ -n "$options" ] || { echo "FAIL: closesim $sub --help lists no options"; failed=1; }
  offered_options=$(complete_words "$sub" --)
  for option in $options; do
    grep -qx -- "$option" <<< "$offered_options" ||
      { echo "FAIL: $sub $option is not completed"; failed=1; }
  done
done
grep -qx completion <<< "$offered" && { echo "FAIL: the hidden completion subcommand is offered"; failed=1; }
formats=$(complete_words run --format "")
for f in text json mermaid chrome junit tap; do
  grep -qx "$f" <<< "$formats" || { echo "FAIL: run --format $f is not completed"; failed=1; }
done
[ "$(complete_words run --format ch)" = chrome ] || { echo "FAIL: run --format ch does not complete to chrome"; failed=1; }
exit $failed
