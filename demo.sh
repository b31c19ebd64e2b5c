#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the demo meeting.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target pingyi
exec ./build/release/admin/pingyi demo "$@"
