# qopt.compare (floats with equal values and NaN, signed integers with
# negatives), qopt.logical and qopt.select against numpy. The i1 results are
# printed through select(c, 1, 0).
# RUN: %python %s mlir > %t.mlir
# RUN: %python %s expected > %t.expected
# RUN: qopt-opt %t.mlir --convert-qopt-to-linalg | %mlir_lower_to_llvm | %mlir_runner > %t.out
# RUN: %e2e_compare %t.expected %t.out

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from e2e import Case  # noqa: E402

case = Case()
# `a` holds a NaN, which the e2e helper's literals cannot spell: it is
# written here with its hex bit pattern.
a = np.array([[1.0, 2.0, np.nan, -0.0], [3.0, -1.0, 5.0, 0.0]], np.float32)
A_DEF = ("    %a = qopt.constant dense<[[1.0, 2.0, 0x7FC00000, -0.0], "
         "[3.0, -1.0, 5.0, 0.0]]> : tensor<2x4xf32>")
b = case.input("b", np.array([2.0, 2.0, 1.0, 0.0], np.float32))
i = case.input("i", np.array([-3, 0, 7, -128], np.int32))
j = case.input("j", np.array([[-3], [5]], np.int32))
one = case.input("one", np.ones((2, 4), np.float32))
zero = case.input("zero", np.zeros((2, 4), np.float32))

body = [A_DEF]
preds = {"eq": np.equal, "lt": np.less, "le": np.less_equal,
         "gt": np.greater, "ge": np.greater_equal}
for name, fn in preds.items():
    body.append("    %%f_%s_c = qopt.compare %s %%a, %%b : (tensor<2x4xf32>, $b) -> tensor<2x4xi1>"
                % (name, name))
    body.append("    %%f_%s = qopt.select %%f_%s_c, %%one, %%zero : "
                "(tensor<2x4xi1>, $one, $zero) -> $f_%s" % (name, name, name))
    with np.errstate(invalid="ignore"):
        case.output("f_" + name, fn(a, b).astype(np.float32))
    body.append("    %%i_%s_c = qopt.compare %s %%i, %%j : ($i, $j) -> tensor<2x4xi1>"
                % (name, name))
    body.append("    %%i_%s = qopt.select %%i_%s_c, %%one, %%zero : "
                "(tensor<2x4xi1>, $one, $zero) -> $i_%s" % (name, name, name))
    case.output("i_" + name, fn(i, j).astype(np.float32))

# logical ops on the float comparisons; select between a and b.
lt, eq = np.less(a, b), np.equal(a, b)
for name, fn in {"and": np.logical_and, "or": np.logical_or,
                 "xor": np.logical_xor}.items():
    body.append("    %%l_%s_c = qopt.logical %s %%f_lt_c, %%f_eq_c : "
                "(tensor<2x4xi1>, tensor<2x4xi1>) -> tensor<2x4xi1>" % (name, name))
    body.append("    %%l_%s = qopt.select %%l_%s_c, %%one, %%zero : "
                "(tensor<2x4xi1>, $one, $zero) -> $l_%s" % (name, name, name))
    case.output("l_" + name, fn(lt, eq).astype(np.float32))
body.append("    %sel = qopt.select %f_le_c, %a, %b : (tensor<2x4xi1>, tensor<2x4xf32>, $b) -> $sel")
with np.errstate(invalid="ignore"):
    case.output("sel", np.where(np.less_equal(a, b), a, b))
case.body = "\n".join(body) + "\n"
case.main()
