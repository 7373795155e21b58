# The unary math ops (qopt.unary), LogSoftmax, Sum/Mean, PRelu, the Reduce*
# compositions, ArgMax/ArgMin, LayerNormalization's statistics outputs and
# DepthToSpace/SpaceToDepth: ConvertElementwise.cpp, ConvertReduction.cpp,
# ConvertNeuralNet.cpp, ConvertDataMovement.cpp.
#
# RUN: %python %s %t
# RUN: qopt-compile %t/unary_math.onnx --stage=import | FileCheck %s --check-prefix=MATH
# RUN: qopt-compile %t/activations.onnx --stage=import | FileCheck %s --check-prefix=ACT
# RUN: not qopt-compile %t/celu_zero.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=CELU0 --implicit-check-not=error:
# RUN: qopt-compile %t/logsoftmax.onnx --stage=import | FileCheck %s --check-prefix=LOGSM
# RUN: qopt-compile %t/sum_mean.onnx --stage=import | FileCheck %s --check-prefix=SUMMEAN
# RUN: qopt-compile %t/prelu.onnx --stage=import | FileCheck %s --check-prefix=PRELU
# RUN: qopt-compile %t/reduce_composite.onnx --stage=import | FileCheck %s --check-prefix=RED
# RUN: qopt-compile %t/reduce_lse.onnx --stage=import | FileCheck %s --check-prefix=LSE
# RUN: qopt-compile %t/reduce_noop.onnx --stage=import | FileCheck %s --check-prefix=NOOP
# RUN: qopt-compile %t/argmax.onnx --stage=import | FileCheck %s --check-prefix=ARGMAX
# RUN: not qopt-compile %t/argmax_int.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=ARGMAX-INT --implicit-check-not=error:
# RUN: qopt-compile %t/layernorm_stats.onnx --stage=import | FileCheck %s --check-prefix=LNSTATS
# RUN: qopt-compile %t/pow_int.onnx --stage=import | FileCheck %s --check-prefix=POWINT
# RUN: not qopt-compile %t/pow_uint.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=POWUINT --implicit-check-not=error:
# RUN: qopt-compile %t/depth_to_space.onnx --stage=import | FileCheck %s --check-prefix=D2S
# RUN: qopt-compile %t/depth_to_space_crd.onnx --stage=import | FileCheck %s --check-prefix=D2S-CRD
# RUN: qopt-compile %t/space_to_depth.onnx --stage=import | FileCheck %s --check-prefix=S2D
# RUN: not qopt-compile %t/space_to_depth_odd.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=S2D-ODD --implicit-check-not=error:

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs"))
from onnxtest import *  # noqa: E402,F401,F403

d = outdir()
x23 = vi("x", F32, [2, 3])

# One ONNX op, one qopt.unary function.
ops = ["Floor", "Ceil", "Round", "Sign", "Sin", "Cos", "Tan", "Asin", "Acos",
       "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Softplus", "Softsign"]
nodes, prev = [], "x"
for i, op in enumerate(ops):
    nodes.append(helper.make_node(op, [prev], ["u%d" % i]))
    prev = "u%d" % i
save(d, "unary_math", model(nodes, [x23], [vi(prev, F32, 2)]))
# MATH: qopt.unary floor %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
# MATH-NEXT: qopt.unary ceil
# MATH-NEXT: qopt.unary round
# MATH-NEXT: qopt.unary sign
# MATH-NEXT: qopt.unary sin
# MATH-NEXT: qopt.unary cos
# MATH-NEXT: qopt.unary tan
# MATH-NEXT: qopt.unary asin
# MATH-NEXT: qopt.unary acos
# MATH-NEXT: qopt.unary atan
# MATH-NEXT: qopt.unary sinh
# MATH-NEXT: qopt.unary cosh
# MATH-NEXT: qopt.unary asinh
# MATH-NEXT: qopt.unary acosh
# MATH-NEXT: qopt.unary atanh
# MATH-NEXT: qopt.unary softplus
# MATH-NEXT: qopt.unary softsign

