# Elementwise ops and activations: ConvertElementwise.cpp.
#
# RUN: %python %s %t
# RUN: qopt-compile %t/add.onnx --stage=import | FileCheck %s --check-prefix=ADD
# RUN: qopt-compile %t/binary.onnx --stage=import | FileCheck %s --check-prefix=BINARY
# RUN: qopt-compile %t/max3.onnx --stage=import | FileCheck %s --check-prefix=MAX3
# RUN: qopt-compile %t/min1.onnx --stage=import | FileCheck %s --check-prefix=MIN1
# RUN: qopt-compile %t/unary.onnx --stage=import | FileCheck %s --check-prefix=UNARY
# RUN: qopt-compile %t/hardswish.onnx --stage=import | FileCheck %s --check-prefix=HARDSWISH
# RUN: qopt-compile %t/identity.onnx --stage=import | FileCheck %s --check-prefix=IDENTITY
# RUN: qopt-compile %t/dropout_opset7.onnx --stage=import | FileCheck %s --check-prefix=DROPOUT7
# RUN: qopt-compile %t/dropout_opset13.onnx --stage=import | FileCheck %s --check-prefix=DROPOUT13
# RUN: qopt-compile %t/dropout_mask.onnx --stage=import | FileCheck %s --check-prefix=DROPOUT-MASK
# RUN: not qopt-compile %t/dropout_training.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=DROPOUT-TRAIN --implicit-check-not=error:
# RUN: qopt-compile %t/clip_opset7.onnx --stage=import | FileCheck %s --check-prefix=CLIP7
# RUN: qopt-compile %t/clip_nobounds.onnx --stage=import | FileCheck %s --check-prefix=CLIP-NONE
# RUN: qopt-compile %t/clip_max_only.onnx --stage=import | FileCheck %s --check-prefix=CLIP-MAX
# RUN: qopt-compile %t/clip_both.onnx --stage=import | FileCheck %s --check-prefix=CLIP-BOTH
# RUN: not qopt-compile %t/clip_dynamic.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=CLIP-DYN --implicit-check-not=error:
# RUN: qopt-compile %t/hardsigmoid_default.onnx --stage=import | FileCheck %s --check-prefix=HSIG-DEFAULT
# RUN: qopt-compile %t/hardsigmoid_attrs.onnx --stage=import | FileCheck %s --check-prefix=HSIG-ATTRS
# RUN: qopt-compile %t/leakyrelu_default.onnx --stage=import | FileCheck %s --check-prefix=LEAKY-DEFAULT
# RUN: qopt-compile %t/leakyrelu_alpha.onnx --stage=import | FileCheck %s --check-prefix=LEAKY-ALPHA
# RUN: qopt-compile %t/softmax_default.onnx --stage=import | FileCheck %s --check-prefix=SOFTMAX-DEFAULT
# RUN: qopt-compile %t/softmax_axis.onnx --stage=import | FileCheck %s --check-prefix=SOFTMAX-AXIS
# RUN: qopt-compile %t/softmax_opset11.onnx --stage=import | FileCheck %s --check-prefix=SOFTMAX11
# RUN: qopt-compile %t/softmax_opset11_last.onnx --stage=import | FileCheck %s --check-prefix=SOFTMAX11-LAST
# RUN: not qopt-compile %t/add_int.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=ADD-INT --implicit-check-not=error:

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs"))
from onnxtest import *  # noqa: E402,F401,F403

d = outdir()
x23 = vi("x", F32, [2, 3])

# Add broadcasts numpy-style; the result type comes from shape inference.
single(d, "add", "Add", [x23, vi("y", F32, [3])], [vi("z", F32, 2)])
# ADD-LABEL: func.func @main(%arg0: tensor<2x3xf32> {qopt.name = "x"}, %arg1: tensor<3xf32> {qopt.name = "y"}) -> (tensor<2x3xf32> {qopt.name = "z"})
# ADD-NEXT: %[[R:.*]] = qopt.add %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
# ADD-NEXT: return %[[R]] : tensor<2x3xf32>

# The other binary ops, chained, with a constant operand (an initializer).
nodes = [helper.make_node("Sub", ["x", "c"], ["s"]),
         helper.make_node("Mul", ["s", "x"], ["m"]),
         helper.make_node("Div", ["m", "c"], ["q"]),
         helper.make_node("Pow", ["q", "c"], ["p"])]
save(d, "binary", model(nodes, [vi("x", F32, [1, 4])], [vi("p", F32, 2)],
                        [init("c", np.full([4], 2.0, np.float32))]))
