#!/usr/bin/env python3
"""Compiles the bundled Fashion-MNIST models ahead of time into shared
libraries (qopt-compile --emit=shared), in float and quantized to int8
(--quantize=int8, calibrated on examples/models/data/calib_256.npy with the
percentile method, run as integer arithmetic) and integer-only
(--integer-only), runs them with qopt-run on
the 2000-image evaluation set and prints accuracy and latency side by side.

usage: demo_run.py BUILD_DIR WORK_DIR [--threads N]"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "examples", "models")


def run(cmd):
    print("$ " + shlex.join(os.path.relpath(c, ROOT) if c.startswith(ROOT + "/") else c
                            for c in cmd), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        sys.exit(f"demo: {cmd[0]} failed")
    return p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("build")
    ap.add_argument("work")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    bin_dir = os.path.join(os.path.abspath(args.build), "bin")
    work = os.path.abspath(args.work)
    x_path = os.path.join(MODELS, "data", "eval_2k_x.npy")
    y = np.load(os.path.join(MODELS, "data", "eval_2k_y.npy"))
    one = os.path.join(work, "one_image.npy")
    np.save(one, np.load(x_path)[:1])

    calib = os.path.join(MODELS, "data", "calib_256.npy")
    rows = []
    for name in ["fashion_cnn", "fashion_vit"]:
        onnx = os.path.join(MODELS, name + "_opset13.onnx")
        torch_acc = json.load(open(os.path.join(MODELS, name + ".json")))["eval_2k_accuracy"]
        int8 = ["--quantize=int8", "--calibration=" + calib, "--calib-method=percentile"]
        for variant, flags in [("float", []), ("int8", int8),
                               ("int-only", int8 + ["--integer-only"])]:
            tag = f"{name}_{variant.replace('-', '_')}"
            so = os.path.join(work, tag + ".so")
            start = time.perf_counter()
            run([os.path.join(bin_dir, "qopt-compile"), onnx, *flags, "--emit=shared",
                 "-o", so, "--symbol-prefix=" + tag,
                 "--header=" + os.path.join(work, tag + ".h")])
            compile_s = time.perf_counter() - start
            out = os.path.join(work, tag + "_out")
            run([os.path.join(bin_dir, "qopt-run"), so, "--input", "input=" + x_path,
                 "--output-dir", out, "--threads", str(args.threads)])
            bench = run([os.path.join(bin_dir, "qopt-run"), so, "--input", "input=" + one,
                         "--bench", "50", "--threads", str(args.threads)])
            m = re.search(r"median ([0-9.]+) ms, min ([0-9.]+) ms", bench)
            logits = np.load(os.path.join(out, "logits.npy"))
            acc = float((logits.argmax(axis=1) == y).mean())
            rows.append((name + "_opset13", variant, compile_s, acc, torch_acc,
                         float(m.group(1)), float(m.group(2)), os.path.getsize(so)))

    print()
    print(f"{'model (shared library)':<22} {'variant':<8} {'compile':>8} {'size':>8} "
          f"{'top-1 (qopt)':>13} {'top-1 (torch)':>14} {'median':>9} {'min':>9}")
    for name, variant, compile_s, acc, torch_acc, median, best, size in rows:
        print(f"{name:<22} {variant:<8} {compile_s:>7.2f}s {size / 1e6:>6.2f}MB "
              f"{acc * 100:>12.2f}% {torch_acc * 100:>13.2f}% {median:>7.2f}ms {best:>7.2f}ms")
    print(f"top-1 over the 2000 evaluation images (one qopt-run call each; torch: the float "
          f"model); latency: qopt-run --bench 50 on one image after 5 warm-up runs, "
          f"{args.threads} threads. int8: W8A8, per-channel weights, percentile calibration, "
          f"integer arithmetic with the runtime's int8 kernels; int-only: the same with "
          f"--integer-only (I-ViT's Shiftmax/ShiftGELU/I-LayerNorm, no float between the "
          f"input quantize and the output dequantize; qopt-verify-integer-only passed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