# The parametric activations always carry their parameters: the given ones,
# else ONNX's defaults.
nodes = [helper.make_node("Elu", ["x"], ["a"]),
         helper.make_node("Elu", ["a"], ["b"], alpha=0.5),
         helper.make_node("Selu", ["b"], ["c"]),
         helper.make_node("Selu", ["c"], ["e"], alpha=2.0, gamma=3.0),
         helper.make_node("Celu", ["e"], ["f"], alpha=1.5),
         helper.make_node("ThresholdedRelu", ["f"], ["g"])]
save(d, "activations", model(nodes, [x23], [vi("g", F32, 2)]))
# ACT: qopt.unary elu %arg0 {alpha = 1.000000e+00 : f32}
# ACT-NEXT: qopt.unary elu %{{.+}} {alpha = 5.000000e-01 : f32}
# ACT-NEXT: qopt.unary selu %{{.+}} {alpha = 1.67326319 : f32, gamma = 1.05070102 : f32}
# ACT-NEXT: qopt.unary selu %{{.+}} {alpha = 2.000000e+00 : f32, gamma = 3.000000e+00 : f32}
# ACT-NEXT: qopt.unary celu %{{.+}} {alpha = 1.500000e+00 : f32}
# ACT-NEXT: qopt.unary thresholded_relu %{{.+}} {alpha = 1.000000e+00 : f32}

single(d, "celu_zero", "Celu", [x23], [vi("y", F32, 2)], attrs={"alpha": 0.0})
# CELU0: error: {{.*}}celu_zero.onnx: node 'celu_zero' (#0, Celu, opset 17): Celu's alpha must not be 0

# LogSoftmax: x - max - log(sum(exp(x - max))) over the axis.
single(d, "logsoftmax", "LogSoftmax", [x23], [vi("y", F32, 2)], attrs={"axis": 0})
# LOGSM: %[[M:.+]] = qopt.reduce max %arg0 {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<1x3xf32>
# LOGSM-NEXT: %[[S:.+]] = qopt.sub %arg0, %[[M]] : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
# LOGSM-NEXT: %[[E:.+]] = qopt.exp %[[S]]
# LOGSM-NEXT: %[[SUM:.+]] = qopt.reduce sum %[[E]] {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<1x3xf32>
# LOGSM-NEXT: %[[L:.+]] = qopt.log %[[SUM]] : (tensor<1x3xf32>) -> tensor<1x3xf32>
# LOGSM-NEXT: %[[R:.+]] = qopt.sub %[[S]], %[[L]] : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
# LOGSM-NEXT: return %[[R]]

# Sum folds pairwise; Mean is the sum times 1/n.
nodes = [helper.make_node("Sum", ["x", "y", "z"], ["s"]),
         helper.make_node("Mean", ["x", "y", "z"], ["m"])]
save(d, "sum_mean", model(nodes, [x23, vi("y", F32, [3]), vi("z", F32, [2, 1])],
                          [vi("s", F32, 2), vi("m", F32, 2)]))
# SUMMEAN: %[[A:.+]] = qopt.add %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
# SUMMEAN-NEXT: %[[B:.+]] = qopt.add %[[A]], %arg2 : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
# SUMMEAN: %[[C:.+]] = qopt.constant dense<0.333333343> : tensor<f32>
# SUMMEAN: qopt.mul %{{.+}}, %[[C]] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>

# PRelu: relu(x) - slope·relu(-x), the slope broadcast.
single(d, "prelu", "PRelu", [x23, vi("slope", F32, [3])], [vi("y", F32, 2)])
# PRELU: %[[P:.+]] = qopt.relu %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
# PRELU-NEXT: %[[N:.+]] = qopt.neg %arg0
# PRELU-NEXT: %[[RN:.+]] = qopt.relu %[[N]]
# PRELU-NEXT: %[[S:.+]] = qopt.mul %arg1, %[[RN]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
# PRELU-NEXT: qopt.sub %[[P]], %[[S]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>

# The compositions, and ReduceProd as one qopt.reduce.
x234 = vi("x", F32, [2, 3, 4])
nodes = [helper.make_node("ReduceL1", ["x"], ["l1"], axes=[1], keepdims=0),
         helper.make_node("ReduceL2", ["x"], ["l2"], axes=[-1]),
         helper.make_node("ReduceSumSquare", ["x"], ["ss"], axes=[0, 2], keepdims=0),
         helper.make_node("ReduceLogSum", ["x"], ["ls"]),
         helper.make_node("ReduceProd", ["x"], ["p"], axes=[2], keepdims=0)]
