#!/bin/sh
# `npm run bench`: build, then run the benchmarks on loopback only.
set -eu
cd "$(dirname "$0")/.."
sh scripts/ensure-test-tools.sh
npm run -s build
sh scripts/in-loopback-namespace.sh node --import tsx bench/run.ts
