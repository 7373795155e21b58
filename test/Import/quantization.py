# Pre-quantized models: QDQ in the layout of ONNX Runtime's quantizer, and
# the QOperator format (QLinearConv, QLinearMatMul, ConvInteger,
# MatMulInteger). ConvertQuantization.cpp. The imported IR is re-parsed and
# verified by qopt-opt.
#
# RUN: %python %s %t
# RUN: qopt-compile %t/qdq_conv.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=QDQ-CONV
# RUN: qopt-compile %t/qdq_matmul.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=QDQ-MATMUL
# RUN: qopt-compile %t/qdq_gemm.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=QDQ-GEMM
# RUN: qopt-compile %t/qdq_add.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=QDQ-ADD
# RUN: qopt-compile %t/qdq_opset10.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=QDQ10
# RUN: qopt-compile %t/q_default_zp.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=Q-DEFAULT-ZP
# RUN: qopt-compile %t/dq_int8_input.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=DQ-INT8-INPUT
# RUN: qopt-compile %t/dq_uint8_input.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=DQ-UINT8-INPUT
# RUN: qopt-compile %t/qlinearconv.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=QLINEARCONV
# RUN: qopt-compile %t/qlinearmatmul.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=QLINEARMATMUL
# RUN: qopt-compile %t/qlinearmatmul_s8.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=QLINEARMATMUL-S8
# RUN: qopt-compile %t/qlinearmatmul_rows.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=QLINEARMATMUL-ROWS
# RUN: qopt-compile %t/convinteger.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=CONVINTEGER
# RUN: qopt-compile %t/matmulinteger_u8.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=MATMULINTEGER-U8
# RUN: qopt-compile %t/matmulinteger_s8.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=MATMULINTEGER-S8
# RUN: qopt-compile %t/dynamic_quantize.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=DYNAMIC-Q
# RUN: qopt-compile %t/dynamic_matmul.onnx --stage=import | qopt-opt | FileCheck %t/dynamic_matmul.check
# RUN: qopt-compile %t/dynamic_convinteger.onnx --stage=import | qopt-opt | FileCheck %t/dynamic_convinteger.check
# RUN: not qopt-compile %t/q_bad_scale.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=Q-BAD-SCALE --implicit-check-not=error:
# RUN: not qopt-compile %t/q_dynamic_scale.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=Q-DYN-SCALE --implicit-check-not=error:
# RUN: not qopt-compile %t/dq_axis_mismatch.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=DQ-AXIS-MISMATCH --implicit-check-not=error:

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs"))
from onnxtest import *  # noqa: E402,F401,F403

d = outdir()
N = helper.make_node


def f32(v):
    return np.array(v, np.float32)


def qdq(name, scale, zp, nodes, inits, axis=None):
    """QuantizeLinear + DequantizeLinear of activation `name` (ORT's QDQ
    layout: every activation quantized and dequantized again)."""
    inits += [init(name + "_scale", f32(scale)), init(name + "_zp", zp)]
    nodes.append(N("QuantizeLinear", [name, name + "_scale", name + "_zp"],
                   [name + "_q"]))
    nodes.append(N("DequantizeLinear", [name + "_q", name + "_scale", name + "_zp"],
                   [name + "_dq"]))
    return name + "_dq"


def dq_weight(name, values, scale, zp, nodes, inits, axis=None):
    """A DequantizeLinear of a quantized initializer, per channel with `axis`."""
    inits += [init(name + "_quant", values), init(name + "_scale", f32(scale)),
              init(name + "_zp", zp)]
    kwargs = {} if axis is None else {"axis": axis}
    nodes.append(N("DequantizeLinear",
                   [name + "_quant", name + "_scale", name + "_zp"], [name], **kwargs))
    return name


#===--- QDQ ------------------------------------------------------------------===#

