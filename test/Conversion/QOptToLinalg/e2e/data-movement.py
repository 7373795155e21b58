# Data movement and reductions: reshape, flatten, transpose, concat, split,
# slice with positive and negative steps, pad in constant mode (with a
# cropping negative pad), reflect and edge modes, reduce mean/sum/max/min
# with and without keep_dims; against numpy.
# RUN: %python %s mlir > %t.mlir
# RUN: %python %s expected > %t.expected
# RUN: qopt-opt %t.mlir --convert-qopt-to-linalg | %mlir_lower_to_llvm | %mlir_runner > %t.out
# RUN: %e2e_compare %t.expected %t.out

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from e2e import Case  # noqa: E402

rng = np.random.default_rng(8)
case = Case()
x = case.input("x", rng.standard_normal((2, 3, 4)).astype(np.float32))
z = case.input("z", rng.standard_normal((2, 2, 4)).astype(np.float32))
body = """
    %r = qopt.reshape %x : ($x) -> $r
    %fl = qopt.flatten %x {axis = 2 : i64} : ($x) -> $fl
    %f0 = qopt.flatten %x {axis = 0 : i64} : ($x) -> $f0
    %t = qopt.transpose %x {perm = array<i64: 2, 0, 1>} : ($x) -> $t
    %c = qopt.concat %x, %z, %x {axis = 1 : i64} : ($x, $z, $x) -> $c
    %s0, %s1 = qopt.split %x {axis = 2 : i64} : ($x) -> ($s0, $s1)
    %sp = qopt.slice %x {starts = array<i64: 1, 0, 1>, ends = array<i64: 2, 3, 4>, steps = array<i64: 1, 2, 2>} : ($x) -> $sp
    %sn = qopt.slice %x {starts = array<i64: 1, 2, 3>, ends = array<i64: -1, -1, 0>, steps = array<i64: -1, -2, -1>} : ($x) -> $sn
    %pc = qopt.pad %x {pads = array<i64: 0, 1, -1, 1, 0, 2>, value = 1.5 : f64} : ($x) -> $pc
    %pr = qopt.pad %x {pads = array<i64: 0, 2, 3, 0, 1, 2>, mode = #qopt<pad_mode reflect>} : ($x) -> $pr
    %pe = qopt.pad %x {pads = array<i64: 1, 0, 2, 1, 3, 0>, mode = #qopt<pad_mode edge>} : ($x) -> $pe
    %mean = qopt.reduce mean %x {axes = array<i64: 0, 2>, keep_dims = true} : ($x) -> $mean
    %sum = qopt.reduce sum %x {axes = array<i64: 1>, keep_dims = false} : ($x) -> $sum
    %max = qopt.reduce max %x {axes = array<i64: 0, 1, 2>, keep_dims = false} : ($x) -> $max
    %min = qopt.reduce min %x {axes = array<i64: 2>} : ($x) -> $min
"""
case.body = body
X = x.astype(np.float64)
case.output("r", X.reshape(4, 6))
case.output("fl", X.reshape(6, 4))
case.output("f0", X.reshape(1, 24))
case.output("t", X.transpose(2, 0, 1))
case.output("c", np.concatenate([X, z, X], axis=1))
case.output("s0", X[:, :, :1])
case.output("s1", X[:, :, 1:])
case.output("sp", X[1:2, 0:3:2, 1:4:2])
case.output("sn", X[1::-1, 2::-2, 3:0:-1])
case.output("pc", np.pad(X[:, :, 1:], ((0, 1), (1, 0), (0, 2)),
                         constant_values=1.5))
case.output("pr", np.pad(X, ((0, 0), (2, 1), (3, 2)), mode="reflect"))
case.output("pe", np.pad(X, ((1, 1), (0, 3), (2, 0)), mode="edge"))
case.output("mean", X.mean(axis=(0, 2), keepdims=True))
case.output("sum", X.sum(axis=1))
case.output("max", X.max())
case.output("min", X.min(axis=2, keepdims=True))
case.main()
