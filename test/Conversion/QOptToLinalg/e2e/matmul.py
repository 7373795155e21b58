# matmul with broadcast batch dims (both operands batched, one batch dim of
# size 1 on each side, a 2-D lhs against a batched rhs, a batched lhs
# against a 2-D rhs), batch_matmul and gemm with trans_a, trans_b, alpha,
# beta and a broadcast C; against numpy.
# RUN: %python %s mlir > %t.mlir
# RUN: %python %s expected > %t.expected
# RUN: qopt-opt %t.mlir --convert-qopt-to-linalg | %mlir_lower_to_llvm | %mlir_runner > %t.out
# RUN: %e2e_compare %t.expected %t.out

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from e2e import Case  # noqa: E402

rng = np.random.default_rng(9)
case = Case()


def rand(name, *shape):
    return case.input(name, rng.standard_normal(shape).astype(np.float32))


a = rand("a", 2, 1, 3, 4)
b = rand("b", 1, 5, 4, 6)
c = rand("c", 3, 4)
d = rand("d", 5, 4, 2)
e = rand("e", 2, 3, 4)
f = rand("f", 4, 7)
p = rand("p", 3, 4, 5)
q = rand("q", 3, 5, 2)
ga = rand("ga", 4, 3)
gb = rand("gb", 5, 4)
gc = rand("gc", 5)
case.body = """
    %m1 = qopt.matmul %a, %b : ($a, $b) -> $m1
    %m2 = qopt.matmul %c, %d : ($c, $d) -> $m2
    %m3 = qopt.matmul %e, %f : ($e, $f) -> $m3
    %m4 = qopt.batch_matmul %p, %q : ($p, $q) -> $m4
    %m5 = qopt.gemm %ga, %gb, %gc {trans_a = true, trans_b = true, alpha = 0.5 : f32, beta = 2.0 : f32} : ($ga, $gb, $gc) -> $m5
    %m6 = qopt.gemm %c, %f : ($c, $f) -> $m6
"""
f64 = lambda v: v.astype(np.float64)  # noqa: E731
case.output("m1", f64(a) @ f64(b))
case.output("m2", f64(c) @ f64(d))
case.output("m3", f64(e) @ f64(f))
case.output("m4", f64(p) @ f64(q))
case.output("m5", 0.5 * (f64(ga).T @ f64(gb).T) + 2.0 * f64(gc))
case.output("m6", f64(c) @ f64(f))
case.main()
