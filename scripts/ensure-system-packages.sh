#!/usr/bin/env bash
# Debian packages the product uses at run time: a CJK font (printer raster mode, screenshots).
set -uo pipefail
need=()
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${need[*]} ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null 2>&1 \
      || echo "warning: could not install ${need[*]}; printer raster mode falls back to Pillow's default font" >&2
  else
    echo "warning: please install ${need[*]} (apt-get install ${need[*]})" >&2
  fi
fi
exit 0
