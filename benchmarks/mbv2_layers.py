#!/usr/bin/env python3
"""MobileNetV2's convolution layers, one at a time, through two builds of
the runtime library side by side (ctypes; the calls of the two alternate,
and the minimum over repetitions is kept, which is what a shared machine
disturbs least). For A/B figures of a kernel change:

    benchmarks/mbv2_layers.py --new build/lib/libqopt_runtime.so \\
        --old /tmp/old/libqopt_runtime.so [--threads 1] [--which dw,pw]

Each layer is called as the compiled model calls it:
qopt_rt_conv2d_nchw_f32_epilogue with its bias and ReLU6 (depthwise 3x3 and
1x1 expansions; the projections have no clamp in the model, but the kernels
take the same path), weights cached in a slot (the compiler gives constant
weights of 1x1 and depthwise convolutions one). Inputs are uniform [0, 1).
"""
import argparse
import ctypes
import time

import numpy as np

BIAS, MIN, MAX = 1, 4, 8
DEPTHWISE = [(32, 112, 1), (96, 112, 2), (144, 56, 1), (144, 56, 2), (192, 28, 1),
             (192, 28, 2), (384, 14, 1), (576, 14, 1), (576, 14, 2), (960, 7, 1)]
POINTWISE = [(144, 24, 3136), (24, 144, 3136), (96, 16, 12544), (32, 192, 784),
             (192, 32, 784), (384, 64, 196), (64, 384, 196), (96, 576, 196),
             (960, 160, 49), (160, 960, 49), (320, 960, 49), (1280, 320, 49)]


def addr(a):
    return a.__array_interface__["data"][0]


def load(path, threads):
    rt = ctypes.CDLL(path)
    i64, f32 = ctypes.c_int64, ctypes.c_float
    rt.qopt_rt_conv2d_nchw_f32_epilogue.argtypes = [i64] * 23 + [f32, i64, f32, f32, i64]
    rt.qopt_rt_set_num_threads.argtypes = [ctypes.c_int]
    rt.qopt_rt_set_num_threads(threads)
    return rt


def depthwise(rng, c, h, s):
    oh = (h + 2 - 3) // s + 1
    x = rng.random((1, c, h, h), dtype=np.float32)
    w = rng.random((c, 1, 3, 3), dtype=np.float32)
    y = np.empty((1, c, oh, oh), np.float32)
    b = rng.random(c, dtype=np.float32)

    def call(rt, slot):
        rt.qopt_rt_conv2d_nchw_f32_epilogue(
            addr(x), addr(w), addr(y), 1, c, 1, h, h, 1, 3, 3, oh, oh, s, s, 1, 1,
            1, 1, 1, 1, ctypes.addressof(slot), addr(b), 0.0, 0, 0.0, 6.0,
            BIAS | MIN | MAX)
    return f"depthwise {c}x{h}x{h} s{s}", c * oh * oh * 9, call, (x, w, y, b)


def pointwise(rng, f, c, hw):
    x = rng.random((1, c, hw), dtype=np.float32)
    w = rng.random((f, c), dtype=np.float32)
    y = np.empty((1, f, hw), np.float32)
    b = rng.random(f, dtype=np.float32)

    def call(rt, slot):
        rt.qopt_rt_conv2d_nchw_f32_epilogue(
            addr(x), addr(w), addr(y), 1, 1, c, hw, 1, f, 1, 1, hw, 1, 1, 1, 1, 1,
            0, 0, 0, 0, ctypes.addressof(slot), addr(b), 0.0, 0, 0.0, 6.0,
            BIAS | MIN | MAX)
    return f"1x1 {c}->{f}, {hw} px", f * c * hw, call, (x, w, y, b)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--new", required=True)
    ap.add_argument("--old", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--which", default="dw,pw")
    args = ap.parse_args()
    libs = {"new": load(args.new, args.threads), "old": load(args.old, args.threads)}
    rng = np.random.default_rng(0)
    cases = []
    if "dw" in args.which:
        cases += [depthwise(rng, *a) for a in DEPTHWISE]
    if "pw" in args.which:
        cases += [pointwise(rng, *a) for a in POINTWISE]
    total = {"new": 0.0, "old": 0.0}
    print("| layer | new (µs) | old (µs) | new / old | new GMAC/s |")
    print("|---|---:|---:|---:|---:|")
    for name, macs, call, _ in cases:
        slots = {k: ctypes.c_void_p(0) for k in libs}
        n = max(2, int(5e6 / macs))
        best = {k: float("inf") for k in libs}
        for _ in range(args.reps):
            for k, rt in libs.items():
                call(rt, slots[k])
                t = time.perf_counter()
                for _ in range(n):
                    call(rt, slots[k])
                best[k] = min(best[k], (time.perf_counter() - t) / n)
        for k in total:
            total[k] += best[k]
        print(f"| {name} | {best['new'] * 1e6:.1f} | {best['old'] * 1e6:.1f} | "
              f"{best['new'] / best['old']:.2f} | {macs / best['new'] / 1e9:.1f} |")
    print(f"| total | {total['new'] * 1e6:.0f} | {total['old'] * 1e6:.0f} | "
          f"{total['new'] / total['old']:.2f} | |")


if __name__ == "__main__":
    main()