# Conv with uint8 activations, per-channel int8 weights (axis 0) and an int32
# bias whose scales are s_x * s_w.
s_x, s_y = 0.015625, 0.0625
s_w = [0.0078125, 0.015625, 0.03125, 0.0625]
nodes, inits = [], []
xq = qdq("x", s_x, np.uint8(128), nodes, inits)
w = dq_weight("w", rand([4, 3, 3, 3], np.int8), s_w, np.zeros(4, np.int8), nodes,
              inits, axis=0)
b = dq_weight("b", np.array([100, -200, 300, -400], np.int32),
              [s_x * s for s in s_w], np.zeros(4, np.int32), nodes, inits, axis=0)
nodes.append(N("Conv", [xq, w, b], ["conv"], pads=[1, 1, 1, 1]))
nodes.append(N("Relu", ["conv"], ["y"]))
yq = qdq("y", s_y, np.uint8(0), nodes, inits)
save(d, "qdq_conv", model(nodes, [vi("x", F32, [1, 3, 8, 8])], [vi(yq, F32, 4)],
                          inits, opset=13))
# QDQ-CONV-DAG: %[[B:.*]] = qopt.constant dense<[100, -200, 300, -400]> : tensor<4xi32> -> tensor<4x!quant.uniform<i32:f32:0, {1.220703125E-4,2.44140625E-4,4.8828125E-4,9.765625E-4}>>
# QDQ-CONV-DAG: %[[W:.*]] = qopt.constant dense_resource<w_quant> : tensor<4x3x3x3xi8> -> tensor<4x3x3x3x!quant.uniform<i8:f32:0, {7.812500e-03,1.562500e-02,3.125000e-02,6.250000e-02}>>
# QDQ-CONV-DAG: %[[XQ:.*]] = qopt.quantize %arg0 : (tensor<1x3x8x8xf32>) -> tensor<1x3x8x8x!quant.uniform<u8:f32, 1.562500e-02:128>>
# QDQ-CONV-DAG: %[[XDQ:.*]] = qopt.dequantize %[[XQ]] : (tensor<1x3x8x8x!quant.uniform<u8:f32, 1.562500e-02:128>>) -> tensor<1x3x8x8xf32>
# QDQ-CONV-DAG: %[[WDQ:.*]] = qopt.dequantize %[[W]] : (tensor<4x3x3x3x!quant.uniform<i8:f32:0, {{.*}}>>) -> tensor<4x3x3x3xf32>
# QDQ-CONV-DAG: %[[BDQ:.*]] = qopt.dequantize %[[B]] : (tensor<4x!quant.uniform<i32:f32:0, {{.*}}>>) -> tensor<4xf32>
# QDQ-CONV: %[[C:.*]] = qopt.conv2d %[[XDQ]], %[[WDQ]], %[[BDQ]] {{.*}} -> tensor<1x4x8x8xf32>
# QDQ-CONV: %[[R:.*]] = qopt.relu %[[C]]
# QDQ-CONV: %[[YQ:.*]] = qopt.quantize %[[R]] : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8x!quant.uniform<u8:f32, 6.250000e-02>>
# QDQ-CONV: qopt.dequantize %[[YQ]] : (tensor<1x4x8x8x!quant.uniform<u8:f32, 6.250000e-02>>) -> tensor<1x4x8x8xf32>

# MatMul with a per-tensor int8 weight.
nodes, inits = [], []
aq = qdq("a", 0.125, np.uint8(10), nodes, inits)
w = dq_weight("w", rand([16, 8], np.int8), 0.0078125, np.int8(0), nodes, inits)
nodes.append(N("MatMul", [aq, w], ["mm"]))
yq = qdq("mm", 0.25, np.uint8(120), nodes, inits)
save(d, "qdq_matmul", model(nodes, [vi("a", F32, [2, 16])], [vi(yq, F32, 2)], inits,
                            opset=13))
