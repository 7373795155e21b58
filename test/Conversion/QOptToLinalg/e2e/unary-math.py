# qopt.unary (every function), qopt.reduce prod and qopt.arg_reduce against
# numpy: round at ties (half to even), sign of zero, softplus where e^x
# overflows float32, thresholded_relu at its threshold, and arg_reduce at
# ties (first index, or the last with select_last_index).
# RUN: %python %s mlir > %t.mlir
# RUN: %python %s expected > %t.expected
# RUN: qopt-opt %t.mlir --convert-qopt-to-linalg | %mlir_lower_to_llvm | %mlir_runner > %t.out
# RUN: %e2e_compare %t.expected %t.out

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from e2e import Case  # noqa: E402

rng = np.random.default_rng(11)
case = Case()
ties = [-2.5, -1.5, -0.5, 0.0, 0.5, 1.5, 2.5, 3.5, -3.5, 0.49999997]
x = case.input("x", np.concatenate(
    [np.array(ties), rng.uniform(-4, 4, 14)]).astype(np.float32).reshape(4, 6))
u = case.input("u", rng.uniform(-0.99, 0.99, (2, 5)).astype(np.float32))
g = case.input("g", rng.uniform(1.0, 6.0, (2, 5)).astype(np.float32))
big = case.input("big", np.array([-30, -20, -1, 0, 1, 20, 88, 100],
                                 np.float32))
X, U, G, B = (v.astype(np.float64) for v in (x, u, g, big))


def softplus(v):
    return np.logaddexp(0.0, v)  # stable where e^v overflows


f32 = np.float32
selu_a, selu_g = 1.67326319217681884765625, 1.05070102214813232421875
on_x = {
    "floor": ("floor", np.floor(X)),
    "ceil": ("ceil", np.ceil(X)),
    "round": ("round", np.round(X)),          # numpy rounds half to even
    "sign": ("sign", np.sign(X)),
    "sin": ("sin", np.sin(X)),
    "cos": ("cos", np.cos(X)),
    "tan": ("tan", np.tan(X)),
    "atan": ("atan", np.arctan(X)),
    "sinh": ("sinh", np.sinh(X)),
    "cosh": ("cosh", np.cosh(X)),
    "asinh": ("asinh", np.arcsinh(X)),
    "softsign": ("softsign", X / (1 + np.abs(X))),
    "mish": ("mish", X * np.tanh(softplus(X))),
    "elu": ("elu {alpha = 2.0 : f32}", np.where(X < 0, 2 * np.expm1(X), X)),
    "elu_default": ("elu", np.where(X < 0, np.expm1(X), X)),
    "selu": ("selu", selu_g * np.where(X > 0, X, selu_a * np.expm1(X))),
    "selu_attrs": ("selu {alpha = 2.0 : f32, gamma = 3.0 : f32}",
                   3 * np.where(X > 0, X, 2 * np.expm1(X))),
    "celu": ("celu {alpha = 1.5 : f32}",
             np.maximum(0, X) + np.minimum(0, 1.5 * np.expm1(X / 1.5))),
    # x > alpha: the input 0.5 sits on the threshold and gives 0.
    "thresholded_relu": ("thresholded_relu {alpha = 0.5 : f32}",
                         np.where(X > 0.5, X, 0.0)),
}
body = []
for name, (fn, expected) in on_x.items():
    fn_name, _, attrs = fn.partition(" ")
    body.append("    %%%s = qopt.unary %s %%x %s : ($x) -> $%s"
                % (name, fn_name, attrs, name))
    case.output(name, expected)
for name, src, expected in [("asin", "u", np.arcsin(U)),
                            ("acos", "u", np.arccos(U)),
                            ("atanh", "u", np.arctanh(U)),
                            ("acosh", "g", np.arccosh(G)),
                            ("softplus", "big", softplus(B)),
                            ("mish_big", "big", B * np.tanh(softplus(B)))]:
    fn = "mish" if name == "mish_big" else name
    body.append("    %%%s = qopt.unary %s %%%s : ($%s) -> $%s"
                % (name, fn, src, src, name))
    case.output(name, expected)

# reduce prod over both axes of x's rows.
body.append("    %prod = qopt.reduce prod %x {axes = array<i64: 1>, "
            "keep_dims = false} : ($x) -> $prod")
case.output("prod", np.prod(X, axis=1))

# arg_reduce with ties; the i64 indices are cast to f32 for printing.
t = case.input("t", np.array([[1, 3, 3, 0], [-1, -1, -2, -2],
                              [5, 5, 5, 5]], np.float32))
T = t.astype(np.float64)


def last(fn, v):
    flipped = v[:, ::-1]
    return v.shape[1] - 1 - fn(flipped, axis=1)


for name, kind, sel, expected in [
        ("amax", "max", False, np.argmax(T, axis=1)),
        ("amax_last", "max", True, last(np.argmax, T)),
        ("amin", "min", False, np.argmin(T, axis=1)),
        ("amin_last", "min", True, last(np.argmin, T))]:
    body.append("    %%%s_i = qopt.arg_reduce %s %%t {axis = 1 : i64, "
                "keep_dims = false, select_last_index = %s} : ($t) -> "
                "tensor<3xi64>" % (name, kind, "true" if sel else "false"))
    body.append("    %%%s = qopt.cast %%%s_i : (tensor<3xi64>) -> $%s"
                % (name, name, name))
    case.output(name, expected)
body.append("    %amax_keep_i = qopt.arg_reduce max %t {axis = 0 : i64} : "
            "($t) -> tensor<1x4xi64>")
body.append("    %amax_keep = qopt.cast %amax_keep_i : (tensor<1x4xi64>) -> "
            "$amax_keep")
case.output("amax_keep", np.argmax(T, axis=0)[None, :])
case.body = "\n".join(body) + "\n"
case.main()
