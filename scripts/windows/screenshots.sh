#!/usr/bin/env bash
# Screenshots of the Windows build under Wine (Chinese rendered through the font links of
# common.sh) into docs/screenshots/windows/: the kiosk's screens from the same generator as
# scripts/kiosk-screenshots.sh (tests/kiosk/test_screenshots.cpp, 1366 × 768), the admin's
# pingyi-admin.exe's home window (1280 × 900), and pingyi-kiosk.exe itself as started from
# the Start menu. Build first: scripts/windows/build.sh.
#   scripts/windows/screenshots.sh [out-dir]    (default docs/screenshots/windows)
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$WIN_ROOT"
out=$(realpath -m -- "${1:-docs/screenshots/windows}")
[ -x "$WIN_BUILD/tests/kiosk/test_kiosk.exe" ] || { wlog "no Windows build: run scripts/windows/build.sh"; exit 1; }

if [ "${1:-}" = --in-xvfb ]; then # one screen size per Xvfb
  shift
  what=$1 dir=$2
  wine_up
  trap wine_down EXIT
  case $what in
    kiosk)
      PINGYI_SCREENSHOT_DIR="$dir" wine "$WIN_BUILD/tests/kiosk/test_kiosk.exe" \
        --test-case="screenshots of every screen" --no-version >"$dir/kiosk.log" 2>&1
      # The program itself, as the Start-menu entry starts it (setup screen, full screen).
      mkdir -p "$dir/data"
      wine "$WIN_BUILD/kiosk/pingyi-kiosk.exe" --data-dir "$dir/data" >/dev/null 2>&1 &
      sleep 6
      import -window root "$dir/kiosk-exe-setup-zh.png"
      wine taskkill /f /im pingyi-kiosk.exe >/dev/null 2>&1 || true
      ;;
    admin)
      # (The admin GUI tests photograph through ImageMagick's `import`, which a Windows
      # program cannot start: the program itself, from outside.)
      wine "$WIN_BUILD/admin/gui/pingyi-admin.exe" >/dev/null 2>&1 &
      sleep 6
      import -window root "$dir/admin-exe-home-zh.png"
      wine taskkill /f /im pingyi-admin.exe >/dev/null 2>&1 || true
      ;;
  esac
  exit 0
fi

wine_prefix
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xvfb-run -a -s "-screen 0 1366x768x24" "$0" --in-xvfb kiosk "$tmp"
xvfb-run -a -s "-screen 0 1280x900x24" "$0" --in-xvfb admin "$tmp"

# The docs keep a selection (the Linux screenshots in docs/screenshots/ have every screen).
keep=(kiosk-exe-setup-zh kiosk-setup-zh kiosk-welcome-zh kiosk-ballot-zh kiosk-ballot-quota-zh
  kiosk-review-zh kiosk-receipt-zh kiosk-operator-menu-zh kiosk-ballot-en kiosk-ballot-zh-hc
  admin-exe-home-zh)
mkdir -p "$out"
rm -f "$out"/*.png
n=0
for name in "${keep[@]}"; do
  f="$tmp/$name.png"
  [ -s "$f" ] || { wlog "missing screenshot $name"; continue; }
  convert "$f" -strip -colors 256 -define png:compression-level=9 "$out/$name.png"
  n=$((n + 1))
done
wlog "$n screenshots in $out"
[ "$n" -ge 8 ]
