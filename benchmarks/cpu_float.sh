#!/usr/bin/env bash
# qopt vs ONNX Runtime on the CPU (float models); writes docs/Benchmarks-CPU.md.
# Needs a build (scripts/build.sh) and onnxruntime-node, which this installs
# from npm into benchmarks/node_modules (the package ships its CPU binaries;
# .npmrc skips its optional download of GPU binaries, which needs the
# internet). Arguments go to cpu_float.py (--threads, --runs, --models, ...).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"
if [ ! -d "$HERE/node_modules/onnxruntime-node" ]; then
  command -v npm > /dev/null || { echo "error: npm is missing (apt-get install npm)" >&2; exit 1; }
  (cd "$HERE" && npm install --no-audit --no-fund)
fi
exec /usr/bin/python3 "$HERE/cpu_float.py" --build "$BUILD" "$@"
