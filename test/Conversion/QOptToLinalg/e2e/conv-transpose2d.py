# conv_transpose2d with strides, pads, dilations, output_padding, groups and
# bias, against a numpy scatter of the ONNX ConvTranspose definition:
# y[n, g·F/G + f, i·s - pad + k·d] += x[n, g·C/G + c, i] · w[g·C/G + c, f, k].
# RUN: %python %s mlir > %t.mlir
# RUN: %python %s expected > %t.expected
# RUN: qopt-opt %t.mlir --convert-qopt-to-linalg | %mlir_lower_to_llvm | %mlir_runner > %t.out
# RUN: %e2e_compare %t.expected %t.out

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from e2e import Case  # noqa: E402


def conv_transpose2d(x, w, b, strides, pads, dilations, output_padding, group):
    n, c, h, wd = x.shape
    _, fg, kh, kw = w.shape
    cg = c // group
    full = [strides[0] * (h - 1) + output_padding[0] + dilations[0] * (kh - 1) + 1,
            strides[1] * (wd - 1) + output_padding[1] + dilations[1] * (kw - 1) + 1]
    y = np.zeros((n, fg * group, full[0], full[1]))
    for ci in range(c):
        g = ci // cg
        for f in range(fg):
            for i in range(h):
                for j in range(wd):
                    for a in range(kh):
                        for bb in range(kw):
                            y[:, g * fg + f, i * strides[0] + a * dilations[0],
                              j * strides[1] + bb * dilations[1]] += \
                                x[:, ci, i, j] * w[ci, f, a, bb]
    y = y[:, :, pads[0]:full[0] - pads[2], pads[1]:full[1] - pads[3]]
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


rng = np.random.default_rng(12)
case = Case()
x = case.input("x", rng.standard_normal((2, 4, 3, 4)).astype(np.float32))
w = case.input("w", rng.standard_normal((4, 3, 3, 2)).astype(np.float32))
b = case.input("b", rng.standard_normal(6).astype(np.float32))
w1 = case.input("w1", rng.standard_normal((4, 2, 2, 2)).astype(np.float32))
case.body = """
    %y = qopt.conv_transpose2d %x, %w, %b {group = 2 : i64, strides = array<i64: 2, 3>, pads = array<i64: 1, 0, 0, 2>, dilations = array<i64: 1, 2>, output_padding = array<i64: 1, 0>}
        : ($x, $w, $b) -> $y
    %z = qopt.conv_transpose2d %x, %w1 {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>}
        : ($x, $w1) -> $z
"""
case.output("y", conv_transpose2d(x, w, b, (2, 3), (1, 0, 0, 2), (1, 2),
                                  (1, 0), 2))
case.output("z", conv_transpose2d(x, w1, None, (2, 2), (0, 0, 0, 0), (1, 1),
                                  (0, 0), 1))
case.main()
