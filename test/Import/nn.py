# Convolutions, matrix products, normalisations, pooling and reductions:
# ConvertNeuralNet.cpp.
#
# RUN: %python %s %t
# RUN: qopt-compile %t/conv_default.onnx --stage=import | FileCheck %s --check-prefix=CONV-DEFAULT
# RUN: qopt-compile %t/conv_attrs.onnx --stage=import | FileCheck %s --check-prefix=CONV-ATTRS
# RUN: qopt-compile %t/conv_same_upper.onnx --stage=import | FileCheck %s --check-prefix=CONV-SAME-UPPER
# RUN: qopt-compile %t/conv_same_lower.onnx --stage=import | FileCheck %s --check-prefix=CONV-SAME-LOWER
# RUN: qopt-compile %t/conv_valid.onnx --stage=import | FileCheck %s --check-prefix=CONV-VALID
# RUN: qopt-compile %t/conv_opset7.onnx --stage=import | FileCheck %s --check-prefix=CONV7
# RUN: not qopt-compile %t/conv_1d.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=CONV-1D --implicit-check-not=error:
# RUN: qopt-compile %t/convt_default.onnx --stage=import | FileCheck %s --check-prefix=CONVT-DEFAULT
# RUN: qopt-compile %t/convt_pads.onnx --stage=import | FileCheck %s --check-prefix=CONVT-PADS
# RUN: qopt-compile %t/convt_same_upper.onnx --stage=import | FileCheck %s --check-prefix=CONVT-SAME-UPPER
# RUN: qopt-compile %t/convt_same_lower.onnx --stage=import | FileCheck %s --check-prefix=CONVT-SAME-LOWER
# RUN: qopt-compile %t/convt_output_shape.onnx --stage=import | FileCheck %s --check-prefix=CONVT-OUTSHAPE
# RUN: qopt-compile %t/convt_output_shape_grow.onnx --stage=import | FileCheck %s --check-prefix=CONVT-OUTSHAPE-GROW
# RUN: qopt-compile %t/matmul_2d.onnx --stage=import | FileCheck %s --check-prefix=MATMUL-2D
# RUN: qopt-compile %t/matmul_batch.onnx --stage=import | FileCheck %s --check-prefix=MATMUL-BATCH
# RUN: qopt-compile %t/matmul_1d_lhs.onnx --stage=import | FileCheck %s --check-prefix=MATMUL-1D-LHS
# RUN: qopt-compile %t/matmul_1d_rhs.onnx --stage=import | FileCheck %s --check-prefix=MATMUL-1D-RHS
# RUN: qopt-compile %t/matmul_1d_both.onnx --stage=import | FileCheck %s --check-prefix=MATMUL-1D-BOTH
# RUN: qopt-compile %t/gemm_default.onnx --stage=import | FileCheck %s --check-prefix=GEMM-DEFAULT
# RUN: qopt-compile %t/gemm_attrs.onnx --stage=import | FileCheck %s --check-prefix=GEMM-ATTRS
# RUN: qopt-compile %t/gemm_no_c.onnx --stage=import | FileCheck %s --check-prefix=GEMM-NO-C
# RUN: qopt-compile %t/gemm_opset7.onnx --stage=import | FileCheck %s --check-prefix=GEMM7
# RUN: qopt-compile %t/batchnorm_opset7.onnx --stage=import | FileCheck %s --check-prefix=BN7
# RUN: qopt-compile %t/batchnorm_opset15.onnx --stage=import | FileCheck %s --check-prefix=BN15
# RUN: not qopt-compile %t/batchnorm_training.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=BN-TRAIN --implicit-check-not=error:
# RUN: qopt-compile %t/layernorm_default.onnx --stage=import | FileCheck %s --check-prefix=LN-DEFAULT
# RUN: qopt-compile %t/layernorm_axis.onnx --stage=import | FileCheck %s --check-prefix=LN-AXIS
# RUN: qopt-compile %t/maxpool_default.onnx --stage=import | FileCheck %s --check-prefix=MAXPOOL-DEFAULT
# RUN: qopt-compile %t/maxpool_attrs.onnx --stage=import | FileCheck %s --check-prefix=MAXPOOL-ATTRS
# RUN: qopt-compile %t/maxpool_ceil.onnx --stage=import | FileCheck %s --check-prefix=MAXPOOL-CEIL
# RUN: qopt-compile %t/maxpool_same_upper.onnx --stage=import | FileCheck %s --check-prefix=MAXPOOL-SAME
# RUN: qopt-compile %t/maxpool_opset7.onnx --stage=import | FileCheck %s --check-prefix=MAXPOOL7
# RUN: not qopt-compile %t/maxpool_indices.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=MAXPOOL-IDX --implicit-check-not=error:
# RUN: qopt-compile %t/avgpool_default.onnx --stage=import | FileCheck %s --check-prefix=AVGPOOL-DEFAULT
# RUN: qopt-compile %t/avgpool_include_pad.onnx --stage=import | FileCheck %s --check-prefix=AVGPOOL-INCL
# RUN: qopt-compile %t/avgpool_ceil.onnx --stage=import | FileCheck %s --check-prefix=AVGPOOL-CEIL
# RUN: qopt-compile %t/gap.onnx --stage=import | FileCheck %s --check-prefix=GAP
# RUN: qopt-compile %t/gap_rank3.onnx --stage=import | FileCheck %s --check-prefix=GAP3
# RUN: qopt-compile %t/gmp.onnx --stage=import | FileCheck %s --check-prefix=GMP
# RUN: qopt-compile %t/reducemean_default.onnx --stage=import | FileCheck %s --check-prefix=RMEAN-DEFAULT
# RUN: qopt-compile %t/reducemean_axes.onnx --stage=import | FileCheck %s --check-prefix=RMEAN-AXES
# RUN: qopt-compile %t/reducesum_input.onnx --stage=import | FileCheck %s --check-prefix=RSUM-INPUT
# RUN: qopt-compile %t/reducesum_opset11.onnx --stage=import | FileCheck %s --check-prefix=RSUM11
# RUN: qopt-compile %t/reducesum_noop.onnx --stage=import | FileCheck %s --check-prefix=RSUM-NOOP
# RUN: qopt-compile %t/reducesum_empty_axes.onnx --stage=import | FileCheck %s --check-prefix=RSUM-EMPTY
# RUN: qopt-compile %t/reducemax.onnx --stage=import | FileCheck %s --check-prefix=RMAX
# RUN: qopt-compile %t/reducemin_opset7.onnx --stage=import | FileCheck %s --check-prefix=RMIN7

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs"))
from onnxtest import *  # noqa: E402,F401,F403

