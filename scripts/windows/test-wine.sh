#!/usr/bin/env bash
# Runs the Windows test suite (ctest, preset windows-cross) under Wine. Three passes, each
# in its own Xvfb and Wine session, because the kiosk's GUI tests expect a 1366x768 screen
# and the admin's 1280x900: everything else, then label "kiosk", then label "admin".
# Build first: scripts/windows/build.sh. Extra arguments go to every ctest call.
# Prints the ctest summaries and a closing line "N passed, N failed, N skipped" (ctest
# tests; a test is skipped when doctest skipped its only case on Windows).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$WIN_ROOT"
[ -e "$WIN_BUILD/CTestTestfile.cmake" ] || { wlog "no Windows build: run scripts/windows/build.sh"; exit 1; }

# One pass: inside Xvfb, start Wine's services detached from any pipe (else ctest waits
# for them: see common.sh), run ctest, stop Wine.
if [ "${1:-}" = --pass ]; then
  shift
  wine_up
  rc=0
  ctest --preset windows-cross "$@" || rc=$?
  wine_down
  exit $rc
fi

wine_prefix
passed=0 failed=0 skipped=0 rc=0
pass() { # screen ctest-args...
  local screen=$1 log; shift
  log=$(mktemp)
  set +e
  xvfb-run -a -s "-screen 0 ${screen}x24" "$0" --pass "$@" 2>&1 | tee "$log"
  local r=${PIPESTATUS[0]}
  set -e
  [ "$r" -eq 0 ] || rc=1
  # "100% tests passed, 0 tests failed out of 3" / "No tests were found"
  local line; line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1 || true)
  if [ -n "$line" ]; then
    local f t
    f=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
    t=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")
    local k; k=$(grep -c -E 'Test +#[0-9]+: .*Skipped' "$log" || true)
    passed=$((passed + t - f - k)) failed=$((failed + f)) skipped=$((skipped + k))
  elif [ "$r" -ne 0 ]; then
    failed=$((failed + 1))
  fi
  rm -f "$log"
}
pass 1366x768 -LE 'kiosk|admin' "$@"
pass 1366x768 -L kiosk "$@"
pass 1280x900 -L admin "$@"
echo "windows-tests: $passed passed, $failed failed, $skipped skipped"
exit $rc
