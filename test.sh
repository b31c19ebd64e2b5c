#!/usr/bin/env bash
# The whole test suite: installs what is missing, configures, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j2
if ! ctest --preset release -j2; then
  # The failed assertions once more, last: a CI report shows only the end of the output.
  echo "Failed assertions (from build/release/Testing/Temporary/LastTest.log):" >&2
  grep -E -A3 '(ERROR|FATAL ERROR): ' build/release/Testing/Temporary/LastTest.log | head -40 >&2 || true
  exit 1
fi