d = outdir()

#===--- Conv ---------------------------------------------------------------===#

# Defaults: strides 1, pads 0, dilations 1, group 1 (elided when printed).
single(d, "conv_default", "Conv", [vi("x", F32, [1, 3, 8, 8])], [vi("y", F32, 4)],
       [init("w", rand([4, 3, 3, 3])), init("b", rand([4]))])
# CONV-DEFAULT-DAG: %[[B:.*]] = qopt.constant dense<{{.*}}> : tensor<4xf32>
# CONV-DEFAULT-DAG: %[[W:.*]] = qopt.constant dense_resource<w> : tensor<4x3x3x3xf32>
# CONV-DEFAULT: qopt.conv2d %arg0, %[[W]], %[[B]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>

# Explicit pads [top, left, bottom, right], strides, dilations and groups.
single(d, "conv_attrs", "Conv", [vi("x", F32, [1, 4, 9, 9])], [vi("y", F32, 4)],
       [init("w", rand([6, 2, 3, 3]))],
       attrs={"pads": [1, 2, 0, 3], "strides": [2, 1], "dilations": [1, 2],
              "group": 2, "kernel_shape": [3, 3]})
# H: (9 + 1 + 0 - 3) / 2 + 1 = 4; W: (9 + 2 + 3 - 5) / 1 + 1 = 10.
# CONV-ATTRS: qopt.conv2d %arg0, %{{.*}} {dilations = array<i64: 1, 2>, group = 2 : i64, pads = array<i64: 1, 2, 0, 3>, strides = array<i64: 2, 1>} : (tensor<1x4x9x9xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x4x10xf32>