save(d, "reduce_composite", model(nodes, [x234], [vi(n, F32, r) for n, r in
                                                  [("l1", 2), ("l2", 3), ("ss", 1),
                                                   ("ls", 3), ("p", 2)]]))
# RED: %[[A:.+]] = qopt.abs %arg0 : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
# RED-NEXT: %[[L1:.+]] = qopt.reduce sum %[[A]] {axes = array<i64: 1>, keep_dims = false} : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
# RED-NEXT: %[[SQ:.+]] = qopt.mul %arg0, %arg0
# RED-NEXT: %[[S2:.+]] = qopt.reduce sum %[[SQ]] {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
# RED-NEXT: %[[L2:.+]] = qopt.sqrt %[[S2]] : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
# RED-NEXT: %[[SQ2:.+]] = qopt.mul %arg0, %arg0
# RED-NEXT: %[[SS:.+]] = qopt.reduce sum %[[SQ2]] {axes = array<i64: 0, 2>, keep_dims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
# RED-NEXT: %[[SALL:.+]] = qopt.reduce sum %arg0 {axes = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
# RED-NEXT: %[[LS:.+]] = qopt.log %[[SALL]]
# RED-NEXT: %[[P:.+]] = qopt.reduce prod %arg0 {axes = array<i64: 2>, keep_dims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
# RED-NEXT: return %[[L1]], %[[L2]], %[[SS]], %[[LS]], %[[P]]

# ReduceLogSumExp: max + log(sum(exp(x - max))).
single(d, "reduce_lse", "ReduceLogSumExp", [x234], [vi("y", F32, 2)],
       attrs={"axes": [1], "keepdims": 0})
# LSE: %[[M:.+]] = qopt.reduce max %arg0 {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
# LSE-NEXT: %[[D:.+]] = qopt.sub %arg0, %[[M]] : (tensor<2x3x4xf32>, tensor<2x1x4xf32>) -> tensor<2x3x4xf32>
# LSE-NEXT: %[[E:.+]] = qopt.exp %[[D]]
# LSE-NEXT: %[[S:.+]] = qopt.reduce sum %[[E]] {axes = array<i64: 1>, keep_dims = false} : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
# LSE-NEXT: %[[MR:.+]] = qopt.reshape %[[M]] : (tensor<2x1x4xf32>) -> tensor<2x4xf32>
# LSE-NEXT: %[[L:.+]] = qopt.log %[[S]]
# LSE-NEXT: qopt.add %[[L]], %[[MR]] : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>

# noop_with_empty_axes (an attribute of ReduceSum in opset 13-17) and no
# axes: nothing is reduced.
single(d, "reduce_noop", "ReduceSum", [x234], [vi("y", F32, 3)],
       attrs={"noop_with_empty_axes": 1})
# NOOP-NOT: qopt.reduce
# NOOP: return %arg0 : tensor<2x3x4xf32>

nodes = [helper.make_node("ArgMax", ["x"], ["a"], axis=1, keepdims=0),
         helper.make_node("ArgMin", ["x"], ["b"], axis=-1, select_last_index=1)]
save(d, "argmax", model(nodes, [x234], [vi("a", I64, 2), vi("b", I64, 3)]))
# ARGMAX: qopt.arg_reduce max %arg0 {axis = 1 : i64, keep_dims = false} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
# ARGMAX-NEXT: qopt.arg_reduce min %arg0 {axis = 2 : i64, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>

single(d, "argmax_int", "ArgMax", [vi("x", I32, [2, 3])], [vi("y", I64, 2)])
# ARGMAX-INT: error: {{.*}}argmax_int.onnx: node 'argmax_int' (#0, ArgMax, opset 17): only float inputs are supported

# LayerNormalization's Mean and InvStdDev outputs next to the fused op.
single(d, "layernorm_stats", "LayerNormalization",
       [x234, vi("s", F32, [3, 4])],
       [vi("y", F32, 3), vi("mean", F32, 3), vi("isd", F32, 3)],
       attrs={"axis": 1, "epsilon": 0.25})
