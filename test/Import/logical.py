# Comparisons, boolean ops and Where: ConvertLogical.cpp.
#
# RUN: %python %s %t
# RUN: qopt-compile %t/compare.onnx --stage=import | FileCheck %s --check-prefix=CMP
# RUN: qopt-compile %t/logical.onnx --stage=import | FileCheck %s --check-prefix=LOGIC
# RUN: qopt-compile %t/where.onnx --stage=import | FileCheck %s --check-prefix=WHERE
# RUN: not qopt-compile %t/less_uint8.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=UNSIGNED --implicit-check-not=error:

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs"))
from onnxtest import *  # noqa: E402,F401,F403

d = outdir()

nodes = [helper.make_node("Equal", ["i", "j"], ["e"]),
         helper.make_node("Less", ["x", "y"], ["l"]),
         helper.make_node("LessOrEqual", ["x", "y"], ["le"]),
         helper.make_node("Greater", ["x", "y"], ["g"]),
         helper.make_node("GreaterOrEqual", ["x", "y"], ["ge"])]
save(d, "compare", model(nodes, [vi("i", I32, [3]), vi("j", I32, [3]),
                                 vi("x", F32, [2, 3]), vi("y", F32, [3])],
                         [vi("e", BOOL, 1)] + [vi(n, BOOL, 2) for n in ["l", "le", "g", "ge"]]))
# CMP: qopt.compare eq %arg0, %arg1 : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi1>
# CMP-NEXT: qopt.compare lt %arg2, %arg3 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
# CMP-NEXT: qopt.compare le %arg2, %arg3
# CMP-NEXT: qopt.compare gt %arg2, %arg3
# CMP-NEXT: qopt.compare ge %arg2, %arg3

# Not is xor with true.
nodes = [helper.make_node("And", ["a", "b"], ["n"]),
         helper.make_node("Or", ["n", "b"], ["o"]),
         helper.make_node("Xor", ["o", "a"], ["x"]),
         helper.make_node("Not", ["x"], ["y"])]
save(d, "logical", model(nodes, [vi("a", BOOL, [2, 3]), vi("b", BOOL, [3])],
                         [vi("y", BOOL, 2)]))
# LOGIC: %[[N:.+]] = qopt.logical and %arg0, %arg1 : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
# LOGIC-NEXT: %[[O:.+]] = qopt.logical or %[[N]], %arg1
# LOGIC-NEXT: %[[X:.+]] = qopt.logical xor %[[O]], %arg0
# LOGIC-NEXT: %[[T:.+]] = qopt.constant dense<true> : tensor<i1>
# LOGIC-NEXT: qopt.logical xor %[[X]], %[[T]] : (tensor<2x3xi1>, tensor<i1>) -> tensor<2x3xi1>

single(d, "where", "Where", [vi("c", BOOL, [2, 1]), vi("x", F32, [3]),
                             vi("y", F32, [2, 3])], [vi("z", F32, 2)])
# WHERE: qopt.select %arg0, %arg1, %arg2 : (tensor<2x1xi1>, tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>

single(d, "less_uint8", "Less", [vi("x", U8, [3]), vi("y", U8, [3])],
       [vi("z", BOOL, 1)])
# UNSIGNED: error: {{.*}}less_uint8.onnx: node 'less_uint8' (#0, Less, opset 17): unsigned integer operands are not supported (qopt's integers are signless and compare as signed)
