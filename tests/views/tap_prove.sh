#!/bin/sh
# The TAP of a failing suite read by Perl's own TAP harness, as CI reads it: `prove` must parse it
# with no error ("YAMLish::Reader does not support multi-line quoted scalars", "Bad plan"), and
# TAP::Parser must find the plan, every test point with its verdict and every YAML block's keys.
# The suite has a pass, a failed expectation, a file that does not parse, a run that breaks rules
# (its YAML lists file:line: items and "R3 violated at 5ms: ..." items) and a title with control
# bytes. Skips (exit 77) when perl's prove is missing.
#
# usage: tap_prove.sh CLOSESIM SOURCE_DIR
set -u
closesim=$1 src=$2
if ! command -v prove >/dev/null 2>&1 || ! perl -MTAP::Parser -e1 2>/dev/null; then
  echo "SKIP: perl's prove and TAP::Parser are needed (Debian: perl)"
  exit 77
fi
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
cd "$src" || exit 1

# A title with ESC and an OSC sequence, and a colon-ended first word in every kind of item.
# Its path has an ESC too: the test point's description must show it, escaped.
printf 'title "esc \033[31mred\033[0m osc \033]0;pwned\007 end"\nrules R8\n0 A.main s = socket(tcp) = ok\n0 A.main connect(s) = 0\n1ms A.main closesocket(s) = 0\n2ms expect peer(s) sees RST\n' > "$out/control.scn"
cp "$out/control.scn" "$out/ctl$(printf '\033')[1m.scn"
"$closesim" check --tap scenarios/linger/linger_timeout.scn tests/fixtures/wrong_expectation.scn \
  tests/fixtures/malformed.scn "$out/control.scn" "$out/ctl$(printf '\033')[1m.scn" > "$out/suite.tap"
"$closesim" run --format tap --mutant hand-back-before-aborts --expectations=off \
  scenarios/overlapped/abort_via_event.scn > "$out/mutant.tap"
failed=0

for tap in suite mutant; do
  prove -e cat "$out/$tap.tap" > "$out/$tap.prove" 2>&1
  if grep -q -e 'YAMLish' -e 'Bad plan' -e 'Parse errors' -e 'multi-line' "$out/$tap.prove"; then
    echo "FAIL: prove could not read the TAP of $tap:"
    cat "$out/$tap.prove"
    failed=1
  fi
done

# plan tests passed failed yaml-blocks, and each block must have verdict and summary.
check() {  # TAP EXPECTED
  got=$(perl -MTAP::Parser -e '
    my $p = TAP::Parser->new({ source => $ARGV[0] });
    my ($yaml, $bad) = (0, 0);
    while (my $r = $p->next) {
      next unless $r->is_yaml;
      my $d = $r->data;
      $yaml++;
      $bad++ unless ref $d eq "HASH" && $d->{verdict} && $d->{summary};
      for my $k (qw(failures violations diagnostics stuck unreached)) {
        next unless exists $d->{$k};
        $bad++ unless ref $d->{$k} eq "ARRAY";
        for (@{ ref $d->{$k} eq "ARRAY" ? $d->{$k} : [] }) { $bad++ if ref $_; }
      }
    }
    my @e = $p->parse_errors;
    print join(" ", scalar($p->plan), scalar($p->tests_run), scalar($p->passed), scalar($p->failed),
               $yaml, $bad, scalar(@e)), "\n";
    print STDERR "$_\n" for @e;' "$1")
  if [ "$got" != "$2" ]; then
    echo "FAIL: TAP::Parser on $1: got '$got', expected '$2' (plan run passed failed yaml bad errors)"
    cat "$1"
    failed=1
  fi
}
check "$out/suite.tap" "1..5 5 1 4 4 0 0"
check "$out/mutant.tap" "1..1 1 0 1 1 0 0"

# No control byte of the title reaches the output raw.
if LC_ALL=C grep -q "$(printf '\033')" "$out/suite.tap"; then
  echo "FAIL: an ESC byte reached the TAP output"
  failed=1
fi
grep -q 'ctl\\x1b\[1m.scn' "$out/suite.tap" || { echo "FAIL: the ESC of a path is not shown escaped"; failed=1; }
[ $failed -eq 0 ] && echo "prove reads the TAP of a failing suite: plan, 5 test points, 4 YAML blocks"
exit $failed