# auto_pad: 7 wide, kernel 4, stride 2 gives 4 outputs and a total pad of 3.
# SAME_UPPER puts the odd pad at the end, SAME_LOWER at the beginning.
for mode in ["SAME_UPPER", "SAME_LOWER", "VALID"]:
    single(d, "conv_" + mode.lower(), "Conv", [vi("x", F32, [1, 1, 7, 7])],
           [vi("y", F32, 4)], [init("w", rand([2, 1, 4, 4]))],
           attrs={"auto_pad": mode, "strides": [2, 2]})
# CONV-SAME-UPPER: qopt.conv2d %arg0, %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x7x7xf32>, tensor<2x1x4x4xf32>) -> tensor<1x2x4x4xf32>
# CONV-SAME-LOWER: qopt.conv2d %arg0, %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 2, 2, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x7x7xf32>, tensor<2x1x4x4xf32>) -> tensor<1x2x4x4xf32>
# CONV-VALID: qopt.conv2d %arg0, %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x7x7xf32>, tensor<2x1x4x4xf32>) -> tensor<1x2x2x2xf32>

# Opset 7, converted to 17.
single(d, "conv_opset7", "Conv", [vi("x", F32, [1, 2, 5, 5])], [vi("y", F32, 4)],
       [init("w", rand([3, 2, 3, 3]))], opset=7, attrs={"pads": [1, 1, 1, 1]})
# CONV7: qopt.conv2d %arg0, %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x5x5xf32>

single(d, "conv_1d", "Conv", [vi("x", F32, [1, 2, 5])], [vi("y", F32, 3)],
       [init("w", rand([3, 2, 3]))])
# CONV-1D: error: {{.*}}conv_1d.onnx: node 'conv_1d' (#0, Conv, opset 17): only 2-D convolutions are supported

#===--- ConvTranspose ------------------------------------------------------===#

# Weights are C x F/group x KH x KW. Full size: stride*(in-1) + k.
single(d, "convt_default", "ConvTranspose", [vi("x", F32, [1, 2, 3, 3])],
       [vi("y", F32, 4)], [init("w", rand([2, 3, 3, 3])), init("b", rand([3]))])
# CONVT-DEFAULT: qopt.conv_transpose2d %arg0, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x3x3x3xf32>, tensor<3xf32>) -> tensor<1x3x5x5xf32>

single(d, "convt_pads", "ConvTranspose", [vi("x", F32, [1, 1, 3, 3])],
       [vi("y", F32, 4)], [init("w", rand([1, 2, 3, 3]))],
       attrs={"strides": [3, 2], "pads": [1, 2, 1, 2], "output_padding": [1, 1]})
# H: 3*2 + 1 + 3 - 2 = 8; W: 2*2 + 1 + 3 - 4 = 4.
# CONVT-PADS: qopt.conv_transpose2d %arg0, %{{.*}} {dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 2, 1, 2>, strides = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x8x4xf32>

# auto_pad SAME_*: output = in * stride = 6, full = 7, total pad 1. As the
# ONNX spec (and its test_convtranspose_autopad_same data) has it,
# SAME_UPPER pads total/2 at the beginning and the rest at the end;
# SAME_LOWER the other way round.
for mode in ["SAME_UPPER", "SAME_LOWER"]:
    single(d, "convt_" + mode.lower(), "ConvTranspose",
           [vi("x", F32, [1, 1, 3, 3])], [vi("y", F32, 4)],
           [init("w", rand([1, 2, 3, 3]))],
           attrs={"auto_pad": mode, "strides": [2, 2]})
