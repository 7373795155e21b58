# layer_norm over the last one and two dims (with and without bias, and a
# non-default epsilon that matters: inputs with a tiny variance) and
# batch_norm, against numpy's (x - mean) / sqrt(var + eps) · scale + bias
# with the biased variance.
# RUN: %python %s mlir > %t.mlir
# RUN: %python %s expected > %t.expected
# RUN: qopt-opt %t.mlir --convert-qopt-to-linalg | %mlir_lower_to_llvm | %mlir_runner > %t.out
# RUN: %e2e_compare %t.expected %t.out

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from e2e import Case  # noqa: E402


def layer_norm(x, scale, bias, axis, eps):
    x = x.astype(np.float64)
    dims = tuple(range(axis, x.ndim))
    mean = x.mean(axis=dims, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=dims, keepdims=True)
    y = (x - mean) / np.sqrt(var + eps) * scale
    return y + bias if bias is not None else y


def batch_norm(x, scale, bias, mean, var, eps):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    r = lambda v: v.astype(np.float64).reshape(shape)  # noqa: E731
    return (x - r(mean)) / np.sqrt(r(var) + eps) * r(scale) + r(bias)


rng = np.random.default_rng(5)
case = Case()
x = case.input("x", (rng.standard_normal((2, 3, 8)) * 3 + 1).astype(np.float32))
g = case.input("g", rng.standard_normal(8).astype(np.float32))
b = case.input("b", rng.standard_normal(8).astype(np.float32))
g2 = case.input("g2", rng.standard_normal((3, 8)).astype(np.float32))
t = case.input("t", (rng.standard_normal((2, 4)) * 1e-3).astype(np.float32))
g4 = case.input("g4", np.ones(4, np.float32))
xb = case.input("xb", rng.standard_normal((2, 3, 4, 5)).astype(np.float32))
s = case.input("s", rng.standard_normal(3).astype(np.float32))
o = case.input("o", rng.standard_normal(3).astype(np.float32))
m = case.input("m", rng.standard_normal(3).astype(np.float32))
v = case.input("v", rng.uniform(0.5, 2.0, 3).astype(np.float32))
case.body = """
    %l1 = qopt.layer_norm %x, %g, %b {axis = 2 : i64} : ($x, $g, $b) -> $l1
    %l2 = qopt.layer_norm %x, %g2 {axis = 1 : i64, epsilon = 1.0e-3 : f32} : ($x, $g2) -> $l2
    %l3 = qopt.layer_norm %t, %g4 {axis = 1 : i64, epsilon = 1.0e-6 : f32} : ($t, $g4) -> $l3
    %bn = qopt.batch_norm %xb, %s, %o, %m, %v {epsilon = 1.0e-2 : f32} : ($xb, $s, $o, $m, $v) -> $bn
"""
case.output("l1", layer_norm(x, g, b, 2, 1e-5))
case.output("l2", layer_norm(x, g2, None, 1, np.float32(1e-3)))
case.output("l3", layer_norm(t, g4, None, 1, np.float32(1e-6)))
case.output("bn", batch_norm(xb, s, o, m, v, np.float32(1e-2)))
case.main()
