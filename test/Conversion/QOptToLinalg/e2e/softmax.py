# softmax over an inner and the last axis, with large logits that overflow
# exp() unless the maximum is subtracted first; against numpy.
# RUN: %python %s mlir > %t.mlir
# RUN: %python %s expected > %t.expected
# RUN: qopt-opt %t.mlir --convert-qopt-to-linalg | %mlir_lower_to_llvm | %mlir_runner > %t.out
# RUN: %e2e_compare %t.expected %t.out

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from e2e import Case  # noqa: E402


def softmax(x, axis):
    x = x.astype(np.float64)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


rng = np.random.default_rng(11)
case = Case()
x = case.input("x", (rng.standard_normal((2, 5, 7)) * 4).astype(np.float32))
big = case.input("big", np.array([[1000.0, 999.0, 990.0, -1000.0],
                                  [-5.0, 0.0, 5.0, 88.0]], np.float32))
case.body = """
    %s1 = qopt.softmax %x {axis = 1 : i64} : ($x) -> $s1
    %s2 = qopt.softmax %x {axis = 2 : i64} : ($x) -> $s2
    %s3 = qopt.softmax %big {axis = 1 : i64} : ($big) -> $s3
"""
case.output("s1", softmax(x, 1))
case.output("s2", softmax(x, 2))
case.output("s3", softmax(big, 1))
case.main()
