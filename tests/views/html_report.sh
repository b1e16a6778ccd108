#!/bin/sh
# The HTML report rendered by headless Chromium: `closesim report` of the bundled suite, of the
# linger-timeout scenario alone, and of a suite with every verdict; each page is screenshot and
# the PNG decoded (check_png.py) to prove it is not blank and shows the report's colours; the
# step-through view is shot at two steps (#step=N) that must differ (png_differ.py). The
# pages and screenshots stay in ARTIFACTS for a person (or CI) to look at. Skips (exit 77) only
# when no Chromium can be found.
#
# usage: html_report.sh CLOSESIM SOURCE_DIR ARTIFACTS
set -u
closesim=$1 src=$2 art=$3

browser=""
for b in /usr/bin/chromium chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser=$(command -v "$b"); break; fi
done
if [ -z "$browser" ]; then
  echo "SKIP: no chromium found (make test installs the Debian package chromium)"
  exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "FAIL: python3 is needed to decode the screenshots (make test installs it)"
  exit 1
fi

mkdir -p "$art" || exit 1
art=$(cd "$art" && pwd)
cd "$src" || exit 1
failed=0

report() {  # NAME PATHS...: closesim report PATHS -o ARTIFACTS/NAME.html
  name=$1; shift
  rm -f "$art/$name.html" "$art/$name.png"
  "$closesim" report "$@" -o "$art/$name.html" >/dev/null
  status=$?  # the suite's verdict: 0, 1, or 2 for a file that does not parse; the page is written
  if [ $status -gt 2 ] || [ ! -s "$art/$name.html" ]; then
    echo "FAIL: closesim report $* exited $status"
    exit 1
  fi
}

shoot() {  # NAME [FRAGMENT [SHOT [HEIGHT]]]: ARTIFACTS/NAME.html#FRAGMENT -> ARTIFACTS/SHOT.png
  shot=${3:-$1}
  profile=$(mktemp -d) || exit 1
  # --virtual-time-budget lets the page's script run before the picture is taken.
  HOME=$profile timeout 180 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$profile" --window-size=1280,${4:-4000} \
    --virtual-time-budget=5000 --screenshot="$art/$shot.png" "file://$art/$1.html${2:-}" \
    >"$art/$shot.chromium.log" 2>&1
  status=$?
  rm -rf "$profile"
  if [ ! -s "$art/$shot.png" ]; then
    echo "FAIL: $browser wrote no screenshot of $1.html${2:-} (exit $status); its output:"
    tail -n 20 "$art/$shot.chromium.log"
    exit 1
  fi
}

check() {  # NAME CHECK_PNG_ARGS...
  name=$1; shift
  python3 "$src/tests/views/check_png.py" "$art/$name.png" --tolerance 12 "$@" || failed=1
}

# Colours of the page (sim/report/html.cc): verdicts, then the timeline's marks.
pass='pass=#17692c' fail='fail=#b00020' error='error=#a85a00'
marks='--colour blocked=#f2c14e --colour close=#9cc3e6 --colour release=#1565c0 --colour rst=#d84315'

# The whole suite: 4000px hold the totals, the table of scenarios and the coverage table.
report report scenarios
shoot report
check report --min-ink 0.05 --min-colours 24 --colour $pass --colour link=#0000ee

# One scenario: its timeline's marks.
report linger scenarios/linger/linger_timeout.scn
shoot linger
check linger --min-ink 0.02 --min-colours 16 --colour $pass $marks --colour timer=#6d4c41

# Every verdict: pass, fail (an expectation) and error (a file that does not parse).
report verdicts scenarios/linger/linger_timeout.scn tests/fixtures/wrong_expectation.scn tests/fixtures/malformed.scn
shoot verdicts
check verdicts --min-ink 0.02 --min-colours 16 --colour $pass --colour $fail --colour $error

# The step-through view: #step=N selects record #N without a click. Two steps must look
# different (the faded future, the cursor, the record panel), and each must still be a page.
shoot linger "#step=3" linger.step3 1400
shoot linger "#step=22" linger.step22 1400
check linger.step3 --min-ink 0.02 --min-colours 16 --colour $pass
check linger.step22 --min-ink 0.02 --min-colours 16 --colour $pass
python3 "$src/tests/views/png_differ.py" "$art/linger.step3.png" "$art/linger.step22.png" || failed=1
# The page is self-contained: nothing in it names a network resource.
if grep -q -e 'src="http' -e 'href="http' -e '<link' -e 'url(' "$art/linger.html"; then
  echo "FAIL: linger.html refers to something outside itself"
  failed=1
fi

echo "artifacts: $art/report.html $art/report.png $art/linger.png $art/verdicts.png $art/linger.step3.png $art/linger.step22.png"
exit $failed
