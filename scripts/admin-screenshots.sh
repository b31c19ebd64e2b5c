#!/usr/bin/env bash
# Renews docs/screenshots/admin-*.png: runs the admin GUI tests under Xvfb, which walk every
# screen of pingyi-admin (new evaluation, tally, print preview, verify only, errors, English)
# and photograph each one. Usage: scripts/admin-screenshots.sh [build-dir]  (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
if [ ! -f "$build/build.ninja" ]; then
  cmake --preset release -B "$build" >/dev/null
fi
cmake --build "$build" -j2 --target test_admin_gui
out=docs/screenshots
mkdir -p "$out"
rm -f "$out"/admin-*.png
# The time-zone case is left out: it sets TZ itself, and after the screens have run in the
# same process it still reads UTC (wx seems to keep the zone it saw first). ctest runs it in a
# process of its own (admin-logic), where it passes.
PINGYI_SCREENSHOT_DIR="$PWD/$out" xvfb-run -a -s "-screen 0 1280x900x24" \
  "$build/tests/admin_gui/test_admin_gui" -tce="*UTC log time*"
ls -1 "$out"/admin-*.png
