#!/usr/bin/env bash
# Regenerates every artifact in examples/models/ from scratch:
#   data/calib_256.npy, data/eval_2k_x.npy, data/eval_2k_y.npy
#   fashion_cnn_opset{13,17}.onnx, fashion_cnn.json
#   fashion_vit_opset{13,17}.onnx, fashion_vit.json
# Needs Debian's python3-torch, python3-onnx, python3-numpy and dataset-fashion-mnist
# (scripts/install-deps.sh). Uses /usr/bin/python3 on purpose: a python3 earlier on PATH
# (e.g. pyenv) does not see the Debian packages. Override with PYTHON=... if needed.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-/usr/bin/python3}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

"$PYTHON" fashion_data.py
"$PYTHON" train_cnn.py "$@"
"$PYTHON" train_vit.py "$@"
ls -l data/*.npy fashion_*.onnx fashion_*.json
