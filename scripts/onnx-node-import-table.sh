#!/usr/bin/env bash
# Imports every ONNX backend node test model of Debian's libonnx-testdata
# (/usr/share/libonnx-testdata/data/node/*/model.onnx) with qopt-compile and
# writes the result table, with the summary counts (imported, clear error,
# crash, hang), to docs/ONNXNodeTestImport.md. The lit test
# test/Import/onnx-node-tests.py runs the same driver and fails on any crash,
# hang or unclear error.
#
# Uses the qopt-compile of build/ (or $QOPT_BUILD_DIR; build it first with
# scripts/build.sh) and /usr/bin/python3 (override with PYTHON=...): a python3
# earlier on PATH, such as pyenv's, may not see Debian's packages.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"
PYTHON="${PYTHON:-/usr/bin/python3}"
NODE_DIR="${ONNX_NODE_TESTS:-/usr/share/libonnx-testdata/data/node}"
OUT="${1:-$ROOT/docs/ONNXNodeTestImport.md}"

if [ ! -x "$BUILD/bin/qopt-compile" ]; then
  echo "error: $BUILD/bin/qopt-compile not found; run scripts/build.sh first" >&2
  exit 1
fi
# The driver exits 1 when a model crashes, hangs or fails unclearly; the table
# is written either way and the summary printed.
status=0
"$PYTHON" "$ROOT/test/Import/onnx-node-tests.py" \
  --qopt-compile "$BUILD/bin/qopt-compile" --jobs "$(nproc)" \
  --table "$OUT" "$NODE_DIR" | sed -n '1,5p;/^\(CRASH\|HANG\|UNCLEAR\):/p' || status=$?
echo "wrote $OUT"
exit "$status"