# QDQ-MATMUL-DAG: %[[W:.*]] = qopt.constant dense_resource<w_quant> : tensor<16x8xi8> -> tensor<16x8x!quant.uniform<i8:f32, 7.812500e-03>>
# QDQ-MATMUL-DAG: %[[AQ:.*]] = qopt.quantize %arg0 : (tensor<2x16xf32>) -> tensor<2x16x!quant.uniform<u8:f32, 1.250000e-01:10>>
# QDQ-MATMUL-DAG: %[[ADQ:.*]] = qopt.dequantize %[[AQ]]
# QDQ-MATMUL-DAG: %[[WDQ:.*]] = qopt.dequantize %[[W]] : (tensor<16x8x!quant.uniform<i8:f32, 7.812500e-03>>) -> tensor<16x8xf32>
# QDQ-MATMUL: %[[M:.*]] = qopt.matmul %[[ADQ]], %[[WDQ]] : (tensor<2x16xf32>, tensor<16x8xf32>) -> tensor<2x8xf32>
# QDQ-MATMUL: qopt.quantize %[[M]] : (tensor<2x8xf32>) -> tensor<2x8x!quant.uniform<u8:f32, 2.500000e-01:120>>

# Gemm (transB) with per-channel weights along the output dim and an int32
# bias.
nodes, inits = [], []
aq = qdq("a", 0.5, np.uint8(128), nodes, inits)
w = dq_weight("w", rand([3, 4], np.int8), [0.25, 0.125, 0.0625],
              np.zeros(3, np.int8), nodes, inits, axis=0)
b = dq_weight("b", np.array([7, 8, 9], np.int32), [0.125, 0.0625, 0.03125],
              np.zeros(3, np.int32), nodes, inits, axis=0)
nodes.append(N("Gemm", [aq, w, b], ["g"], transB=1))
yq = qdq("g", 0.25, np.uint8(128), nodes, inits)
save(d, "qdq_gemm", model(nodes, [vi("a", F32, [2, 4])], [vi(yq, F32, 2)], inits,
                          opset=13))
# QDQ-GEMM-DAG: qopt.constant dense<[7, 8, 9]> : tensor<3xi32> -> tensor<3x!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02,3.125000e-02}>>
# QDQ-GEMM-DAG: qopt.constant dense<{{.*}}> : tensor<3x4xi8> -> tensor<3x4x!quant.uniform<i8:f32:0, {2.500000e-01,1.250000e-01,6.250000e-02}>>
# QDQ-GEMM: qopt.gemm %{{.*}}, %{{.*}}, %{{.*}} {trans_b = true} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
# QDQ-GEMM: qopt.quantize %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<u8:f32, 2.500000e-01:128>>

# Add of two quantized activations with different parameters.
nodes, inits = [], []
aq = qdq("a", 0.125, np.uint8(100), nodes, inits)
bq = qdq("b", 0.25, np.uint8(50), nodes, inits)
nodes.append(N("Add", [aq, bq], ["s"]))
yq = qdq("s", 0.5, np.uint8(90), nodes, inits)
save(d, "qdq_add", model(nodes, [vi("a", F32, [1, 8]), vi("b", F32, [1, 8])],
                         [vi(yq, F32, 2)], inits, opset=13))
# QDQ-ADD: %[[A:.*]] = qopt.quantize %arg0 : (tensor<1x8xf32>) -> tensor<1x8x!quant.uniform<u8:f32, 1.250000e-01:100>>
# QDQ-ADD: %[[ADQ:.*]] = qopt.dequantize %[[A]]
# QDQ-ADD: %[[B:.*]] = qopt.quantize %arg1 : (tensor<1x8xf32>) -> tensor<1x8x!quant.uniform<u8:f32, 2.500000e-01:50>>
# QDQ-ADD: %[[BDQ:.*]] = qopt.dequantize %[[B]]
# QDQ-ADD: %[[S:.*]] = qopt.add %[[ADQ]], %[[BDQ]] : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
# QDQ-ADD: %[[SQ:.*]] = qopt.quantize %[[S]] : (tensor<1x8xf32>) -> tensor<1x8x!quant.uniform<u8:f32, 5.000000e-01:90>>
# QDQ-ADD: qopt.dequantize %[[SQ]]

