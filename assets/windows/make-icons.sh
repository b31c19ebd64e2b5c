#!/usr/bin/env bash
# Regenerates the two application icons (multi-size .ico, committed) with ImageMagick:
# the character 评 in white on a rounded square — red for the kiosk, blue for the admin.
# Font: WenQuanYi Micro Hei (Debian fonts-wqy-microhei), bold enough to read at 16 px.
set -euo pipefail
cd "$(dirname "$0")"
font=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
make_icon() { # name background
  local tmp; tmp=$(mktemp -d)
  for s in 16 24 32 48 64 128 256; do
    local r=$((s / 6)) p=$((s * 74 / 100))
    convert -size ${s}x${s} xc:none -fill "$2" -draw "roundrectangle 0,0 $((s - 1)),$((s - 1)) $r,$r" \
      \( -background none -fill white -font "$font" -pointsize $p label:评 -trim +repage \) \
      -gravity center -composite "PNG32:$tmp/$s.png"
  done
  convert "$tmp"/{16,24,32,48,64,128,256}.png "$1.ico"
  rm -rf "$tmp"
}
make_icon pingyi-kiosk '#c8102e'
make_icon pingyi-admin '#1f4e8c'
