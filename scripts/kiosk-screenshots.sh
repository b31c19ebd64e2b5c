#!/usr/bin/env bash
# Regenerates docs/screenshots/kiosk-*.png: every kiosk screen in Chinese and English, in
# the normal and the high-contrast theme (and a few in larger text), taken from the real
# window under Xvfb at 1366 × 768 by tests/kiosk/test_screenshots.cpp.
#   scripts/kiosk-screenshots.sh [build-dir]     (default: build/release)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
out=$root/docs/screenshots

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake --preset release -B "$build" >/dev/null
fi
cmake --build "$build" -j2 --target test_kiosk

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PINGYI_SCREENSHOT_DIR=$tmp xvfb-run -a -s "-screen 0 1366x768x24" \
  "$build/tests/kiosk/test_kiosk" --test-case="screenshots of every screen" --no-version

rm -f "$out"/kiosk-*.png
mkdir -p "$out"
# Fewer colours where it loses nothing visible: the files stay small enough for git.
for f in "$tmp"/kiosk-*.png; do
  if command -v convert >/dev/null; then
    convert "$f" -strip -colors 256 -define png:compression-level=9 "$out/$(basename "$f")"
  else
    cp "$f" "$out/"
  fi
done
ls -1 "$out"/kiosk-*.png | wc -l | xargs echo "screenshots written to docs/screenshots/:"