# Opset 10 QDQ (no axis attribute yet), int8 activations.
nodes, inits = [], []
aq = qdq("a", 0.125, np.int8(-3), nodes, inits)
nodes.append(N("Relu", [aq], ["r"]))
save(d, "qdq_opset10", model(nodes, [vi("a", F32, [4])], [vi("r", F32, 1)], inits,
                             opset=10))
# QDQ10: qopt.quantize %arg0 : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 1.250000e-01:-3>>

# QuantizeLinear without a zero point quantizes to uint8 with zero point 0.
save(d, "q_default_zp", model([N("QuantizeLinear", ["x", "s"], ["y"])],
                              [vi("x", F32, [4])], [vi("y", U8, 1)],
                              [init("s", f32(0.5))], opset=13))
# Q-DEFAULT-ZP: qopt.quantize %arg0 : (tensor<4xf32>) -> tensor<4x!quant.uniform<u8:f32, 5.000000e-01>>
# Q-DEFAULT-ZP: return %{{.*}} : tensor<4x!quant.uniform<u8:f32, 5.000000e-01>>

# DequantizeLinear of int8 and uint8 graph inputs without a zero point: the
# input's own type is the storage type.
save(d, "dq_int8_input", model([N("DequantizeLinear", ["x", "s"], ["y"])],
                               [vi("x", I8, [4])], [vi("y", F32, 1)],
                               [init("s", f32(0.5))], opset=13))
# DQ-INT8-INPUT: %[[V:.*]] = quant.scast %arg0 : tensor<4xi8> to tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
# DQ-INT8-INPUT: qopt.dequantize %[[V]] : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<4xf32>
save(d, "dq_uint8_input", model([N("DequantizeLinear", ["x", "s"], ["y"])],
                                [vi("x", U8, [4])], [vi("y", F32, 1)],
                                [init("s", f32(0.5))], opset=13))
# DQ-UINT8-INPUT: %[[V:.*]] = quant.scast %arg0 : tensor<4xi8> to tensor<4x!quant.uniform<u8:f32, 5.000000e-01>>
# DQ-UINT8-INPUT: qopt.dequantize %[[V]] : (tensor<4x!quant.uniform<u8:f32, 5.000000e-01>>) -> tensor<4xf32>

#===--- QOperator ------------------------------------------------------------===#

# QLinearConv: uint8 input, per-channel int8 weights, int32 bias at
# x_scale * w_scale, uint8 output.
w_scales = [0.0078125, 0.015625]
inits = [init("x_s", f32(0.125)), init("x_zp", np.uint8(128)),
         init("w", rand([2, 3, 3, 3], np.int8)), init("w_s", f32(w_scales)),
         init("w_zp", np.zeros(2, np.int8)),
         init("y_s", f32(0.25)), init("y_zp", np.uint8(100)),
         init("b", np.array([5, -5], np.int32))]
save(d, "qlinearconv",
     model([N("QLinearConv", ["x", "x_s", "x_zp", "w", "w_s", "w_zp", "y_s", "y_zp", "b"],
              ["y"], strides=[2, 2], pads=[1, 1, 1, 1])],
           [vi("x", U8, [1, 3, 8, 8])], [vi("y", U8, 4)], inits, opset=10))
