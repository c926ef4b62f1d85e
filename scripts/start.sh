#!/usr/bin/env bash
# Sets up everything (see setup.sh) and hosts a meeting: in the desktop app
# where Electron can run, otherwise with the headless host. Arguments go to
# the host (e.g. --port 8443 --announced-ip 192.168.1.20).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
if node_modules/.bin/node main/electron/electron-binary.ts >/dev/null && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec npm start -- "$@"
fi
exec npm run host -- "$@"
