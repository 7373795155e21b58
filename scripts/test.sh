#!/usr/bin/env bash
# Builds qopt and runs the whole test suite: the lit/FileCheck tests and the
# GoogleTest unit tests through ctest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"

bash "$ROOT/scripts/build.sh" "$@"
cd "$BUILD"
ctest --output-on-failure -j "$(nproc)"