# QLINEARCONV-DAG: %[[W:.*]] = qopt.constant dense_resource<w> : tensor<2x3x3x3xi8> -> tensor<2x3x3x3x!quant.uniform<i8:f32:0, {7.812500e-03,1.562500e-02}>>
# QLINEARCONV-DAG: %[[B:.*]] = qopt.constant dense<[5, -5]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {9.765625E-4,0.001953125}>>
# QLINEARCONV-DAG: %[[X:.*]] = quant.scast %arg0 : tensor<1x3x8x8xi8> to tensor<1x3x8x8x!quant.uniform<u8:f32, 1.250000e-01:128>>
# QLINEARCONV: %[[Y:.*]] = qopt.conv2d %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, qopt.qlinear, strides = array<i64: 2, 2>} : (tensor<1x3x8x8x!quant.uniform<u8:f32, 1.250000e-01:128>>, tensor<2x3x3x3x!quant.uniform<i8:f32:0, {{.*}}>>, tensor<2x!quant.uniform<i32:f32:0, {{.*}}>>) -> tensor<1x2x4x4x!quant.uniform<u8:f32, 2.500000e-01:100>>
# QLINEARCONV: return %[[Y]] : tensor<1x2x4x4x!quant.uniform<u8:f32, 2.500000e-01:100>>

# QLinearMatMul, uint8 x uint8.
inits = [init("a_s", f32(0.125)), init("a_zp", np.uint8(1)),
         init("b", rand([4, 3], np.uint8)), init("b_s", f32(0.25)),
         init("b_zp", np.uint8(2)), init("y_s", f32(0.5)), init("y_zp", np.uint8(3))]
save(d, "qlinearmatmul",
     model([N("QLinearMatMul", ["a", "a_s", "a_zp", "b", "b_s", "b_zp", "y_s", "y_zp"],
              ["y"])], [vi("a", U8, [2, 4])], [vi("y", U8, 2)], inits, opset=10))
# QLINEARMATMUL-DAG: %[[B:.*]] = qopt.constant dense<{{.*}}> : tensor<4x3xi8> -> tensor<4x3x!quant.uniform<u8:f32, 2.500000e-01:2>>
# QLINEARMATMUL-DAG: %[[A:.*]] = quant.scast %arg0 : tensor<2x4xi8> to tensor<2x4x!quant.uniform<u8:f32, 1.250000e-01:1>>
# QLINEARMATMUL: qopt.matmul %[[A]], %[[B]] {qopt.qlinear} : (tensor<2x4x!quant.uniform<u8:f32, 1.250000e-01:1>>, tensor<4x3x!quant.uniform<u8:f32, 2.500000e-01:2>>) -> tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:3>>
# QLinearMatMul, int8 activations and per-column int8 weights (b_scale has
# one entry per column of b, the last axis).
inits = [init("a_s", f32(0.125)), init("a_zp", np.int8(0)),
         init("b", rand([4, 3], np.int8)), init("b_s", f32([0.5, 0.25, 0.125])),
         init("b_zp", np.zeros(3, np.int8)), init("y_s", f32(0.5)),
         init("y_zp", np.int8(-1))]
save(d, "qlinearmatmul_s8",
     model([N("QLinearMatMul", ["a", "a_s", "a_zp", "b", "b_s", "b_zp", "y_s", "y_zp"],
              ["y"])], [vi("a", I8, [2, 4])], [vi("y", I8, 2)], inits, opset=10))
# QLINEARMATMUL-S8: qopt.matmul %{{.*}}, %{{.*}} {qopt.qlinear} : (tensor<2x4x!quant.uniform<i8:f32, 1.250000e-01>>, tensor<4x3x!quant.uniform<i8:f32:1, {5.000000e-01,2.500000e-01,1.250000e-01}>>) -> tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-1>>

# Per-row a and y (one scale per row, the second-to-last axis; ONNX's
# QLinearMatMul spec).
inits = [init("a_s", f32([0.125, 0.25])), init("a_zp", np.zeros(2, np.uint8)),
         init("b", rand([4, 3], np.uint8)), init("b_s", f32(0.25)),
         init("b_zp", np.uint8(2)), init("y_s", f32([0.5, 0.25])),
         init("y_zp", np.full(2, 3, np.uint8))]
