#!/usr/bin/env bash
# Runs ONNX's backend node tests (Debian libonnx-testdata) through qopt's
# import + CPU JIT and writes the per-test table to
# docs/ONNXNodeTestConformance.md (scripts/onnx-conformance.py does the work;
# the lit test test/Conformance/onnx-node-tests-conformance.test runs the same
# driver with the pass threshold).
#
# Uses the Python module of build/ (or $QOPT_BUILD_DIR; build it first with
# scripts/build.sh) and /usr/bin/python3 (override with PYTHON=...).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"
PYTHON="${PYTHON:-/usr/bin/python3}"
NODE_DIR="${ONNX_NODE_TESTS:-/usr/share/libonnx-testdata/data/node}"
OUT="${1:-$ROOT/docs/ONNXNodeTestConformance.md}"

if [ ! -d "$BUILD/python/qopt" ]; then
  echo "error: $BUILD/python/qopt not found; run scripts/build.sh first" >&2
  exit 1
fi
PYTHONPATH="$BUILD/python${PYTHONPATH:+:$PYTHONPATH}" \
  "$PYTHON" "$ROOT/scripts/onnx-conformance.py" --jobs "${JOBS:-2}" \
  --table "$OUT" "$NODE_DIR"
echo "wrote $OUT"
