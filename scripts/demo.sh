#!/usr/bin/env bash
# The main job on the bundled models: builds qopt, imports the trained
# Fashion-MNIST CNN and ViT (examples/models/) with qopt-compile, runs the
# qopt-cleanup pipeline, and shows the resulting IR and its op statistics.
# Compilation to code and quantization come with the CPU backend and PTQ.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"

bash "$ROOT/scripts/build.sh"

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
for model in fashion_cnn_opset13 fashion_vit_opset13; do
  onnx="$ROOT/examples/models/$model.onnx"
  [ -f "$onnx" ] || continue
  echo "== qopt-compile examples/models/$model.onnx --emit=mlir"
  "$BUILD/bin/qopt-compile" "$onnx" --emit=mlir -o "$OUT/$model.mlir"
  "$BUILD/bin/qopt-compile" "$onnx" --emit=mlir --elide-weights | head -n 40
  echo "   ..."
  echo "-- op statistics after import and qopt-cleanup:"
  "$BUILD/bin/qopt-opt" "$OUT/$model.mlir" --print-op-stats -o /dev/null 2>&1 |
    grep -E "qopt\.|func\." | sed 's/^/   /'
  echo
done