# BINARY: %[[C:.*]] = qopt.constant dense<2.000000e+00> : tensor<4xf32>
# BINARY: %[[S:.*]] = qopt.sub %arg0, %[[C]] : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
# BINARY: %[[M:.*]] = qopt.mul %[[S]], %arg0 : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
# BINARY: %[[Q:.*]] = qopt.div %[[M]], %[[C]] : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
# BINARY: qopt.pow %[[Q]], %[[C]] : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>

# Max with three inputs folds pairwise, broadcasting each step.
single(d, "max3", "Max", [vi("a", F32, [3]), vi("b", F32, [2, 1]),
                          vi("c", F32, [1, 1, 3])], [vi("y", F32, 3)])
# MAX3: %[[AB:.*]] = qopt.max %arg0, %arg1 : (tensor<3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
# MAX3: qopt.max %[[AB]], %arg2 : (tensor<2x3xf32>, tensor<1x1x3xf32>) -> tensor<1x2x3xf32>

# Min of a single input is that input.
single(d, "min1", "Min", [x23], [vi("y", F32, 2)])
# MIN1-NOT: qopt.min
# MIN1: return %arg0 : tensor<2x3xf32>

unary_ops = ["Neg", "Abs", "Sqrt", "Exp", "Log", "Reciprocal", "Relu",
             "Sigmoid", "Tanh", "Erf"]
nodes, prev = [], "x"
for i, op in enumerate(unary_ops):
    nodes.append(helper.make_node(op, [prev], ["u%d" % i]))
    prev = "u%d" % i
save(d, "unary", model(nodes, [x23], [vi(prev, F32, 2)]))
# UNARY: qopt.neg %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
# UNARY-NEXT: qopt.abs
# UNARY-NEXT: qopt.sqrt
# UNARY-NEXT: qopt.exp
# UNARY-NEXT: qopt.log
# UNARY-NEXT: qopt.reciprocal
# UNARY-NEXT: qopt.relu
# UNARY-NEXT: qopt.sigmoid
# UNARY-NEXT: qopt.tanh
# UNARY-NEXT: qopt.erf {{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>

# HardSwish exists from opset 14.
single(d, "hardswish", "HardSwish", [x23], [vi("y", F32, 2)], opset=14)
# HARDSWISH: qopt.hard_swish %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>

single(d, "identity", "Identity", [x23], [vi("y", F32, 2)])
# IDENTITY: return %arg0 : tensor<2x3xf32>

# Dropout is the identity at inference: opset 7 (ratio attribute) and 13
# (ratio input).
single(d, "dropout_opset7", "Dropout", [x23], [vi("y", F32, 2)], opset=7,
       attrs={"ratio": 0.3})
# DROPOUT7: func.func @main(%arg0: tensor<2x3xf32> {qopt.name = "x"}) -> (tensor<2x3xf32> {qopt.name = "y"})
# DROPOUT7-NEXT: return %arg0 : tensor<2x3xf32>
single(d, "dropout_opset13", "Dropout", [x23], [vi("y", F32, 2)], opset=13,
       initializers=[init("ratio", np.array(0.5, np.float32))])
# DROPOUT13: func.func @main(%arg0: tensor<2x3xf32> {qopt.name = "x"}) -> (tensor<2x3xf32> {qopt.name = "y"})
# DROPOUT13-NEXT: return %arg0 : tensor<2x3xf32>
single(d, "dropout_mask", "Dropout", [x23], [vi("y", F32, 2), vi("mask", BOOL, 2)],
       opset=13)
# Outside training mode the mask is all true.
# DROPOUT-MASK: %[[M:.+]] = qopt.constant dense<true> : tensor<2x3xi1>
# DROPOUT-MASK-NEXT: return %arg0, %[[M]] : tensor<2x3xf32>, tensor<2x3xi1>
single(d, "dropout_training", "Dropout", [x23], [vi("y", F32, 2), vi("mask", BOOL, 2)],
       opset=13, initializers=[init("ratio", np.array(0.5, np.float32)),
                               init("training", np.array(True))])
# DROPOUT-TRAIN: error: {{.*}}dropout_training.onnx: node 'dropout_training' (#0, Dropout, opset 17): training_mode=true (random dropout) is not supported

# Clip: opset 7 has min/max attributes (the version converter turns them into
# inputs); from opset 11 both bounds are optional inputs and a missing one
# is unbounded.
single(d, "clip_opset7", "Clip", [x23], [vi("y", F32, 2)], opset=7,
       attrs={"min": -1.5, "max": 6.0})
