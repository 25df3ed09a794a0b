#!/bin/sh
# `npm test`: type-check, build, then server, bundle, security, browser and end-to-end tests.
set -eu
cd "$(dirname "$0")/.."
sh scripts/ensure-test-tools.sh
npm run -s typecheck
npm run -s build
npm run -s test:server
npm run -s test:bundle
npm run -s test:security
sh scripts/in-loopback-namespace.sh sh -c 'npm run -s test:browser && npm run -s test:e2e'
