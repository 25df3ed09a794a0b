#!/bin/sh
# The tests drive Debian's Chromium (test tools cannot download their own browser here), start
# Debian's coturn for the TURN tests, and use iproute2 for a loopback-only network namespace.
# Installs what is missing when we are allowed to; otherwise says how.
set -eu
CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
missing=""
[ -x "$CHROME_PATH" ] || missing="$missing chromium"
command -v turnserver >/dev/null 2>&1 || missing="$missing coturn"
command -v ip >/dev/null 2>&1 || missing="$missing iproute2"
[ -n "$missing" ] || exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages for the tests:$missing"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  exit 0
fi
echo "The tests need these Debian packages:$missing. Install them with:" >&2
echo "  sudo apt-get install -y$missing" >&2
echo "(or point CHROME_PATH at a Chromium/Chrome binary)." >&2
exit 1
