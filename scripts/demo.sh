#!/usr/bin/env bash
# The main job on the bundled example: builds qopt, then runs the deepest
# end-to-end flow that exists today (see README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"

bash "$ROOT/scripts/build.sh"

EXAMPLE="$ROOT/examples/mlir/conv_bn_relu.mlir"
echo "== qopt-opt --qopt-cleanup $EXAMPLE"
echo "-- input:"
cat "$EXAMPLE"
echo "-- after the cleanup pipeline (batch norm folded into the convolution):"
"$BUILD/bin/qopt-opt" --qopt-cleanup "$EXAMPLE"