# CLIP7: qopt.clamp %arg0 {max = 6.000000e+00 : f32, min = -1.500000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
single(d, "clip_nobounds", "Clip", [x23], [vi("y", F32, 2)], opset=11)
# CLIP-NONE: qopt.clamp %arg0 {max = 0x7F800000 : f32, min = 0xFF800000 : f32}
single(d, "clip_max_only", "Clip", [x23], [vi("y", F32, 2)], opset=13,
       node_inputs=["x", "", "hi"],
       initializers=[init("hi", np.array(6.0, np.float32))])
# CLIP-MAX: qopt.clamp %arg0 {max = 6.000000e+00 : f32, min = 0xFF800000 : f32}
single(d, "clip_both", "Clip", [x23], [vi("y", F32, 2)], opset=13,
       initializers=[init("lo", np.array(0.0, np.float32)),
                     init("hi", np.array(1.0, np.float32))])
# CLIP-BOTH: qopt.clamp %arg0 {max = 1.000000e+00 : f32, min = 0.000000e+00 : f32}
# A bound computed at run time cannot become an attribute (one error line,
# though both bounds are run-time values).
single(d, "clip_dynamic", "Clip", [x23, vi("lo", F32, []), vi("hi", F32, [])],
       [vi("y", F32, 2)],
       opset=13)
# CLIP-DYN: error: {{.*}}clip_dynamic.onnx: node 'clip_dynamic' (#0, Clip, opset 17): input 'min' must be a constant

# HardSigmoid defaults alpha=0.2, beta=0.5; LeakyRelu defaults alpha=0.01.
# Default-valued attributes are elided when printed.
single(d, "hardsigmoid_default", "HardSigmoid", [x23], [vi("y", F32, 2)])
# HSIG-DEFAULT: qopt.hard_sigmoid %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
single(d, "hardsigmoid_attrs", "HardSigmoid", [x23], [vi("y", F32, 2)],
       opset=7, attrs={"alpha": 0.25, "beta": 0.75})
# HSIG-ATTRS: qopt.hard_sigmoid %arg0 {alpha = 2.500000e-01 : f32, beta = 7.500000e-01 : f32}
single(d, "leakyrelu_default", "LeakyRelu", [x23], [vi("y", F32, 2)])
# LEAKY-DEFAULT: qopt.leaky_relu %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
single(d, "leakyrelu_alpha", "LeakyRelu", [x23], [vi("y", F32, 2)], opset=11,
       attrs={"alpha": 0.2})
# LEAKY-ALPHA: qopt.leaky_relu %arg0 {alpha = 2.000000e-01 : f32}

# Softmax: axis defaults to -1 from opset 13, normalised to rank-1.
x234 = vi("x", F32, [2, 3, 4])
single(d, "softmax_default", "Softmax", [x234], [vi("y", F32, 3)], opset=13)
# SOFTMAX-DEFAULT: qopt.softmax %arg0 {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
single(d, "softmax_axis", "Softmax", [x234], [vi("y", F32, 3)],
       attrs={"axis": -2})
# SOFTMAX-AXIS: qopt.softmax %arg0 {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
# Before opset 13 Softmax flattens the input at `axis` (default 1) and
# normalises over everything after it; the converter spells that out.
single(d, "softmax_opset11", "Softmax", [x234], [vi("y", F32, 3)], opset=11)
# SOFTMAX11: %[[F:.*]] = qopt.flatten %arg0 {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
# SOFTMAX11-NEXT: %[[S:.*]] = qopt.softmax %[[F]] {axis = 1 : i64} : (tensor<2x12xf32>) -> tensor<2x12xf32>
# SOFTMAX11-NEXT: %[[R:.*]] = qopt.reshape %[[S]] : (tensor<2x12xf32>) -> tensor<2x3x4xf32>
# SOFTMAX11-NEXT: return %[[R]]
single(d, "softmax_opset11_last", "Softmax", [x234], [vi("y", F32, 3)],
       opset=11, attrs={"axis": 2})
# SOFTMAX11-LAST-NOT: qopt.flatten
# SOFTMAX11-LAST: qopt.softmax %arg0 {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
# SOFTMAX11-LAST-NOT: qopt.reshape

# Integer arithmetic on run-time values has no qopt compute op.
single(d, "add_int", "Add", [vi("a", I32, [4]), vi("b", I32, [4])],
       [vi("c", I32, 1)])
# ADD-INT: error: {{.*}}add_int.onnx: node 'add_int' (#0, Add, opset 17): computes on i32 tensors; qopt's compute ops take float or quantized tensors
