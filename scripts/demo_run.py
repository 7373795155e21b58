#!/usr/bin/env python3
"""Compiles the bundled Fashion-MNIST models for this CPU with qopt's JIT and
prints their accuracy on the 2000-image evaluation set and their latency.
usage: demo_run.py  (with PYTHONPATH=<build>/python)"""
import json
import os
import time

import numpy as np

import qopt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "examples", "models")
x = np.load(os.path.join(MODELS, "data", "eval_2k_x.npy"))
y = np.load(os.path.join(MODELS, "data", "eval_2k_y.npy"))

print(f"{'model':<22} {'compile':>8} {'top-1 (qopt)':>13} {'top-1 (torch)':>14} {'latency':>10}")
for name in ["fashion_cnn", "fashion_vit"]:
    start = time.perf_counter()
    m = qopt.load_onnx(os.path.join(MODELS, name + "_opset13.onnx"))
    m.cleanup()
    exe = m.compile_cpu()
    compile_s = time.perf_counter() - start
    logits = exe.run({"input": x})["logits"]
    acc = float((logits.argmax(axis=1) == y).mean())
    torch_acc = json.load(open(os.path.join(MODELS, name + ".json")))["eval_2k_accuracy"]
    one = x[:1]
    for _ in range(3):
        exe.run({"input": one})
    times = []
    for _ in range(20):
        t = time.perf_counter()
        exe.run({"input": one})
        times.append(time.perf_counter() - t)
    print(f"{name + '_opset13':<22} {compile_s:>7.2f}s {acc * 100:>12.2f}% {torch_acc * 100:>13.2f}% "
          f"{np.median(times) * 1e3:>8.2f}ms")
print("latency: median of 20 single-image runs, 1 thread, scalar loops (no tiling or "
      "vectorization yet)")
