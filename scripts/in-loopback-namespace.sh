#!/bin/sh
# Runs a command in a loopback-only network namespace when the machine allows one, so that WebRTC
# can only use 127.0.0.1 and nothing can reach (or depend on) another network; else runs it as is.
set -eu
if command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 && unshare -n true 2>/dev/null; then
  exec unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$@"
fi
echo "(no network namespace available: running on the host network)" >&2
exec "$@"
