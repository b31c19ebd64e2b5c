#!/usr/bin/env bash
# Every tracked C++ source is clang-formatted with the root .clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "clang-format is not installed"; exit 1; }
bad=0
while IFS= read -r f; do
  [ -f "$f" ] || continue
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (run: clang-format -i $f)"
    bad=$((bad + 1))
  fi
done < <(git ls-files '*.cpp' '*.hpp' '*.h' 2>/dev/null || find crypto core admin kiosk tests -name '*.[ch]pp')
echo "format: $bad file(s) not formatted"
[ "$bad" -eq 0 ]
