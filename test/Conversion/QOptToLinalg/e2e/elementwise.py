# Every unary activation and binary op of the qopt dialect with numpy
# broadcasting, and cast (float to int truncates towards zero), against
# numpy (erf from Python's math module).
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

rng = np.random.default_rng(4)
case = Case()
x = case.input("x", (rng.standard_normal((3, 1, 5)) * 3).astype(np.float32))
y = case.input("y", (rng.standard_normal((4, 1)) * 3).astype(np.float32))
p = case.input("p", rng.uniform(0.1, 3.0, (3, 4, 5)).astype(np.float32))
X = x.astype(np.float64)
Y = y.astype(np.float64)
erf = np.vectorize(math.erf)

unary = {
    "neg": ("qopt.neg", -X),
    "abs": ("qopt.abs", np.abs(X)),
    "relu": ("qopt.relu", np.maximum(X, 0)),
    "sigmoid": ("qopt.sigmoid", 1 / (1 + np.exp(-X))),
    "tanh": ("qopt.tanh", np.tanh(X)),
    "erf": ("qopt.erf", erf(X)),
    "exp": ("qopt.exp", np.exp(X)),
    "hard_swish": ("qopt.hard_swish", X * np.clip(X / 6 + 0.5, 0, 1)),
    "hard_sigmoid": ("qopt.hard_sigmoid {alpha = 0.3 : f32, beta = 0.4 : f32}",
                     np.clip(np.float32(0.3) * X + np.float32(0.4), 0, 1)),
    "leaky_relu": ("qopt.leaky_relu {alpha = 0.1 : f32}",
                   np.where(X < 0, np.float32(0.1) * X, X)),
    "clamp": ("qopt.clamp {min = -1.5 : f32, max = 2.0 : f32}",
              np.clip(X, -1.5, 2.0)),
    "clamp_lo": ("qopt.clamp {min = 0.0 : f32, max = 0x7F800000 : f32}",
                 np.maximum(X, 0)),
    "gelu": ("qopt.gelu", 0.5 * X * (1 + erf(X / math.sqrt(2)))),
    "gelu_tanh": ("qopt.gelu {approximation = #qopt<gelu_approximation tanh>}",
                  0.5 * X * (1 + np.tanh(math.sqrt(2 / math.pi)
                                         * (X + 0.044715 * X ** 3)))),
}
binary = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply,
    "div": np.divide, "max": np.maximum, "min": np.minimum,
}
body = []
for name, (op, expected) in unary.items():
    mnemonic, _, attrs = op.partition(" ")
    body.append("    %%%s = %s %%x %s : ($x) -> $%s" % (name, mnemonic, attrs,
                                                         name))
    case.output(name, expected)
for name, fn in binary.items():
    body.append("    %%b_%s = qopt.%s %%x, %%y : ($x, $y) -> $b_%s"
                % (name, name, name))
    case.output("b_" + name, fn(X, Y))
# sqrt, log, reciprocal and pow on positive inputs.
P = p.astype(np.float64)
body.append("    %sqrt = qopt.sqrt %p : ($p) -> $sqrt")
case.output("sqrt", np.sqrt(P))
body.append("    %log = qopt.log %p : ($p) -> $log")
case.output("log", np.log(P))
body.append("    %rcp = qopt.reciprocal %p : ($p) -> $rcp")
case.output("rcp", 1 / P)
body.append("    %pow = qopt.pow %p, %x : ($p, $x) -> $pow")
case.output("pow", P ** X)
# float -> i32 truncates towards zero, i32 -> float is exact here.
body.append("    %i = qopt.cast %x : ($x) -> tensor<3x1x5xi32>")
body.append("    %cast = qopt.cast %i : (tensor<3x1x5xi32>) -> $cast")
case.output("cast", np.trunc(X))
case.body = "\n".join(body) + "\n"
case.main()