# CONVT-SAME-UPPER: qopt.conv_transpose2d %arg0, %{{.*}} {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x6x6xf32>
# CONVT-SAME-LOWER: qopt.conv_transpose2d %arg0, %{{.*}} {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x6x6xf32>

# output_shape without auto_pad: total padding = full - output_shape, the
# larger half at the beginning (ONNX spec); explicit pads are ignored.
single(d, "convt_output_shape", "ConvTranspose", [vi("x", F32, [1, 1, 4, 4])],
       [vi("y", F32, 4)], [init("w", rand([1, 1, 3, 3]))],
       attrs={"strides": [2, 2], "output_shape": [6, 8], "pads": [5, 5, 5, 5]})
# full = 2*3 + 3 = 9: H total 3 -> [2, 1], W total 1 -> [1, 0].
# CONVT-OUTSHAPE: qopt.conv_transpose2d %arg0, %{{.*}} {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 2, 1, 1, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x6x8xf32>

# output_shape larger than the full output (test_convtranspose_output_shape):
# the extra rows and columns come at the end, as output padding.
single(d, "convt_output_shape_grow", "ConvTranspose",
       [vi("x", F32, [1, 1, 3, 3])], [vi("y", F32, 4)],
       [init("w", rand([1, 2, 3, 3]))],
       attrs={"strides": [3, 2], "output_shape": [10, 8]})
# CONVT-OUTSHAPE-GROW: qopt.conv_transpose2d %arg0, %{{.*}} {dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 3, 2>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x10x8xf32>

#===--- MatMul and Gemm ----------------------------------------------------===#

single(d, "matmul_2d", "MatMul", [vi("a", F32, [2, 3])], [vi("y", F32, 2)],
       [init("b", rand([3, 4]))])
# MATMUL-2D: qopt.matmul %arg0, %{{.*}} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>

single(d, "matmul_batch", "MatMul", [vi("a", F32, [5, 1, 2, 3]),
                                     vi("b", F32, [4, 3, 6])], [vi("y", F32, 4)])
# MATMUL-BATCH: qopt.matmul %arg0, %arg1 : (tensor<5x1x2x3xf32>, tensor<4x3x6xf32>) -> tensor<5x4x2x6xf32>

# 1-D operands follow numpy: a 1-D lhs is a row, a 1-D rhs a column, and
# the promoted dimension is dropped again.
single(d, "matmul_1d_lhs", "MatMul", [vi("a", F32, [3]), vi("b", F32, [2, 3, 4])],
       [vi("y", F32, 2)])
# MATMUL-1D-LHS: %[[A:.*]] = qopt.reshape %arg0 : (tensor<3xf32>) -> tensor<1x3xf32>
# MATMUL-1D-LHS-NEXT: %[[M:.*]] = qopt.matmul %[[A]], %arg1 : (tensor<1x3xf32>, tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
# MATMUL-1D-LHS-NEXT: %[[R:.*]] = qopt.reshape %[[M]] : (tensor<2x1x4xf32>) -> tensor<2x4xf32>
# MATMUL-1D-LHS-NEXT: return %[[R]] : tensor<2x4xf32>
single(d, "matmul_1d_rhs", "MatMul", [vi("a", F32, [2, 3]), vi("b", F32, [3])],
       [vi("y", F32, 1)])
# MATMUL-1D-RHS: %[[B:.*]] = qopt.reshape %arg1 : (tensor<3xf32>) -> tensor<3x1xf32>
# MATMUL-1D-RHS-NEXT: %[[M:.*]] = qopt.matmul %arg0, %[[B]] : (tensor<2x3xf32>, tensor<3x1xf32>) -> tensor<2x1xf32>
# MATMUL-1D-RHS-NEXT: %[[R:.*]] = qopt.reshape %[[M]] : (tensor<2x1xf32>) -> tensor<2xf32>
# MATMUL-1D-RHS-NEXT: return %[[R]] : tensor<2xf32>
single(d, "matmul_1d_both", "MatMul", [vi("a", F32, [3]), vi("b", F32, [3])],
       [vi("y", F32, 0)])
