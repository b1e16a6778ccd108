#!/bin/sh
# Installs the Debian packages named that are not installed yet (apt-get update only then, so a
# repeat run stays offline and quick). With --optional, a failed install is reported, not fatal.
# Used by the Makefile's *-deps targets.
optional=0
[ "$1" = "--optional" ] && { optional=1; shift; }
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
missing=""
for p in "$@"; do
  if [ "$p" = npm ]; then
    command -v npm >/dev/null 2>&1 || missing="$missing npm"
    continue
  fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
echo "installing:$missing"
if $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
   $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing; then
  exit 0
fi
[ $optional = 1 ] && { echo "could not install$missing: the tests that need it will skip"; exit 0; }
exit 1
