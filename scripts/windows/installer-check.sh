#!/usr/bin/env bash
# Makes the installer (cpack -G NSIS in build/windows-cross) and checks it under Wine in a
# Wine prefix of its own: a silent install puts every file and Start-menu entry in place
# and makes %ProgramData%\Pingyi; the installed console tool runs the demo meeting with the
# installed font; a silent uninstall removes the programs and keeps the ballot boxes.
# Never trusts an exit code alone (a 32-bit installer under 64-bit Wine exits 0 having
# installed nothing). Prints "installer: N passed, N failed".
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$WIN_BUILD"
export WINEPREFIX="$WIN_BUILD/wine-installer" # a clean Windows for the installer

passed=0 failed=0
check() { # description command...
  local what=$1; shift
  if "$@" >/dev/null 2>&1; then
    passed=$((passed + 1)); echo "PASS  $what"
  else
    failed=$((failed + 1)); echo "FAIL  $what"
  fi
}

t=$SECONDS
rm -f pingyi-*-win64.exe
cpack -G NSIS >cpack.log 2>&1 || { tail -30 cpack.log; exit 1; }
setup=$(ls pingyi-*-win64.exe)
wlog "made $setup ($(du -h "$setup" | cut -f1)) in $((SECONDS - t)) s"

rm -rf "$WINEPREFIX"
wine wineboot --init </dev/null >/dev/null 2>&1
wineserver -p </dev/null >/dev/null 2>&1 || true # (already running after wineboot: fine)
trap 'wineserver -k >/dev/null 2>&1 || true' EXIT

c="$WINEPREFIX/drive_c"
inst="$c/Program Files/Pingyi"
data="$c/ProgramData/Pingyi"
menu="$c/ProgramData/Microsoft/Windows/Start Menu/Programs/Pingyi 评议"

t=$SECONDS
wine "$setup" /S </dev/null >/dev/null 2>&1
wineserver -w
wlog "silent install in $((SECONDS - t)) s"
for f in bin/pingyi.exe bin/pingyi-kiosk.exe bin/pingyi-admin.exe share/pingyi/fonts/gbsn00lp.ttf \
  share/pingyi/demo/election.json share/pingyi/station/kiosk-station.ps1 \
  share/locale/zh_CN/LC_MESSAGES/pingyi-kiosk.mo share/locale/zh_CN/LC_MESSAGES/pingyi-admin.mo Uninstall.exe; do
  check "installed $f" test -s "$inst/$f"
done
check "Start menu: kiosk" test -e "$menu/评议投票机 Pingyi Kiosk.lnk"
check "Start menu: admin" test -e "$menu/评议管理 Pingyi Admin.lnk"
check "the kiosk entry keeps ballot boxes in %ProgramData%\\Pingyi\\boxes" \
  bash -c "strings -el '$menu/评议投票机 Pingyi Kiosk.lnk' | grep -q 'data-dir.*ProgramData.Pingyi.boxes'"
check "Start menu: uninstall" test -e "$menu/Uninstall.lnk"
check "data folder %ProgramData%\\Pingyi\\boxes" test -d "$data/boxes"
check "installed programs are stripped (smaller than in the build)" \
  bash -c "[ \$(stat -c %s '$inst/bin/pingyi-admin.exe') -lt \$(stat -c %s admin/gui/pingyi-admin.exe) ]"
check "registered for Add/Remove Programs" \
  bash -c "wine reg query 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Pingyi' /v UninstallString | grep -q Uninstall.exe"

# The installed console tool runs a whole meeting with the installed font and demo files.
demo_out="$(mktemp -d)"
check "installed pingyi.exe runs the demo meeting (ALL CHECKS PASSED)" bash -c \
  "wine '$inst/bin/pingyi.exe' demo --assets 'C:\\Program Files\\Pingyi\\share\\pingyi\\demo' --out '$demo_out/demo' 2>&1 | grep -q 'checks passed'"
rm -rf "$demo_out"

# A ballot box in the data folder must survive the uninstall.
echo "ballot box stand-in" >"$data/boxes/kiosk1.sqlite"
t=$SECONDS
# _?= runs the uninstaller in place, so that waiting for it means something.
wine "$inst/Uninstall.exe" /S "_?=C:\\Program Files\\Pingyi" </dev/null >/dev/null 2>&1
wineserver -w
wlog "silent uninstall in $((SECONDS - t)) s"
check "uninstall removed the programs" test ! -e "$inst/bin/pingyi-kiosk.exe"
check "uninstall removed the fonts and catalogs" test ! -e "$inst/share"
check "uninstall removed the Start-menu entries" test ! -e "$menu/评议投票机 Pingyi Kiosk.lnk"
check "uninstall kept the ballot boxes in %ProgramData%\\Pingyi" test -s "$data/boxes/kiosk1.sqlite"

echo "installer: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
