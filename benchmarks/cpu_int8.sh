#!/usr/bin/env bash
# qopt int8 vs float vs ONNX Runtime float and int8 (QDQ) on the CPU; writes
# docs/Benchmarks-CPU-int8.md. Needs a build (scripts/build.sh), Debian's
# python3-onnx and numpy, and onnxruntime-node (installed from npm into
# benchmarks/node_modules as for cpu_float.sh). Arguments go to cpu_int8.py
# (--threads, --runs, --models, --compare).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"
if [ ! -d "$HERE/node_modules/onnxruntime-node" ]; then
  command -v npm > /dev/null || { echo "error: npm is missing (apt-get install npm)" >&2; exit 1; }
  (cd "$HERE" && npm install --no-audit --no-fund)
fi
exec /usr/bin/python3 "$HERE/cpu_int8.py" --build "$BUILD" "$@"
