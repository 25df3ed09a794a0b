#!/bin/sh
# `npm test`: type-check, build, then server, browser and end-to-end tests.
# Browser suites run in a loopback-only network namespace when the machine allows one, so WebRTC
# can only use 127.0.0.1 and no test can reach (or depend on) another network.
set -eu
cd "$(dirname "$0")/.."
sh scripts/ensure-chromium.sh
npm run -s typecheck
npm run -s build
npm run -s test:server
npm run -s test:bundle
npm run -s test:security
if command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 && unshare -n true 2>/dev/null; then
  exec unshare -n sh -c 'ip link set lo up && npm run -s test:browser && npm run -s test:e2e'
fi
echo "(no network namespace available: running the browser suites on the host network)"
npm run -s test:browser
npm run -s test:e2e
