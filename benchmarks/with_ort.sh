#!/usr/bin/env bash
# Runs one of the benchmarks against ONNX Runtime (SCRIPT.py, in this folder)
# with Debian's python3 and --build set to $QOPT_BUILD_DIR (default: build/).
# Needs a build (scripts/build.sh) and onnxruntime-node, which this installs
# from npm into benchmarks/node_modules (the package ships its CPU binaries;
# .npmrc skips its optional download of GPU binaries, which needs the
# internet).
#
#   with_ort.sh SCRIPT.py [ARGS...]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"
SCRIPT="$1"; shift
if [ ! -d "$HERE/node_modules/onnxruntime-node" ]; then
  command -v npm > /dev/null || { echo "error: npm is missing (apt-get install npm)" >&2; exit 1; }
  (cd "$HERE" && npm install --no-audit --no-fund)
fi
exec /usr/bin/python3 "$HERE/$SCRIPT" --build "$BUILD" "$@"
