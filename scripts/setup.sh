#!/usr/bin/env bash
# Sets up a Debian machine to run and test Roundtable: Debian packages, the npm
# packages (Node 24 comes with them as the `node` dev dependency, which npm
# scripts put first on PATH) and the mediasoup worker. Electron downloads its
# own binary on the first `npm start`. Every step is skipped when already done, so a
# second run takes seconds.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# shellcheck source=lib/common.sh
. scripts/lib/common.sh

# Emoji glyphs: reactions and the chat show emoji; without a font they are empty boxes.
# systemd-analyze checks the host box's unit (packaging/). ffmpeg records
# meetings on the host and composes the watchable file (main/recording/).
ensure_debian_packages ca-certificates chromium ffmpeg fonts-dejavu-core fonts-noto-color-emoji iproute2 systemd
command -v npm >/dev/null || ensure_debian_packages nodejs npm
# Janus Gateway, for `npm run bench peer` (Roundtable side by side with Janus's
# VideoRoom): only when asked, as it is no part of running or testing Roundtable.
# The benchmark starts its own Janus in a network namespace: a system service
# the package just installed and started is stopped and disabled.
if [ "${ROUNDTABLE_BENCH_PEER:-}" = 1 ]; then
  had_janus="$(command -v janus || true)"
  ensure_debian_packages janus libjs-janus-gateway
  if [ -z "$had_janus" ] && [ -d /run/systemd/system ]; then
    run_as_root systemctl disable --now janus >/dev/null 2>&1 || true
  fi
fi

# npm packages, reinstalled only when the lockfile changed.
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp=node_modules/.roundtable-setup-lock
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" >"$stamp"
fi

# Electron downloads its binary on first use; where that fails (no internet)
# the desktop app cannot start, and `npm run host` is the way to host.
node_modules/.bin/node main/electron/electron-binary.ts >/dev/null || log "Electron binary not available here: use 'npm run host' (headless host); the desktop app's end-to-end test will be skipped"

# The mediasoup worker, in order of preference: one given by the user, the one
# mediasoup's own install put in place (its prebuilt download), one this project
# built and cached, mediasoup's own install now, and last our offline build.
resolve_worker() {
  local default_bin=node_modules/mediasoup/worker/out/Release/mediasoup-worker
  if [ -n "${MEDIASOUP_WORKER_BIN:-}" ]; then
    [ -x "$MEDIASOUP_WORKER_BIN" ] || die "MEDIASOUP_WORKER_BIN=$MEDIASOUP_WORKER_BIN is not an executable"
    echo "$MEDIASOUP_WORKER_BIN"; return
  fi
  [ -x "$default_bin" ] && { echo "$repo/$default_bin"; return; }
  bash scripts/mediasoup-worker/build.sh --if-cached 2>/dev/null && return
  log "running mediasoup's own worker install (prebuilt download)"
  if (cd node_modules/mediasoup && timeout 900 node npm-scripts.mjs postinstall) >/dev/null 2>&1 \
    && [ -x "$default_bin" ]; then
    echo "$repo/$default_bin"; return
  fi
  log "no prebuilt worker reachable: building it from mediasoup's source"
  bash scripts/mediasoup-worker/build.sh
}
worker_bin="$(resolve_worker)"
echo "MEDIASOUP_WORKER_BIN=$worker_bin" >.env
log "ready (mediasoup worker: $worker_bin)"
