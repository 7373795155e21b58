#!/usr/bin/env bash
# Prepares the folder that benchmarks/device_cpu.py runs from on another
# x86-64 machine without LLVM 22 or a qopt build (here: the device machine
# lent to this project, whose CPU has AVX-512). The models are not compiled
# here: their libraries (ResNet-18's 45 MB of weights, ViT-B/16's 330 MB)
# would not fit the 64 MiB the device tool carries. Instead it carries a
# qopt-compile linked against LLVM/MLIR's static archives
# (scripts/link-static-qopt-compile.sh, xz-compressed) with the shared
# libraries it needs, qopt's runtime (archive for linking models, shared
# library for the kernel tests), the kernel tests, the trained models with
# their calibration data, and the scripts; device_cpu.py exports the
# torchvision models there (torch is installed there) and compiles every
# model with --mcpu=x86-64-v4 before measuring.
# usage: benchmarks/device_cpu.sh OUT_DIR   (then carry OUT_DIR and run
#        `python3 OUT_DIR/device_cpu.py OUT_DIR` there)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
BUILD="${QOPT_BUILD_DIR:-$ROOT/build}"
OUT="${1:?usage: device_cpu.sh OUT_DIR}"
PY=/usr/bin/python3
rm -rf "$OUT" && mkdir -p "$OUT/lib" "$OUT/bin" "$OUT/tests" "$OUT/toolchain"
ninja -C "$BUILD" qopt_runtime qopt_runtime_shared >/dev/null
cp "$BUILD/lib/libqopt_runtime.so" "$BUILD/lib/libqopt_runtime.a" "$OUT/lib/"
QOPT_BUILD_DIR="$BUILD" "$ROOT/scripts/link-static-qopt-compile.sh" "$OUT/toolchain/qopt-compile"
xz -T2 -6 "$OUT/toolchain/qopt-compile"
for lib in $(ldd "$BUILD/bin/qopt-compile" | awk '/libonnx|libprotobuf/ {print $3}'); do
  cp -L "$lib" "$OUT/toolchain/"
done
cp "$ROOT"/python/tests/runtime_ctypes.py "$ROOT"/python/tests/test_runtime_*.py "$OUT/tests/"
cp "$HERE/device_cpu.py" "$HERE/device_mbv2_repeat.py" "$HERE/device_probe.py" "$HERE/export_torchvision.py" \
   "$ROOT/scripts/export-qdq.py" "$OUT/"
DATA="$ROOT/examples/models/data"
cp "$DATA/calib_256.npy" "$OUT/"
for m in fashion_cnn fashion_vit; do cp "$ROOT/examples/models/${m}_opset17.onnx" "$OUT/$m.onnx"; done
$PY - "$OUT" "$DATA" <<'PY'
import sys, numpy as np
out, data = sys.argv[1:]
np.save(f"{out}/fashion.npy", np.load(f"{data}/eval_2k_x.npy")[:1])
np.save(f"{out}/imagenet.npy", np.random.default_rng(0).standard_normal((1, 3, 224, 224)).astype(np.float32))
PY
du -sh "$OUT"
