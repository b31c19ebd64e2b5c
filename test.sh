#!/usr/bin/env bash
# The whole test suite: installs what is missing, configures, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j2
ctest --preset release -j2
