#!/usr/bin/env bash
# Prepares the folder that benchmarks/device_cpu.py runs from on another
# x86-64 machine without a qopt build (here: the device machine lent to this
# project, whose CPU has AVX-512): model libraries compiled here, with and
# without --mcpu=x86-64-v4, their ONNX files (the QDQ export for the int8
# ones), inputs, the runtime library and its kernel tests.
# usage: benchmarks/device_cpu.sh OUT_DIR   (then carry OUT_DIR and run
#        `python3 OUT_DIR/device_cpu.py OUT_DIR` there)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"
OUT="${1:?usage: device_cpu.sh OUT_DIR}"
PY=/usr/bin/python3
rm -rf "$OUT" && mkdir -p "$OUT/lib" "$OUT/bin" "$OUT/tests"
cp "$BUILD/lib/libqopt_runtime.so" "$OUT/lib/"
cp "$ROOT"/python/tests/runtime_ctypes.py "$ROOT"/python/tests/test_runtime_*.py "$OUT/tests/"
cp "$HERE/device_cpu.py" "$OUT/"
DATA="$ROOT/examples/models/data"
$PY - "$OUT" "$DATA" <<'PY'
import sys, numpy as np
out, data = sys.argv[1:]
np.save(f"{out}/fashion.npy", np.load(f"{data}/eval_2k_x.npy")[:1])
np.save(f"{out}/imagenet.npy", np.random.default_rng(0).standard_normal((1, 3, 224, 224)).astype(np.float32))
PY
compile() {  # NAME ONNX [flags...]
  local name="$1" onnx="$2"; shift 2
  "$BUILD/bin/qopt-compile" "$onnx" --emit=shared -o "$OUT/$name.so" "$@"
  "$BUILD/bin/qopt-compile" "$onnx" --emit=shared --mcpu=x86-64-v4 -o "$OUT/$name.v4.so" "$@"
}
CALIB=(--calibration="$DATA/calib_256.npy" --calib-method=percentile)
for m in fashion_cnn fashion_vit; do
  onnx="$ROOT/examples/models/${m}_opset17.onnx"
  cp "$onnx" "$OUT/$m.onnx"
  compile "$m" "$onnx"
  compile "${m}_int8" "$onnx" --quantize=int8 "${CALIB[@]}" --report="$OUT/${m}_int8.json"
  $PY "$ROOT/scripts/export-qdq.py" "$onnx" "$OUT/${m}_int8.json" "$OUT/${m}_qdq.onnx"
done
MNV2="$HERE/models/mobilenet_v2.onnx"
[ -f "$MNV2" ] || $PY "$HERE/export_torchvision.py" "$HERE/models" mobilenet_v2
cp "$MNV2" "$OUT/mobilenet_v2.onnx"
compile mobilenet_v2 "$MNV2"
$PY - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
m = []
for name in ["fashion_cnn", "fashion_vit"]:
    m.append(dict(name=name, kind="float", so=f"{name}.so", so_v4=f"{name}.v4.so",
                  onnx=f"{name}.onnx", input="fashion.npy", output_shape=[1, 10]))
    m.append(dict(name=name + " int8 (ORT: QDQ)", base=name, kind="int8", so=f"{name}_int8.so",
                  so_v4=f"{name}_int8.v4.so", onnx=f"{name}_qdq.onnx",
                  input="fashion.npy", output_shape=[1, 10]))
m.append(dict(name="mobilenet_v2", kind="float", so="mobilenet_v2.so",
              so_v4="mobilenet_v2.v4.so", onnx="mobilenet_v2.onnx",
              input="imagenet.npy", output_shape=[1, 1000]))
json.dump(m, open(f"{out}/manifest.json", "w"), indent=1)
PY
du -sh "$OUT"
