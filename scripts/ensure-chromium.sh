#!/bin/sh
# The browser tests drive Debian's Chromium (test tools cannot download their own browser here).
# Installs it when missing and we are allowed to; otherwise says how.
set -eu
CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
if [ -x "$CHROME_PATH" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium iproute2 >/dev/null
  exit 0
fi
echo "The browser tests need Chromium at $CHROME_PATH. Install it with:" >&2
echo "  sudo apt-get install -y chromium" >&2
echo "or point CHROME_PATH at a Chromium/Chrome binary." >&2
exit 1