# MATMUL-1D-BOTH: qopt.matmul %{{.*}}, %{{.*}} : (tensor<1x3xf32>, tensor<3x1xf32>) -> tensor<1x1xf32>
# MATMUL-1D-BOTH-NEXT: %[[R:.*]] = qopt.reshape %{{.*}} : (tensor<1x1xf32>) -> tensor<f32>
# MATMUL-1D-BOTH-NEXT: return %[[R]] : tensor<f32>

# Gemm defaults alpha = beta = 1, transA = transB = 0 (all elided).
single(d, "gemm_default", "Gemm", [vi("a", F32, [2, 3])], [vi("y", F32, 2)],
       [init("b", rand([3, 4])), init("c", rand([4]))])
# GEMM-DEFAULT: qopt.gemm %arg0, %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
single(d, "gemm_attrs", "Gemm", [vi("a", F32, [3, 2])], [vi("y", F32, 2)],
       [init("b", rand([4, 3])), init("c", rand([2, 1]))],
       attrs={"alpha": 0.5, "beta": 2.0, "transA": 1, "transB": 1})
# GEMM-ATTRS: qopt.gemm %arg0, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f32, beta = 2.000000e+00 : f32, trans_a = true, trans_b = true} : (tensor<3x2xf32>, tensor<4x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
# C is optional from opset 11.
single(d, "gemm_no_c", "Gemm", [vi("a", F32, [2, 3])], [vi("y", F32, 2)],
       [init("b", rand([4, 3]))], attrs={"transB": 1})
# GEMM-NO-C: qopt.gemm %arg0, %{{.*}} {trans_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
single(d, "gemm_opset7", "Gemm", [vi("a", F32, [2, 3])], [vi("y", F32, 2)],
       [init("b", rand([3, 4])), init("c", rand([1]))], opset=7,
       attrs={"beta": 0.0})
# GEMM7: qopt.gemm %arg0, %{{.*}}, %{{.*}} {beta = 0.000000e+00 : f32} : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<1xf32>) -> tensor<2x4xf32>

#===--- Normalisations -----------------------------------------------------===#

bn_params = [init(n, rand([3], seed=i) ** 2 + 0.5)
             for i, n in enumerate(["scale", "bias", "mean", "var"])]
# Opset 7 BatchNormalization (with its `spatial` attribute) at a custom
# epsilon; opset 15 at the default 1e-5 (elided).
single(d, "batchnorm_opset7", "BatchNormalization", [vi("x", F32, [1, 3, 4, 4])],
       [vi("y", F32, 4)], bn_params, opset=7, attrs={"epsilon": 1e-3})
# BN7: qopt.batch_norm %arg0, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f32} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
single(d, "batchnorm_opset15", "BatchNormalization", [vi("x", F32, [2, 3, 5])],
       [vi("y", F32, 3)], bn_params, opset=15)
# BN15: qopt.batch_norm %arg0, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x5xf32>
single(d, "batchnorm_training", "BatchNormalization",
       [vi("x", F32, [1, 3, 4, 4])],
       [vi("y", F32, 4), vi("running_mean", F32, 1), vi("running_var", F32, 1)],
       bn_params, opset=15, attrs={"training_mode": 1})
# BN-TRAIN: error: {{.*}}batchnorm_training.onnx: node 'batchnorm_training' (#0, BatchNormalization, opset 17): training_mode=1 is not supported (inference only)

# LayerNormalization (opset 17): axis -1 and epsilon 1e-5 by default.
single(d, "layernorm_default", "LayerNormalization", [vi("x", F32, [2, 3, 4])],
       [vi("y", F32, 3)], [init("g", rand([4])), init("b", rand([4]))])
