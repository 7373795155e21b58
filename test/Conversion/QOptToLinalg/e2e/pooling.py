# Average pooling with count_include_pad false and true, ceil_mode and
# asymmetric pads; max pooling with ceil_mode, pads and dilation; global
# average pooling; against numpy evaluations of the ONNX Runtime rules (the
# divisor counts the positions inside the input, plus with count_include_pad
# those in the explicit pads, never those added by ceil_mode).
# RUN: %python %s mlir > %t.mlir
# RUN: %python %s expected > %t.expected
# RUN: qopt-opt %t.mlir --convert-qopt-to-linalg | %mlir_lower_to_llvm | %mlir_runner > %t.out
# RUN: %e2e_compare %t.expected %t.out

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from e2e import Case  # noqa: E402


def out_size(n, k, s, pb, pe, d, ceil):
    span = n + pb + pe - (d * (k - 1) + 1)
    o = span // s + 1
    if ceil and span % s:
        o += 1
        if (o - 1) * s >= n + pb:  # no window starts in the end padding
            o -= 1
    return o


def pool(x, kernel, strides, pads, ceil, reduce, include_pad=False,
         dilations=(1, 1)):
    n, c, h, w = x.shape
    dims = [(h, kernel[0], strides[0], pads[0], pads[2], dilations[0]),
            (w, kernel[1], strides[1], pads[1], pads[3], dilations[1])]
    oh, ow = [out_size(*d, ceil) for d in dims]
    y = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            count, taps = 1, []
            for (size, k, s, pb, pe, d), o in zip(dims, (i, j)):
                start = o * s - pb
                idx = [start + t * d for t in range(k)]
                taps.append([t for t in idx if 0 <= t < size])
                lo, hi = (-pb, size + pe) if include_pad else (0, size)
                count *= sum(1 for t in idx if lo <= t < hi)
            window = x[:, :, taps[0]][:, :, :, taps[1]]
            if reduce == "max":
                y[:, :, i, j] = window.max(axis=(2, 3))
            else:
                y[:, :, i, j] = window.sum(axis=(2, 3)) / count
    return y


rng = np.random.default_rng(3)
case = Case()
x = case.input("x", rng.standard_normal((2, 3, 7, 8)).astype(np.float32))
case.body = """
    %a = qopt.avg_pool2d %x {kernel = array<i64: 3, 2>, strides = array<i64: 2, 3>, pads = array<i64: 1, 0, 0, 1>, ceil_mode = true, count_include_pad = false}
        : ($x) -> $a
    %b = qopt.avg_pool2d %x {kernel = array<i64: 3, 2>, strides = array<i64: 2, 3>, pads = array<i64: 1, 0, 0, 1>, ceil_mode = true, count_include_pad = true}
        : ($x) -> $b
    %c = qopt.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true}
        : ($x) -> $c
    %d = qopt.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true}
        : ($x) -> $d
    %m = qopt.max_pool2d %x {kernel = array<i64: 2, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, dilations = array<i64: 1, 2>, ceil_mode = true}
        : ($x) -> $m
    %g = qopt.global_avg_pool2d %x : ($x) -> $g
"""
case.output("a", pool(x, (3, 2), (2, 3), (1, 0, 0, 1), True, "avg", False))
case.output("b", pool(x, (3, 2), (2, 3), (1, 0, 0, 1), True, "avg", True))
case.output("c", pool(x, (3, 3), (1, 1), (1, 1, 1, 1), False, "avg", True))
case.output("d", pool(x, (2, 2), (2, 2), (0, 0, 0, 0), True, "avg", False))
case.output("m", pool(x, (2, 3), (2, 2), (1, 1, 0, 0), True, "max",
                      dilations=(1, 2)))
case.output("g", x.astype(np.float64).mean(axis=(2, 3), keepdims=True))
case.main()
