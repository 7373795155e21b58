#!/usr/bin/python3
"""Top-1 accuracy of a Fashion-MNIST example model, float against its
post-training quantized simulation (Module.quantize(form="simulated"): the QDQ
graph in float ops, run by the CPU JIT), for each calibration method.

    PYTHONPATH=build/python /usr/bin/python3 scripts/ptq-accuracy.py \
        examples/models/fashion_cnn_opset13.onnx [N_EVAL]

Calibration: examples/models/data/calib_256.npy (train images); evaluation:
the first N_EVAL (default 2000) of data/eval_2k_{x,y}.npy (test images).
"""
import os
import sys
import time

import numpy as np

import qopt

model = sys.argv[1]
n_eval = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
data = os.path.join(os.path.dirname(os.path.abspath(model)), "data")
calib = np.load(os.path.join(data, "calib_256.npy"))
x = np.load(os.path.join(data, "eval_2k_x.npy"))[:n_eval]
y = np.load(os.path.join(data, "eval_2k_y.npy"))[:n_eval]

m = qopt.load_onnx(model)
m.cleanup()


def accuracy(module):
    exe = module.compile_cpu()
    name = exe.inputs[0]["name"]
    logits = exe.run({name: x})[exe.outputs[0]["name"]]
    return float(np.mean(np.argmax(logits, axis=1) == y)), logits


acc, ref = accuracy(m)
print(f"float: top-1 {acc:.4f} on {n_eval} test images")
for bits, method in [(8, "minmax"), (8, "percentile"), (8, "entropy"),
                     (8, "mse"), (4, "minmax"), (4, "mse")]:
    start = time.time()
    q = m.quantize(calibration=calib, method=method, weight_bits=bits,
                   form="simulated")
    took = time.time() - start
    acc_q, logits = accuracy(q)
    agree = float(np.mean(np.argmax(logits, 1) == np.argmax(ref, 1)))
    sqnr = [l["sqnr_db"] for l in q.report()["layers"]]
    print(f"W{bits}A8 {method:10s}: top-1 {acc_q:.4f} (agrees with float on "
          f"{agree:.4f}), layer SQNR min {min(sqnr):.1f} dB / last "
          f"{sqnr[-1]:.1f} dB, quantize() {took:.0f} s")