save(d, "qlinearmatmul_rows",
     model([N("QLinearMatMul", ["a", "a_s", "a_zp", "b", "b_s", "b_zp", "y_s", "y_zp"],
              ["y"])], [vi("a", U8, [2, 4])], [vi("y", U8, 2)], inits, opset=10))
# QLINEARMATMUL-ROWS: qopt.matmul %{{.*}}, %{{.*}} {qopt.qlinear} : (tensor<2x4x!quant.uniform<u8:f32:0, {1.250000e-01,2.500000e-01}>>, tensor<4x3x!quant.uniform<u8:f32, 2.500000e-01:2>>) -> tensor<2x3x!quant.uniform<u8:f32:0, {5.000000e-01:3,2.500000e-01:3}>>

# ConvInteger / MatMulInteger: scale 1 operands with their zero points, an
# exact int32 result viewed as plain i32.
inits = [init("w", rand([2, 1, 2, 2], np.uint8)), init("x_zp", np.uint8(12)),
         init("w_zp", np.uint8(3))]
save(d, "convinteger",
     model([N("ConvInteger", ["x", "w", "x_zp", "w_zp"], ["y"])],
           [vi("x", U8, [1, 1, 4, 4])], [vi("y", I32, 4)], inits, opset=10))
# CONVINTEGER: %[[X:.*]] = quant.scast %arg0 : tensor<1x1x4x4xi8> to tensor<1x1x4x4x!quant.uniform<u8:f32, 1.000000e+00:12>>
# CONVINTEGER: %[[C:.*]] = qopt.conv2d %[[X]], %{{.*}} {{.*}} : (tensor<1x1x4x4x!quant.uniform<u8:f32, 1.000000e+00:12>>, tensor<2x1x2x2x!quant.uniform<u8:f32, 1.000000e+00:3>>) -> tensor<1x2x3x3x!quant.uniform<i32:f32, 1.000000e+00>>
# CONVINTEGER: %[[R:.*]] = quant.scast %[[C]] : tensor<1x2x3x3x!quant.uniform<i32:f32, 1.000000e+00>> to tensor<1x2x3x3xi32>
# CONVINTEGER: return %[[R]] : tensor<1x2x3x3xi32>
inits = [init("b", rand([4, 3], np.int8)), init("a_zp", np.uint8(128))]
save(d, "matmulinteger_u8",
     model([N("MatMulInteger", ["a", "b", "a_zp"], ["y"])],
           [vi("a", U8, [2, 4])], [vi("y", I32, 2)], inits, opset=10))
# MATMULINTEGER-U8: qopt.matmul %{{.*}}, %{{.*}} : (tensor<2x4x!quant.uniform<u8:f32, 1.000000e+00:128>>, tensor<4x3x!quant.uniform<i8:f32, 1.000000e+00>>) -> tensor<2x3x!quant.uniform<i32:f32, 1.000000e+00>>
# MATMULINTEGER-U8: quant.scast %{{.*}} : tensor<2x3x!quant.uniform<i32:f32, 1.000000e+00>> to tensor<2x3xi32>
# Both int8, without zero points: the run-time input's type decides.
save(d, "matmulinteger_s8",
     model([N("MatMulInteger", ["a", "b"], ["y"])],
           [vi("a", I8, [2, 4])], [vi("y", I32, 2)], [init("b", rand([4, 3], np.int8))],
           opset=10))
# MATMULINTEGER-S8: qopt.matmul %{{.*}}, %{{.*}} : (tensor<2x4x!quant.uniform<i8:f32, 1.000000e+00>>, tensor<4x3x!quant.uniform<i8:f32, 1.000000e+00>>) -> tensor<2x3x!quant.uniform<i32:f32, 1.000000e+00>>