# LN-DEFAULT: qopt.layer_norm %arg0, %{{.*}}, %{{.*}} {axis = 2 : i64} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
# axis 1 normalises the last two dims; the scale has their shape, there is
# no bias.
single(d, "layernorm_axis", "LayerNormalization", [vi("x", F32, [2, 3, 4])],
       [vi("y", F32, 3)], [init("g", rand([3, 4]))],
       attrs={"axis": 1, "epsilon": 1e-3})
# LN-AXIS: qopt.layer_norm %arg0, %{{.*}} {axis = 1 : i64, epsilon = 1.000000e-03 : f32} : (tensor<2x3x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>

#===--- Pooling ------------------------------------------------------------===#

x8 = vi("x", F32, [1, 2, 8, 8])
single(d, "maxpool_default", "MaxPool", [x8], [vi("y", F32, 4)],
       attrs={"kernel_shape": [2, 2]})
# MAXPOOL-DEFAULT: qopt.max_pool2d %arg0 {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x8x8xf32>) -> tensor<1x2x7x7xf32>
single(d, "maxpool_attrs", "MaxPool", [x8], [vi("y", F32, 4)],
       attrs={"kernel_shape": [3, 2], "strides": [2, 3], "pads": [1, 0, 1, 1],
              "dilations": [2, 1]})
# H: (8 + 2 - 5) / 2 + 1 = 3; W: (8 + 1 - 2) / 3 + 1 = 3.
# MAXPOOL-ATTRS: qopt.max_pool2d %arg0 {dilations = array<i64: 2, 1>, kernel = array<i64: 3, 2>, pads = array<i64: 1, 0, 1, 1>, strides = array<i64: 2, 3>} : (tensor<1x2x8x8xf32>) -> tensor<1x2x3x3xf32>
single(d, "maxpool_ceil", "MaxPool", [x8], [vi("y", F32, 4)],
       attrs={"kernel_shape": [3, 3], "strides": [2, 2], "ceil_mode": 1})
# ceil((8 - 3) / 2) + 1 = 4 (3 with floor).
# MAXPOOL-CEIL: qopt.max_pool2d %arg0 {ceil_mode = true, dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
single(d, "maxpool_same_upper", "MaxPool", [vi("x", F32, [1, 1, 5, 5])],
       [vi("y", F32, 4)],
       attrs={"kernel_shape": [2, 2], "strides": [2, 2], "auto_pad": "SAME_UPPER"})
# MAXPOOL-SAME: qopt.max_pool2d %arg0 {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32>
single(d, "maxpool_opset7", "MaxPool", [x8], [vi("y", F32, 4)], opset=7,
       attrs={"kernel_shape": [2, 2], "strides": [2, 2]})
# MAXPOOL7: qopt.max_pool2d %arg0 {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
single(d, "maxpool_indices", "MaxPool", [x8], [vi("y", F32, 4), vi("i", I64, 4)],
       attrs={"kernel_shape": [2, 2]})
# MAXPOOL-IDX: error: {{.*}}maxpool_indices.onnx: node 'maxpool_indices' (#0, MaxPool, opset 17): the Indices output of MaxPool is not supported

# AveragePool: count_include_pad defaults to 0.
single(d, "avgpool_default", "AveragePool", [x8], [vi("y", F32, 4)],
       attrs={"kernel_shape": [3, 3], "pads": [1, 1, 1, 1]})
# AVGPOOL-DEFAULT: qopt.avg_pool2d %arg0 {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
single(d, "avgpool_include_pad", "AveragePool", [x8], [vi("y", F32, 4)],
       opset=11, attrs={"kernel_shape": [3, 3], "pads": [1, 1, 1, 1],
                        "count_include_pad": 1, "strides": [2, 2]})
