#!/usr/bin/env bash
# Cross-builds every Windows target (preset windows-cross) against the cached static
# dependency prefix, building the prefix first if it is missing.
# Usage: scripts/windows/build.sh [extra cmake --build args, e.g. --target pingyi]
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$WIN_ROOT"
win_deps
wlog "dependency prefix $PINGYI_WIN_DEPS"
mkdir -p "$WIN_BUILD"
cmake --preset windows-cross -DPINGYI_WIN_DEPS="$PINGYI_WIN_DEPS" >"$WIN_BUILD/configure.log" 2>&1 ||
  { cat "$WIN_BUILD/configure.log"; exit 1; }
cmake --build --preset windows-cross -j"${JOBS:-2}" "$@"
