# conv2d with asymmetric padding, stride, dilation, groups and bias, and a
# depthwise conv2d, against a direct numpy evaluation of the ONNX Conv
# formula.
# RUN: %python %s mlir > %t.mlir
# RUN: %python %s expected > %t.expected
# RUN: qopt-opt %t.mlir --convert-qopt-to-linalg | %mlir_lower_to_llvm | %mlir_runner > %t.out
# RUN: %e2e_compare %t.expected %t.out

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from e2e import Case  # noqa: E402


def conv2d(x, w, b, strides, pads, dilations, group):
    """ONNX Conv: x N×C×H×W, w F×(C/group)×KH×KW, pads [t, l, b, r]."""
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    xp = np.zeros((n, c, h + pads[0] + pads[2], wd + pads[1] + pads[3]),
                  dtype=np.float64)
    xp[:, :, pads[0]:pads[0] + h, pads[1]:pads[1] + wd] = x
    oh = (xp.shape[2] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (xp.shape[3] - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    y = np.zeros((n, f, oh, ow), dtype=np.float64)
    fg = f // group
    for o in range(f):
        g = o // fg
        for i in range(oh):
            for j in range(ow):
                r0, c0 = i * strides[0], j * strides[1]
                patch = xp[:, g * cg:(g + 1) * cg,
                           r0:r0 + dilations[0] * (kh - 1) + 1:dilations[0],
                           c0:c0 + dilations[1] * (kw - 1) + 1:dilations[1]]
                y[:, o, i, j] = np.sum(patch * w[o], axis=(1, 2, 3))
        if b is not None:
            y[:, o] += b[o]
    return y


rng = np.random.default_rng(7)
case = Case()
x = case.input("x", rng.standard_normal((2, 6, 7, 8)).astype(np.float32))
w = case.input("w", rng.standard_normal((4, 3, 3, 2)).astype(np.float32))
b = case.input("b", rng.standard_normal(4).astype(np.float32))
dw = case.input("dw", rng.standard_normal((6, 1, 3, 3)).astype(np.float32))
case.body = """
    %y = qopt.conv2d %x, %w, %b {group = 2 : i64, strides = array<i64: 2, 1>, pads = array<i64: 1, 0, 2, 1>, dilations = array<i64: 1, 2>}
        : ($x, $w, $b) -> $y
    %d = qopt.conv2d %x, %dw {group = 6 : i64, strides = array<i64: 1, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
        : ($x, $dw) -> $d
    %s = qopt.conv2d %x, %w, %b {group = 2 : i64, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
        : ($x, $w, $b) -> $s
    %w1 = qopt.constant dense<0.5> : tensor<3x6x1x1xf32>
    %p = qopt.conv2d %x, %w1 {strides = array<i64: 1, 1>, pads = array<i64: 0, 1, 0, 1>, dilations = array<i64: 1, 1>}
        : ($x, tensor<3x6x1x1xf32>) -> $p
"""
case.output("y", conv2d(x, w, b, (2, 1), (1, 0, 2, 1), (1, 2), 2))
case.output("d", conv2d(x, dw, None, (1, 2), (1, 1, 1, 1), (1, 1), 6))
case.output("s", conv2d(x, w, b, (1, 1), (0, 0, 0, 0), (1, 1), 2))
case.output("p", conv2d(x, np.full((3, 6, 1, 1), 0.5, np.float32), None,
                        (1, 1), (0, 1, 0, 1), (1, 1), 1))
case.main()
