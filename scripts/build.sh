#!/usr/bin/env bash
# Installs the Debian packages qopt needs (idempotent) and builds qopt into
# build/ (or $QOPT_BUILD_DIR) with Ninja, clang-22 and ccache.
# Extra arguments are passed to CMake's configure step.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"

bash "$ROOT/scripts/install-deps.sh"

if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang-22 CXX=clang++-22 cmake -S "$ROOT" -B "$BUILD" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    "$@"
fi
cmake --build "$BUILD"
