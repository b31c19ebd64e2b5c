# Shared by the scripts/windows/*.sh: paths, the dependency prefix, the Wine prefix.
# shellcheck shell=bash
WIN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WIN_BUILD="$WIN_ROOT/build/windows-cross"  # the windows-cross preset's binaryDir
# The same Wine settings as the windows-cross preset's environment.
export WINEPREFIX="${WINEPREFIX:-$WIN_BUILD/wine}"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=" # no Mono/Gecko install prompts
export WINEARCH=win64

wlog() { printf '[windows %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Builds or reuses the static dependency prefix; exports PINGYI_WIN_DEPS.
win_deps() {
  local out
  out=$("$WIN_ROOT/scripts/windows/build-deps.sh" "$@")
  PINGYI_WIN_DEPS=$(printf '%s\n' "$out" | tail -1)
  [ -d "$PINGYI_WIN_DEPS" ] || { wlog "no dependency prefix"; return 1; }
  export PINGYI_WIN_DEPS
}

# Creates the Wine prefix once and applies our registry settings (again whenever they
# change): font links so that Chinese renders (Wine shows boxes for CJK in its UI fonts
# until they link to a font that has the glyphs: fonts-wqy-microhei), and no crash dialog
# (under Xvfb it would wait forever for a click; the backtrace still goes to stderr).
wine_prefix() {
  mkdir -p "$(dirname "$WINEPREFIX")"
  local reg="$WIN_BUILD/pingyi-wine.reg" link='hex(7):' f
  # REG_MULTI_SZ "wqy-microhei.ttc,WenQuanYi Micro Hei": in a REGEDIT4 (ANSI) file, the
  # string's bytes and two NULs.
  link+=$(printf 'wqy-microhei.ttc,WenQuanYi Micro Hei' | od -An -tx1 -v | tr -s ' \n' ',' | sed 's/^,//')
  link+='00,00'
  {
    printf 'REGEDIT4\r\n\r\n'
    printf '[HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion\\FontLink\\SystemLink]\r\n'
    for f in "Tahoma" "Tahoma Bold" "Microsoft Sans Serif" "MS Shell Dlg" "MS Shell Dlg 2" \
      "Segoe UI" "Lucida Sans Unicode" "SimSun" "Microsoft YaHei"; do
      printf '"%s"=%s\r\n' "$f" "$link"
    done
    # The Chinese faces every Chinese Windows has (the programs ask for them by name).
    printf '\r\n[HKEY_CURRENT_USER\\Software\\Wine\\Fonts\\Replacements]\r\n'
    for f in "Microsoft YaHei" "Microsoft YaHei UI" "SimHei" "SimSun" "NSimSun"; do
      printf '"%s"="WenQuanYi Micro Hei"\r\n' "$f"
    done
    printf '\r\n[HKEY_CURRENT_USER\\Software\\Wine\\WineDbg]\r\n"ShowCrashDialog"=dword:00000000\r\n'
  } >"$reg.new"
  local stamp; stamp="$WINEPREFIX/.pingyi-$(sha256sum <"$reg.new" | cut -c1-12)"
  [ -e "$stamp" ] && return 0
  local t=$SECONDS
  if [ ! -e "$WINEPREFIX/system.reg" ]; then
    wlog "creating Wine prefix $WINEPREFIX"
    wine wineboot --init </dev/null >/dev/null 2>&1
  fi
  mv "$reg.new" "$reg"
  wine regedit /S "$(winepath -w "$reg" 2>/dev/null)" </dev/null >/dev/null 2>&1
  wineserver -w
  rm -f "$WINEPREFIX"/.pingyi-*
  touch "$stamp"
  wlog "Wine prefix ready in $((SECONDS - t)) s"
}

# Wine's background services keep a test's output pipe open and ctest then waits for
# them (3.7 s a test, or forever). Start them first, detached from any pipe.
wine_up() {
  wineserver -p </dev/null >/dev/null 2>&1 || true # already running: fine
  wine wineboot </dev/null >/dev/null 2>&1
}
wine_down() { wineserver -k </dev/null >/dev/null 2>&1 || true; }
