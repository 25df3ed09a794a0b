#!/bin/sh
# `npm run bench`: build, then run the benchmarks on loopback only (a network namespace when possible).
set -eu
cd "$(dirname "$0")/.."
sh scripts/ensure-chromium.sh
npm run -s build
if command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 && unshare -n true 2>/dev/null; then
  exec unshare -n sh -c 'ip link set lo up && node --import tsx bench/run.ts'
fi
node --import tsx bench/run.ts