# AVGPOOL-INCL: qopt.avg_pool2d %arg0 {count_include_pad = true, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
single(d, "avgpool_ceil", "AveragePool", [x8], [vi("y", F32, 4)],
       attrs={"kernel_shape": [2, 2], "strides": [3, 3], "ceil_mode": 1})
# ceil((8 - 2) / 3) + 1 = 3.
# AVGPOOL-CEIL: qopt.avg_pool2d %arg0 {ceil_mode = true, kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 3, 3>} : (tensor<1x2x8x8xf32>) -> tensor<1x2x3x3xf32>

single(d, "gap", "GlobalAveragePool", [x8], [vi("y", F32, 4)])
# GAP: qopt.global_avg_pool2d %arg0 : (tensor<1x2x8x8xf32>) -> tensor<1x2x1x1xf32>
single(d, "gap_rank3", "GlobalAveragePool", [vi("x", F32, [1, 2, 8])],
       [vi("y", F32, 3)], opset=7)
# GAP3: qopt.reduce mean %arg0 {axes = array<i64: 2>} : (tensor<1x2x8xf32>) -> tensor<1x2x1xf32>
single(d, "gmp", "GlobalMaxPool", [x8], [vi("y", F32, 4)])
# GMP: qopt.reduce max %arg0 {axes = array<i64: 2, 3>} : (tensor<1x2x8x8xf32>) -> tensor<1x2x1x1xf32>

#===--- Reductions ---------------------------------------------------------===#

x234 = vi("x", F32, [2, 3, 4])
# keepdims defaults to 1 and no axes means all axes.
single(d, "reducemean_default", "ReduceMean", [x234], [vi("y", F32, 3)])
# RMEAN-DEFAULT: qopt.reduce mean %arg0 {axes = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
# Negative axes are normalised and sorted.
single(d, "reducemean_axes", "ReduceMean", [x234], [vi("y", F32, 1)],
       attrs={"axes": [-1, 0], "keepdims": 0})
# RMEAN-AXES: qopt.reduce mean %arg0 {axes = array<i64: 0, 2>, keep_dims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
# ReduceSum takes its axes as an input from opset 13 ...
single(d, "reducesum_input", "ReduceSum", [x234], [vi("y", F32, 3)],
       [init("axes", np.array([1], np.int64))], opset=13)
# RSUM-INPUT: qopt.reduce sum %arg0 {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
# ... and as an attribute before (the converter moves it).
single(d, "reducesum_opset11", "ReduceSum", [x234], [vi("y", F32, 2)],
       opset=11, attrs={"axes": [2], "keepdims": 0})
# RSUM11: qopt.reduce sum %arg0 {axes = array<i64: 2>, keep_dims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
# noop_with_empty_axes=1 without axes is the identity ...
single(d, "reducesum_noop", "ReduceSum", [x234], [vi("y", F32, 3)],
       attrs={"noop_with_empty_axes": 1})
# RSUM-NOOP-NOT: qopt.reduce
# RSUM-NOOP: return %arg0 : tensor<2x3x4xf32>
# ... while empty axes without it reduce everything.
single(d, "reducesum_empty_axes", "ReduceSum", [x234], [vi("y", F32, 3)],
       [init("axes", np.zeros([0], np.int64))])
# RSUM-EMPTY: qopt.reduce sum %arg0 {axes = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
single(d, "reducemax", "ReduceMax", [x234], [vi("y", F32, 3)], opset=13,
       attrs={"axes": [1, 2]})
# RMAX: qopt.reduce max %arg0 {axes = array<i64: 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x1x1xf32>
single(d, "reducemin_opset7", "ReduceMin", [x234], [vi("y", F32, 2)], opset=7,
       attrs={"axes": [0], "keepdims": 0})
# RMIN7: qopt.reduce min %arg0 {axes = array<i64: 0>, keep_dims = false} : (tensor<2x3x4xf32>) -> tensor<3x4xf32>
