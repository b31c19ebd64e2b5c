#!/usr/bin/env bash
# The whole Windows part of CI, after the Linux tests (./test.sh):
#   1. the toolchain (mingw-w64, Wine, Xvfb, NSIS), installed if missing;
#   2. the static dependency prefix, from its cache (/var/cache/pingyi) or built from
#      Debian's source packages (about 30 min on 2 busy cores; 92 MB);
#   3. the cross-build of every target (preset windows-cross);
#   4. every .exe imports Windows system DLLs only; the GUI programs are GUI-subsystem with
#      icon, version resource and manifest;
#   5. the whole ctest suite under Wine (GUI tests under Xvfb);
#   6. the Windows console tool runs the demo meeting, in both suites (P256-SHA256 and
#      SM2-SM3), and the Linux build verifies the files it wrote (the formats are the same on
#      both systems);
#   7. the installer: silent install, the installed programs work, silent uninstall keeps
#      the ballot boxes.
# Fails loudly on any failure; closes with "N passed, N failed, N skipped" (ctest tests,
# installer checks and the checks above, each counted once; skipped: ctest tests whose only
# doctest case is skipped on Windows — the doctest-level skips are counted in the log).
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$WIN_ROOT" || exit 1
LOGS="$WIN_ROOT/build/windows-ci-logs"
mkdir -p "$LOGS"
passed=0 failed=0 skipped=0
failures=()
T_ALL=$SECONDS

