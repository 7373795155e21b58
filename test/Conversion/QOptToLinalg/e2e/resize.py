# resize in nearest mode (every nearest_mode, with exact ties when
# downsampling by 2) and linear mode (every coordinate transform), up and
# down, against a numpy version of the ONNX Resize reference: source
# coordinates in float32 as ONNX Runtime computes them, scale = out / in,
# separable 1-D interpolation with edge-clamped neighbours.
# RUN: %python %s mlir > %t.mlir
# RUN: %python %s expected > %t.expected
# RUN: qopt-opt %t.mlir --convert-qopt-to-linalg | %mlir_lower_to_llvm | %mlir_runner > %t.out
# RUN: %e2e_compare %t.expected %t.out

import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from e2e import Case  # noqa: E402

f32 = np.float32


def source(x, n_in, n_out, transform):
    scale = f32(n_out) / f32(n_in)
    x = f32(x)
    if transform == "half_pixel":
        return (x + f32(0.5)) / scale - f32(0.5)
    if transform == "pytorch_half_pixel":
        return (x + f32(0.5)) / scale - f32(0.5) if n_out > 1 else f32(0)
    if transform == "align_corners":
        return f32(0) if n_out == 1 else x * f32(n_in - 1) / f32(n_out - 1)
    return x / scale  # asymmetric


def nearest_index(v, mode, n_in):
    v = float(v)
    fl = math.floor(v)
    tie = v - fl == 0.5
    if mode == "round_prefer_floor":
        i = fl if tie else math.floor(v + 0.5)
    elif mode == "round_prefer_ceil":
        i = fl + 1 if tie else math.floor(v + 0.5)
    elif mode == "floor":
        i = fl
    else:
        i = math.ceil(v)
    return min(max(i, 0), n_in - 1)


def resize_axis(x, axis, n_out, mode, transform, nearest):
    n_in = x.shape[axis]
    if n_in == n_out:
        return x
    slices = []
    for o in range(n_out):
        v = source(o, n_in, n_out, transform)
        if mode == "nearest":
            slices.append(np.take(x, nearest_index(v, nearest, n_in),
                                  axis=axis))
        else:
            lo = math.floor(float(v))
            r = float(v) - lo
            a = np.take(x, min(max(lo, 0), n_in - 1), axis=axis)
            b = np.take(x, min(max(lo + 1, 0), n_in - 1), axis=axis)
            slices.append((1 - r) * a + r * b)
    return np.stack(slices, axis=axis)


def resize(x, shape, mode, transform="half_pixel",
           nearest="round_prefer_floor"):
    y = x.astype(np.float64)
    for axis, n in enumerate(shape):
        y = resize_axis(y, axis, n, mode, transform, nearest)
    return y


rng = np.random.default_rng(6)
case = Case()
x = case.input("x", rng.standard_normal((1, 2, 4, 6)).astype(np.float32))
outputs = []
for i, mode in enumerate(["round_prefer_floor", "round_prefer_ceil", "floor",
                          "ceil"]):
    outputs.append(("n%d" % i, (1, 2, 2, 3), "nearest", "half_pixel", mode))
outputs += [
    ("n4", (1, 2, 7, 9), "nearest", "asymmetric", "floor"),
    ("n5", (1, 2, 8, 12), "nearest", "half_pixel", "round_prefer_floor"),
    ("n6", (1, 2, 5, 4), "nearest", "align_corners", "round_prefer_ceil"),
    ("l0", (1, 2, 8, 9), "linear", "half_pixel", None),
    ("l1", (1, 2, 1, 4), "linear", "pytorch_half_pixel", None),
    ("l2", (1, 2, 7, 11), "linear", "align_corners", None),
    ("l3", (1, 2, 3, 10), "linear", "asymmetric", None),
]
body = []
for name, shape, mode, transform, nearest in outputs:
    attrs = ["mode = #qopt<resize_mode %s>" % mode,
             "coordinate_transform = #qopt<coordinate_transform %s>"
             % transform]
    if nearest:
        attrs.append("nearest_mode = #qopt<nearest_mode %s>" % nearest)
    body.append("    %%%s = qopt.resize %%x {%s} : ($x) -> $%s"
                % (name, ", ".join(attrs), name))
    case.output(name, resize(x, shape, mode, transform,
                             nearest or "round_prefer_floor"))
case.body = "\n".join(body) + "\n"
case.main()
