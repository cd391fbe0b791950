#!/usr/bin/env bash
# Build .venv/ at the repo root with everything the service and its tests need.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
bash scripts/ensure-system-packages.sh
# Browser libraries for the pages, served by the app itself (never a CDN): refresh the vendored copy from
# the pinned package-lock.json when npm is here; without npm the committed copy is used as is.
if command -v npm >/dev/null 2>&1; then
  if npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1; then
    sed '/sourceMappingURL/d' node_modules/socket.io-client/dist/socket.io.esm.min.js \
      > queue_server/web/static/vendor/socket.io.esm.min.js
  else
    echo "warning: npm ci failed; keeping the committed queue_server/web/static/vendor/socket.io.esm.min.js" >&2
  fi
fi