ok() { passed=$((passed + 1)); echo "PASS  $*"; }
bad() { failed=$((failed + 1)); failures+=("$*"); echo "FAIL  $*" >&2; }
# Runs a step with its output in $LOGS/<name>.log; on failure shows the end of the log.
run() { # name command...
  local name=$1 t=$SECONDS; shift
  wlog "$name ..."
  if "$@" >"$LOGS/$name.log" 2>&1; then
    wlog "$name: done in $((SECONDS - t)) s"
    return 0
  fi
  echo "---- last lines of $LOGS/$name.log ----" >&2
  tail -40 "$LOGS/$name.log" >&2
  echo "----" >&2
  wlog "$name: FAILED after $((SECONDS - t)) s"
  return 1
}
finish() {
  wlog "Windows CI took $((SECONDS - T_ALL)) s"
  if ((${#failures[@]})); then
    # What doctest said about each failed assertion, last: a CI report shows only the end of
    # the output, and the failing check is otherwise buried in the middle of a long log.
    if [ -s "$LOGS/wine-tests.log" ] && grep -q -E '(ERROR|FATAL ERROR): ' "$LOGS/wine-tests.log"; then
      echo "Failed assertions under Wine (from $LOGS/wine-tests.log):" >&2
      grep -E -A3 '(ERROR|FATAL ERROR): ' "$LOGS/wine-tests.log" | head -40 >&2
    fi
    echo "Windows CI failures:" >&2
    printf '  - %s\n' "${failures[@]}" >&2
  fi
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
  exit
}

# 1. Toolchain.
if run toolchain "$WIN_ROOT/scripts/windows/install-toolchain.sh"; then ok "toolchain installed"; else bad "toolchain"; finish; fi

# 2. Dependency prefix (cached, or built now: its own log is $LOGS/deps.log).
if run deps "$WIN_ROOT/scripts/windows/build-deps.sh"; then
  PINGYI_WIN_DEPS=$(tail -1 "$LOGS/deps.log")
  export PINGYI_WIN_DEPS
  ok "dependency prefix $PINGYI_WIN_DEPS"
else
  bad "dependency prefix"; finish
fi

# 3. Cross-build.
if run build "$WIN_ROOT/scripts/windows/build.sh"; then ok "cross-build"; else bad "cross-build"; finish; fi

# 4. What the programs import, and their resources.
allowed='^(advapi32|bcrypt|comctl32|comdlg32|crypt32|gdi32|gdiplus|imm32|kernel32|msimg32|msvcrt|ole32|oleacc|oleaut32|rpcrt4|secur32|setupapi|shell32|shlwapi|user32|userenv|uxtheme|version|winhttp|winmm|winspool\.drv|ws2_32|wtsapi32)\.dll$|^winspool\.drv$'
mapfile -t exes < <(find "$WIN_BUILD" -name '*.exe' -not -path '*/wine*' -not -path '*/CMakeFiles/*' -not -path '*/_CPack_Packages/*' -not -name 'pingyi-*-win64.exe' | sort)
[ "${#exes[@]}" -ge 5 ] || bad "expected at least 5 executables, found ${#exes[@]}"
for exe in "${exes[@]}"; do
  rel=${exe#"$WIN_BUILD"/}
  dlls=$(x86_64-w64-mingw32-objdump -p "$exe" | awk '/DLL Name:/ {print tolower($3)}' | sort -u)
  others=$(grep -v -E "$allowed" <<<"$dlls" || true)
  if [ -z "$others" ]; then
    ok "$rel imports system DLLs only ($(wc -l <<<"$dlls") DLLs, $(du -h "$exe" | cut -f1))"
  else
    bad "$rel imports non-system DLLs: $(tr '\n' ' ' <<<"$others")"
  fi
done
for gui in kiosk/pingyi-kiosk.exe admin/gui/pingyi-admin.exe admin/pingyi.exe; do
  exe="$WIN_BUILD/$gui"
  [ -e "$exe" ] || { bad "$gui was not built"; continue; }
  want=00000002
  [ "$gui" = admin/pingyi.exe ] && want=00000003 # the console tool
  subsystem=$(x86_64-w64-mingw32-objdump -p "$exe" | awk '/^Subsystem/ {print $2}')
  manifest=$(grep -c -a -E 'activeCodePage[^<]*>UTF-8<|PerMonitorV2' "$exe" || true)
  version=$(strings -el "$exe" | grep -c -E '^(FileDescription|ProductVersion)$' || true)
  icon=1
  [ "$gui" = admin/pingyi.exe ] || icon=$(x86_64-w64-mingw32-objdump -h "$exe" | grep -c '\.rsrc' || true)
  if [ "$subsystem" = "$want" ] && [ "$manifest" -ge 1 ] && [ "$version" -ge 2 ] && [ "$icon" -ge 1 ]; then
    ok "$gui: subsystem $want, manifest (UTF-8, per-monitor DPI), version resource"
  else
    bad "$gui: subsystem $subsystem (want $want), manifest $manifest, version $version"
  fi
done

# 5. The test suite under Wine.
run wine-tests "$WIN_ROOT/scripts/windows/test-wine.sh"
line=$(grep -E '^windows-tests: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$LOGS/wine-tests.log" | tail -1)
if [ -n "$line" ]; then
  p=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped/\1/' <<<"$line")
  f=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped/\2/' <<<"$line")
  k=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped/\3/' <<<"$line")
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + k))
  echo "ctest under Wine: $p passed, $f failed, $k skipped"
  ((f == 0)) || { failures+=("ctest under Wine: $f failed (log $LOGS/wine-tests.log)"); grep -E '\*\*\*(Failed|Timeout|Exception)' "$LOGS/wine-tests.log" >&2; }
  echo "(doctest cases skipped on Windows or under Wine, each with its reason: docs/windows.md, \"Tests under Wine\")"
else
  bad "ctest under Wine printed no summary (log $LOGS/wine-tests.log)"
fi

# 6. The Windows console tool's meeting, verified by the Linux build.
demo="$WIN_BUILD/ci-demo"
rm -rf "$demo"
demo_run() {
  wine_prefix
  wine_up
  local rc=0
  wine "$WIN_BUILD/admin/pingyi.exe" demo --out "$demo" || rc=$?
  wine_down
  return $rc
}
if run demo demo_run && grep -q 'checks passed' "$LOGS/demo.log"; then
  ok "pingyi.exe demo under Wine: $(grep -o '[0-9]* of [0-9]* checks passed' "$LOGS/demo.log" | head -1)"
  linux="$WIN_ROOT/build/release/admin/pingyi"
  if [ -x "$linux" ]; then
    if "$linux" verify --package "$demo/election.pyp" --box "$demo/kiosk1.sqlite" --results "$demo/results.json" \
      >"$LOGS/interop.log" 2>&1 && grep -q 'ALL CHECKS PASSED' "$LOGS/interop.log"; then
      ok "the Linux verifier accepts the files the Windows build wrote"
    else
      bad "the Linux verifier rejects the Windows files (log $LOGS/interop.log)"
    fi
  else
    echo "(no Linux build at $linux: the interop check needs ./test.sh first)"
  fi
  slips_text=$(pdftotext "$demo/code-slips.pdf" - 2>/dev/null || true) # (no grep -q in a pipe: SIGPIPE)
  if [[ "$slips_text" == *党支部* ]]; then
    ok "the Windows-made slips PDF carries its Chinese text"
  else
    bad "the Windows-made slips PDF has no extractable Chinese text"
  fi
  # Well formed to independent readers (qpdf's structure check, poppler without a warning).
  for pdf in "$demo"/*.pdf; do
    warnings=$(pdftotext "$pdf" /dev/null 2>&1 || echo "pdftotext failed")
    if qpdf --check "$pdf" >"$LOGS/qpdf.log" 2>&1 && [ -z "$warnings" ]; then
      ok "the Windows-made $(basename "$pdf") passes qpdf --check and poppler reads it without a warning"
    else
      bad "the Windows-made $(basename "$pdf") is malformed: $(tail -2 "$LOGS/qpdf.log") ${warnings:0:200}"
    fi
  done
else
  bad "pingyi.exe demo under Wine (log $LOGS/demo.log)"
fi

# 6b. The same meeting in the 国密 suite (SM2, SM3, SM4), verified by the Linux build.
demo_sm2="$WIN_BUILD/ci-demo-sm2"
rm -rf "$demo_sm2"
demo_sm2_run() {
  wine_prefix
  wine_up
  local rc=0
  wine "$WIN_BUILD/admin/pingyi.exe" demo --suite SM2-SM3 --out "$demo_sm2" || rc=$?
  wine_down
  return $rc
}
if run demo-sm2 demo_sm2_run && grep -q 'checks passed' "$LOGS/demo-sm2.log"; then
  ok "pingyi.exe demo --suite SM2-SM3 under Wine: $(grep -o '[0-9]* of [0-9]* checks passed' "$LOGS/demo-sm2.log" | head -1), $(grep -o '[0-9]* ms per cast' "$LOGS/demo-sm2.log" | head -1)"
  linux="$WIN_ROOT/build/release/admin/pingyi"
  if [ -x "$linux" ]; then
    if "$linux" verify --package "$demo_sm2/election.pyp" --box "$demo_sm2/kiosk1.sqlite" \
      --results "$demo_sm2/results.json" >"$LOGS/interop-sm2.log" 2>&1 &&
      grep -q 'ALL CHECKS PASSED' "$LOGS/interop-sm2.log" && grep -q 'SM2-SM3' "$demo_sm2/election.pyp"; then
      ok "the Linux verifier accepts the SM2-SM3 files the Windows build wrote"
    else
      bad "the Linux verifier rejects the Windows SM2-SM3 files (log $LOGS/interop-sm2.log)"
    fi
  fi
else
  bad "pingyi.exe demo --suite SM2-SM3 under Wine (log $LOGS/demo-sm2.log)"
fi

# 7. The installer.
run installer "$WIN_ROOT/scripts/windows/installer-check.sh"
line=$(grep -E '^installer: [0-9]+ passed, [0-9]+ failed' "$LOGS/installer.log" | tail -1)
if [ -n "$line" ]; then
  p=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\1/' <<<"$line")
  f=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\2/' <<<"$line")
  passed=$((passed + p)) failed=$((failed + f))
  echo "installer under Wine: $p passed, $f failed"
  ((f == 0)) || { failures+=("installer: $f checks failed (log $LOGS/installer.log)"); grep '^FAIL' "$LOGS/installer.log" >&2; }
else
  bad "installer check printed no summary (log $LOGS/installer.log)"
fi

finish
