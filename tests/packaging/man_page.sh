#!/bin/sh
# The man page closesim(1), made by help2man from the command line's own help, renders and has
# a section for every subcommand that `closesim --help` lists, naming each of its options. Skips
# (77) when help2man was missing at configure time or nothing can render the page.
#
# usage: man_page.sh CLOSESIM PAGE
set -u
closesim=$1 page=$2
[ -f "$page" ] || { echo "no man page (help2man missing): skipped"; exit 77; }
if command -v man >/dev/null 2>&1; then
  text=$(MANWIDTH=100 man -l -P cat "$page" 2>&1) || { echo "FAIL: man -l: $text"; exit 1; }
elif command -v groff >/dev/null 2>&1; then
  text=$(groff -man -Tutf8 -P-cbou "$page" 2>&1) || { echo "FAIL: groff: $text"; exit 1; }
else
  echo "neither man nor groff: skipped"; exit 77
fi
failed=0
for section in NAME SYNOPSIS DESCRIPTION OPTIONS SUBCOMMANDS; do
  echo "$text" | grep -q "^$section" || { echo "FAIL: no $section section"; failed=1; }
done
subs=$("$closesim" --help | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$subs" ] || { echo "FAIL: closesim --help lists no subcommands"; exit 1; }
for sub in $subs; do
  echo "$text" | grep -q "^   $sub\$" || { echo "FAIL: no subsection for $sub"; failed=1; continue; }
  # The options of the subcommand, each in its subsection (up to the next subsection).
  section=$(echo "$text" | sed -n "/^   $sub\$/,/^   [a-z][a-z-]*\$/p")
  for option in $("$closesim" "$sub" --help | sed -n 's/^  \(-[^ ]*\).*/\1/p' | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    echo "$section" | grep -q -- "$option" || { echo "FAIL: $sub $option is not in the page"; failed=1; }
  done
done
exit $failed