# DynamicQuantizeLinear: a run-time scale, so no quantized type: uint8 bits in
# i8 tensors and a rank-0 scale.
save(d, "dynamic_quantize",
     model([N("DynamicQuantizeLinear", ["x"], ["y", "s", "z"])], [vi("x", F32, [2, 3])],
           [vi("y", U8, 2), vi("s", F32, 0), vi("z", U8, 0)], opset=11))
# DYNAMIC-Q: %[[Y:.*]], %[[S:.*]], %[[Z:.*]] = qopt.dynamic_quantize %arg0 : (tensor<2x3xf32>) -> (tensor<2x3xi8>, tensor<f32>, tensor<i8>)
# DYNAMIC-Q: return %[[Y]], %[[S]], %[[Z]]

# ONNX Runtime's dynamic quantization of a MatMul: the run-time zero point z
# of A is taken out of the sum as z·colsum(B - zb), with colsum computed here
# by numpy and checked in the IR.
b = np.arange(-6, 6, dtype=np.int8).reshape(4, 3)
b_zp = np.int8(1)
nodes = [N("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"]),
         N("MatMulInteger", ["xq", "b", "xz", "b_zp"], ["acc"]),
         N("Cast", ["acc"], ["accf"], to=TensorProto.FLOAT),
         N("Mul", ["xs", "b_scale"], ["scale"]),
         N("Mul", ["accf", "scale"], ["y"])]
save(d, "dynamic_matmul",
     model(nodes, [vi("x", F32, [2, 4])], [vi("y", F32, 2)],
           [init("b", b), init("b_zp", b_zp), init("b_scale", f32(0.05))], opset=11))
colsum = (b.astype(np.int64) - int(b_zp)).sum(axis=0)
with open(os.path.join(d, "dynamic_matmul.check"), "w") as f:
    f.write("CHECK: %[[Y:.*]], %[[S:.*]], %[[Z0:.*]] = qopt.dynamic_quantize %arg0\n")
    f.write("CHECK-DAG: %[[C:.*]] = qopt.constant dense<[" +
            ", ".join(str(v) for v in colsum) +
            "]> : tensor<3xi32> -> tensor<3x!quant.uniform<i32:f32, 1.000000e+00>>\n")
    f.write("CHECK-DAG: %[[A:.*]] = quant.scast %[[Y]] : tensor<2x4xi8> to tensor<2x4x!quant.uniform<u8:f32, 1.000000e+00>>\n")
    f.write("CHECK-DAG: %[[Z:.*]] = quant.scast %[[Z0]] : tensor<i8> to tensor<!quant.uniform<u8:f32, 1.000000e+00>>\n")
    f.write("CHECK: %[[P:.*]] = qopt.matmul %[[A]], %{{.*}} : (tensor<2x4x!quant.uniform<u8:f32, 1.000000e+00>>, tensor<4x3x!quant.uniform<i8:f32, 1.000000e+00:1>>) -> tensor<2x3x!quant.uniform<i32:f32, 1.000000e+00>>\n")
    f.write("CHECK: %[[ZC:.*]] = qopt.mul %[[Z]], %[[C]]\n")
    f.write("CHECK: %[[S:.*]] = qopt.sub %[[P]], %[[ZC]] : (tensor<2x3x!quant.uniform<i32:f32, 1.000000e+00>>, tensor<3x!quant.uniform<i32:f32, 1.000000e+00>>) -> tensor<2x3x!quant.uniform<i32:f32, 1.000000e+00>>\n")
    f.write("CHECK: %[[I:.*]] = quant.scast %[[S]] : tensor<2x3x!quant.uniform<i32:f32, 1.000000e+00>> to tensor<2x3xi32>\n")
    f.write("CHECK: qopt.cast %[[I]] : (tensor<2x3xi32>) -> tensor<2x3xf32>\n")

# ConvInteger with a run-time zero point: padded positions hold z, so the
# correction z·conv(ones, w - zw) varies at the borders; numpy computes it.
w = np.arange(8, dtype=np.uint8).reshape(2, 1, 2, 2)
w_zp = np.uint8(2)
nodes = [N("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"]),
         N("ConvInteger", ["xq", "w", "xz", "w_zp"], ["y"], pads=[1, 1, 1, 1])]
