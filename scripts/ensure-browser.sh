#!/usr/bin/env bash
# The browser tests drive Debian's chromium; install it if missing (never a browser download).
set -uo pipefail
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian chromium for the browser tests ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei) >/dev/null 2>&1
  fi
fi
[ -x /usr/bin/chromium ] || { echo "error: /usr/bin/chromium is missing and could not be installed" >&2; exit 1; }
