# gather along the first, a middle and the last axis with negative indices
# (they count from the end of the axis), scalar and 2-D indices, i32 and
# i64; against numpy's take.
# RUN: %python %s mlir > %t.mlir
# RUN: %python %s expected > %t.expected
# RUN: qopt-opt %t.mlir --convert-qopt-to-linalg | %mlir_lower_to_llvm | %mlir_runner > %t.out
# RUN: %e2e_compare %t.expected %t.out

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from e2e import Case  # noqa: E402

rng = np.random.default_rng(2)
case = Case()
data = case.input("data", rng.standard_normal((4, 5, 6)).astype(np.float32))
i0 = case.input("i0", np.array([[0, -1], [3, -4], [2, 1]], np.int64))
i1 = case.input("i1", np.array([-5, 4, -1, 0], np.int32))
i2 = case.input("i2", np.array(-2, np.int64))
case.body = """
    %g0 = qopt.gather %data, %i0 {axis = 0 : i64} : ($data, $i0) -> $g0
    %g1 = qopt.gather %data, %i1 {axis = 1 : i64} : ($data, $i1) -> $g1
    %g2 = qopt.gather %data, %i2 {axis = 2 : i64} : ($data, $i2) -> $g2
"""
case.output("g0", np.take(data, i0, axis=0))
case.output("g1", np.take(data, i1, axis=1))
case.output("g2", np.take(data, i2, axis=2))
case.main()