save(d, "dynamic_convinteger",
     model(nodes, [vi("x", F32, [1, 1, 4, 4])], [vi("y", I32, 4)],
           [init("w", w), init("w_zp", w_zp)], opset=11))
ones = np.pad(np.ones((4, 4), np.int64), 1)
wc = w.astype(np.int64) - int(w_zp)
corr = np.array([[[(ones[i:i + 2, j:j + 2] * wc[f, 0]).sum() for j in range(5)]
                  for i in range(5)] for f in range(2)])
with open(os.path.join(d, "dynamic_convinteger.check"), "w") as f:
    f.write("CHECK: %[[Y:.*]], %[[S:.*]], %[[Z0:.*]] = qopt.dynamic_quantize %arg0\n")
    # FileCheck reads "[[" as a variable: each "[" is matched by a regex.
    literal = (np.array2string(corr, separator=", ").replace("\n", "").replace(" ", "")
               .replace(",", ", ").replace("[", "{{\\[}}"))
    f.write("CHECK-DAG: %[[C:.*]] = qopt.constant dense<" + literal + "> : tensor<2x5x5xi32> -> tensor<2x5x5x!quant.uniform<i32:f32, 1.000000e+00>>\n")
    f.write("CHECK: %[[P:.*]] = qopt.conv2d %{{.*}}, %{{.*}} {{.*}}pads = array<i64: 1, 1, 1, 1>{{.*}} : (tensor<1x1x4x4x!quant.uniform<u8:f32, 1.000000e+00>>, tensor<2x1x2x2x!quant.uniform<u8:f32, 1.000000e+00:2>>) -> tensor<1x2x5x5x!quant.uniform<i32:f32, 1.000000e+00>>\n")
    f.write("CHECK: %[[ZC:.*]] = qopt.mul %{{.*}}, %[[C]]\n")
    f.write("CHECK: qopt.sub %[[P]], %[[ZC]] : (tensor<1x2x5x5x!quant.uniform<i32:f32, 1.000000e+00>>, tensor<2x5x5x!quant.uniform<i32:f32, 1.000000e+00>>) -> tensor<1x2x5x5x!quant.uniform<i32:f32, 1.000000e+00>>\n")

#===--- Errors ---------------------------------------------------------------===#

save(d, "q_bad_scale", model([N("QuantizeLinear", ["x", "s"], ["y"], name="q")],
                             [vi("x", F32, [4])], [vi("y", U8, 1)],
                             [init("s", f32(0.0))], opset=13))
# Q-BAD-SCALE: error: {{.*}}q_bad_scale.onnx: node 'q' (#0, QuantizeLinear, opset 17): scale 0.000000 is not a positive number
save(d, "q_dynamic_scale", model([N("QuantizeLinear", ["x", "s"], ["y"], name="q")],
                                 [vi("x", F32, [4]), vi("s", F32, [])],
                                 [vi("y", U8, 1)], opset=13))
# Q-DYN-SCALE: error: {{.*}}q_dynamic_scale.onnx: node 'q' (#0, QuantizeLinear, opset 17): the scale must be a float constant
# Three scales for an axis of size 4.
save(d, "dq_axis_mismatch",
     model([N("DequantizeLinear", ["w", "s", "zp"], ["y"], name="dq", axis=0)],
           [], [vi("y", F32, 2)],
           [init("w", rand([4, 2], np.int8)), init("s", f32([1, 2, 3])),
            init("zp", np.zeros(3, np.int8))], opset=13))
# DQ-AXIS-MISMATCH: error: {{.*}}dq_axis_mismatch.onnx: node 'dq' (#0, DequantizeLinear, opset 17): produced an invalid op: 'qopt.constant' op result #0 has 3 scales for dimension 0 of size 4
