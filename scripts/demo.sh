#!/usr/bin/env bash
# The main job on the bundled models: builds qopt, imports the trained
# Fashion-MNIST CNN and ViT (examples/models/) with qopt-compile, runs the
# qopt-cleanup pipeline and shows the IR and its op statistics; then compiles
# both ahead of time into shared libraries (qopt-compile --emit=shared, with
# a C header each), runs them with qopt-run on the evaluation set and prints
# accuracy and latency; then the same in int8 (--quantize=int8), side by side.
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
  "$BUILD/bin/qopt-compile" "$onnx" --emit=mlir --elide-weights -o "$OUT/$model.short.mlir"
  # (No pipe into head: with pipefail, its early exit would fail the script.)
  grep -v "qopt.constant" "$OUT/$model.short.mlir" > "$OUT/$model.body.mlir" || true
  sed -n '1,30p' "$OUT/$model.body.mlir"
  echo "   ..."
  echo "-- op statistics after import and qopt-cleanup:"
  "$BUILD/bin/qopt-opt" "$OUT/$model.mlir" --print-op-stats -o /dev/null 2> "$OUT/$model.stats"
  grep -E "qopt\.|func\." "$OUT/$model.stats" | sed 's/^/   /'
  echo
done

echo "== compile to shared libraries and run them on examples/models/data/eval_2k (2000 images)"
/usr/bin/python3 "$ROOT/scripts/demo_run.py" "$BUILD" "$OUT"