# LNSTATS: %[[Y:.+]] = qopt.layer_norm %arg0, %arg1
# LNSTATS-NEXT: %[[M:.+]] = qopt.reduce mean %arg0 {axes = array<i64: 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x1x1xf32>
# LNSTATS-NEXT: %[[C:.+]] = qopt.sub %arg0, %[[M]]
# LNSTATS-NEXT: %[[SQ:.+]] = qopt.mul %[[C]], %[[C]]
# LNSTATS-NEXT: %[[V:.+]] = qopt.reduce mean %[[SQ]] {axes = array<i64: 1, 2>}
# LNSTATS-NEXT: %[[E:.+]] = qopt.constant dense<2.500000e-01> : tensor<f32>
# LNSTATS-NEXT: %[[VE:.+]] = qopt.add %[[V]], %[[E]] : (tensor<2x1x1xf32>, tensor<f32>) -> tensor<2x1x1xf32>
# LNSTATS-NEXT: %[[SD:.+]] = qopt.sqrt %[[VE]]
# LNSTATS-NEXT: %[[ISD:.+]] = qopt.reciprocal %[[SD]]
# LNSTATS-NEXT: return %[[Y]], %[[M]], %[[ISD]]

# Pow with an integer exponent: cast to the base's type first.
single(d, "pow_int", "Pow", [vi("x", F32, [3]), vi("y", I64, [3])], [vi("z", F32, 1)])
# POWINT: %[[E:.+]] = qopt.cast %arg1 : (tensor<3xi64>) -> tensor<3xf32>
# POWINT-NEXT: qopt.pow %arg0, %[[E]] : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
single(d, "pow_uint", "Pow", [vi("x", F32, [3]), vi("y", TensorProto.UINT32, [3])],
       [vi("z", F32, 1)])
# POWUINT: error: {{.*}}pow_uint.onnx: node 'pow_uint' (#0, Pow, opset 17): an unsigned integer exponent is not supported

# DepthToSpace (DCR, the default, and CRD) and SpaceToDepth: reshape,
# transpose, reshape.
x1822 = vi("x", F32, [1, 8, 2, 2])
single(d, "depth_to_space", "DepthToSpace", [x1822], [vi("y", F32, 4)],
       attrs={"blocksize": 2})
# D2S: %[[A:.+]] = qopt.reshape %arg0 : (tensor<1x8x2x2xf32>) -> tensor<1x2x2x2x2x2xf32>
# D2S-NEXT: %[[B:.+]] = qopt.transpose %[[A]] {perm = array<i64: 0, 3, 4, 1, 5, 2>}
# D2S-NEXT: qopt.reshape %[[B]] : (tensor<1x2x2x2x2x2xf32>) -> tensor<1x2x4x4xf32>
single(d, "depth_to_space_crd", "DepthToSpace", [x1822], [vi("y", F32, 4)],
       attrs={"blocksize": 2, "mode": "CRD"})
# D2S-CRD: qopt.transpose %{{.+}} {perm = array<i64: 0, 1, 4, 2, 5, 3>}
single(d, "space_to_depth", "SpaceToDepth", [vi("x", F32, [1, 2, 4, 6])],
       [vi("y", F32, 4)], attrs={"blocksize": 2})
# S2D: %[[A:.+]] = qopt.reshape %arg0 : (tensor<1x2x4x6xf32>) -> tensor<1x2x2x2x3x2xf32>
# S2D-NEXT: %[[B:.+]] = qopt.transpose %[[A]] {perm = array<i64: 0, 3, 5, 1, 2, 4>}
# S2D-NEXT: qopt.reshape %[[B]] : (tensor<1x2x2x2x2x3xf32>) -> tensor<1x8x2x3xf32>
single(d, "space_to_depth_odd", "SpaceToDepth", [vi("x", F32, [1, 2, 3, 4])],
       [vi("y", F32, [1, 8, 1, 2])], attrs={"blocksize": 2}, )
# S2D-ODD: error: {{.*}}space_to_depth_odd.onnx: node 'space_to_depth_odd' (#0, SpaceToDepth, opset 17): the spatial dims are not multiples of blocksize
