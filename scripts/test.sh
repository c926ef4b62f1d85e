#!/usr/bin/env bash
# Sets up everything (see setup.sh) and runs every check and test: typecheck,
# lint, unit and integration tests (real mediasoup worker, real sockets, real
# Chromium), then the end-to-end browser tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
npm run check
npm test
npm run test:e2e -- --pass-with-no-tests
