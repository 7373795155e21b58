# ONNX Runtime's com.microsoft quantized ops (QOperator format): each node is
# rewritten into the DequantizeLinear -> float op -> QuantizeLinear nodes ORT
# defines it by, before libonnx's checker and shape inference
# (MicrosoftQuantOps.cpp), then imported as any QDQ model.
#
# RUN: %python %s %t
# RUN: qopt-compile %t/qlinear_add.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=ADD
# RUN: qopt-compile %t/qlinear_mul_s8.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=MUL-S8
# RUN: qopt-compile %t/qlinear_gap.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=GAP
# RUN: qopt-compile %t/qlinear_avgpool.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=AVGPOOL
# RUN: qopt-compile %t/qlinear_sigmoid.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=SIGMOID
# RUN: qopt-compile %t/qlinear_leakyrelu.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=LEAKY
# RUN: qopt-compile %t/qlinear_concat.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=CONCAT
# RUN: qopt-compile %t/qgemm.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=QGEMM
# RUN: qopt-compile %t/qgemm_float.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=QGEMM-FLOAT
# RUN: qopt-compile %t/qlinear_add_after_maxpool.onnx --stage=import | qopt-opt | FileCheck %s --check-prefix=NO-ZP
# RUN: not qopt-compile %t/unsupported.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=BAD-OP --implicit-check-not=error:
# RUN: not qopt-compile %t/channels_last.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=CHANNELS-LAST --implicit-check-not=error:
# RUN: not qopt-compile %t/unknown_type.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=UNKNOWN-TYPE --implicit-check-not=error:
# RUN: not qopt-compile %t/qgemm_dynamic_scale.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=QGEMM-DYN --implicit-check-not=error:
# RUN: not qopt-compile %t/short_add.onnx --stage=import 2>&1 | FileCheck %s --check-prefix=SHORT --implicit-check-not=error:

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "Inputs"))
from onnxtest import *  # noqa: E402,F401,F403

d = outdir()
MS = [("com.microsoft", 1)]


def N(op, inputs, outputs, **kw):
    return helper.make_node(op, inputs, outputs, name=op.lower(), **kw)


def ms(op, inputs, outputs, **kw):
    return helper.make_node(op, inputs, outputs, name=op, domain="com.microsoft", **kw)


def f32(v):
    return np.array(v, np.float32)


def qparams(prefix, scale, zp):
    return [init(prefix + "_scale", f32(scale)), init(prefix + "_zp", zp)]


def save_ms(name, nodes, inputs, outputs, inits, opset=13):
    # onnx 1.12's checker does not know com.microsoft ops: it skips them.
    save(d, name, model(nodes, inputs, outputs, inits, opset=opset, extra_opsets=MS))


# A float input quantized to u8, then QLinearAdd of it with a u8 constant.
inits = qparams("x", 0.125, np.uint8(100)) + qparams("c", 0.25, np.uint8(50)) + \
    qparams("y", 0.5, np.uint8(90)) + [init("c", np.arange(8, dtype=np.uint8).reshape(1, 8))]
save_ms("qlinear_add", [
    N("QuantizeLinear", ["x", "x_scale", "x_zp"], ["xq"]),
    ms("QLinearAdd", ["xq", "x_scale", "x_zp", "c", "c_scale", "c_zp", "y_scale", "y_zp"], ["yq"]),
    N("DequantizeLinear", ["yq", "y_scale", "y_zp"], ["y"])],
    [vi("x", F32, [1, 8])], [vi("y", F32, 2)], inits)
# ADD: %[[X:.*]] = qopt.quantize %arg0 : (tensor<1x8xf32>) -> tensor<1x8x!quant.uniform<u8:f32, 1.250000e-01:100>>
# ADD: %[[XF:.*]] = qopt.dequantize %[[X]] : (tensor<1x8x!quant.uniform<u8:f32, 1.250000e-01:100>>) -> tensor<1x8xf32>
# ADD: %[[CF:.*]] = qopt.dequantize %{{.*}} : (tensor<1x8x!quant.uniform<u8:f32, 2.500000e-01:50>>) -> tensor<1x8xf32>
# ADD: %[[S:.*]] = qopt.add %[[XF]], %[[CF]] : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
# ADD: %[[Y:.*]] = qopt.quantize %[[S]] : (tensor<1x8xf32>) -> tensor<1x8x!quant.uniform<u8:f32, 5.000000e-01:90>>
# ADD: qopt.dequantize %[[Y]]

# QLinearMul on int8 data (ORT's s8 layout), broadcasting a per-tensor row.
inits = qparams("a", 0.125, np.int8(-3)) + qparams("b", 0.0625, np.int8(0)) + \
    qparams("y", 0.5, np.int8(1))
save_ms("qlinear_mul_s8", [
    N("QuantizeLinear", ["a", "a_scale", "a_zp"], ["aq"]),
    N("QuantizeLinear", ["b", "b_scale", "b_zp"], ["bq"]),
    ms("QLinearMul", ["aq", "a_scale", "a_zp", "bq", "b_scale", "b_zp", "y_scale", "y_zp"], ["yq"]),
    N("DequantizeLinear", ["yq", "y_scale", "y_zp"], ["y"])],
    [vi("a", F32, [2, 4]), vi("b", F32, [1, 4])], [vi("y", F32, 2)], inits)
# MUL-S8: %[[AF:.*]] = qopt.dequantize %{{.*}} : (tensor<2x4x!quant.uniform<i8:f32, 1.250000e-01:-3>>) -> tensor<2x4xf32>
# MUL-S8: %[[BF:.*]] = qopt.dequantize %{{.*}} : (tensor<1x4x!quant.uniform<i8:f32, 6.250000e-02>>) -> tensor<1x4xf32>
# MUL-S8: %[[P:.*]] = qopt.mul %[[AF]], %[[BF]] : (tensor<2x4xf32>, tensor<1x4xf32>) -> tensor<2x4xf32>
# MUL-S8: qopt.quantize %[[P]] : (tensor<2x4xf32>) -> tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01:1>>


def unary_model(name, op, attrs, shape, out_shape_rank, zp_dtype=np.uint8):
    inits = qparams("x", 0.125, zp_dtype(7)) + qparams("y", 0.25, zp_dtype(9))
    save_ms(name, [
        N("QuantizeLinear", ["x", "x_scale", "x_zp"], ["xq"]),
        ms(op, ["xq", "x_scale", "x_zp", "y_scale", "y_zp"], ["yq"], **attrs),
        N("DequantizeLinear", ["yq", "y_scale", "y_zp"], ["y"])],
        [vi("x", F32, shape)], [vi("y", F32, out_shape_rank)], inits)


unary_model("qlinear_gap", "QLinearGlobalAveragePool", {"channels_last": 0}, [1, 3, 4, 4], 4)
# GAP: %[[XF:.*]] = qopt.dequantize %{{.*}} : (tensor<1x3x4x4x!quant.uniform<u8:f32, 1.250000e-01:7>>) -> tensor<1x3x4x4xf32>
# GAP: %[[M:.*]] = qopt.global_avg_pool2d %[[XF]] : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>
# GAP: qopt.quantize %[[M]] : (tensor<1x3x1x1xf32>) -> tensor<1x3x1x1x!quant.uniform<u8:f32, 2.500000e-01:9>>

unary_model("qlinear_avgpool", "QLinearAveragePool",
            {"kernel_shape": [2, 2], "strides": [2, 2], "count_include_pad": 1}, [1, 3, 4, 4], 4)
# AVGPOOL: %[[XF:.*]] = qopt.dequantize %{{.*}} -> tensor<1x3x4x4xf32>
# AVGPOOL: %[[P:.*]] = qopt.avg_pool2d %[[XF]] {count_include_pad = true, kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x2x2xf32>
# AVGPOOL: qopt.quantize %[[P]] : (tensor<1x3x2x2xf32>) -> tensor<1x3x2x2x!quant.uniform<u8:f32, 2.500000e-01:9>>

unary_model("qlinear_sigmoid", "QLinearSigmoid", {}, [2, 5], 2, np.int8)
# SIGMOID: %[[XF:.*]] = qopt.dequantize %{{.*}} : (tensor<2x5x!quant.uniform<i8:f32, 1.250000e-01:7>>) -> tensor<2x5xf32>
# SIGMOID: %[[S:.*]] = qopt.sigmoid %[[XF]]
# SIGMOID: qopt.quantize %[[S]] : (tensor<2x5xf32>) -> tensor<2x5x!quant.uniform<i8:f32, 2.500000e-01:9>>

unary_model("qlinear_leakyrelu", "QLinearLeakyRelu", {"alpha": 0.25}, [2, 5], 2)
# LEAKY: %[[XF:.*]] = qopt.dequantize
# LEAKY: %[[L:.*]] = qopt.leaky_relu %[[XF]] {alpha = 2.500000e-01 : f32}
# LEAKY: qopt.quantize %[[L]]

# QLinearConcat of two u8 tensors at different scales along axis 1.
inits = qparams("a", 0.125, np.uint8(100)) + qparams("b", 0.25, np.uint8(50)) + \
    qparams("y", 0.5, np.uint8(90))
save_ms("qlinear_concat", [
    N("QuantizeLinear", ["a", "a_scale", "a_zp"], ["aq"]),
    N("QuantizeLinear", ["b", "b_scale", "b_zp"], ["bq"]),
    ms("QLinearConcat", ["y_scale", "y_zp", "aq", "a_scale", "a_zp", "bq", "b_scale", "b_zp"],
       ["yq"], axis=1),
    N("DequantizeLinear", ["yq", "y_scale", "y_zp"], ["y"])],
    [vi("a", F32, [1, 2, 3]), vi("b", F32, [1, 4, 3])], [vi("y", F32, 3)], inits)
# CONCAT: %[[AF:.*]] = qopt.dequantize %{{.*}} -> tensor<1x2x3xf32>
# CONCAT: %[[BF:.*]] = qopt.dequantize %{{.*}} -> tensor<1x4x3xf32>
# CONCAT: %[[C:.*]] = qopt.concat %[[AF]], %[[BF]] {axis = 1 : i64}
# CONCAT: qopt.quantize %[[C]] : (tensor<1x6x3xf32>) -> tensor<1x6x3x!quant.uniform<u8:f32, 5.000000e-01:90>>


# QGemm: u8 activations, per-column s8 weights stored transposed (transB),
# an int32 bias at scale a_scale * b_scale.
def qgemm_model(name, quantized_output, scale_is_input=False):
    inits = qparams("a", 0.5, np.uint8(128)) + [
        init("w", np.array([[1, -2, 3], [4, 5, -6]], np.int8)),
        init("w_scale", f32([0.25, 0.125])), init("w_zp", np.zeros(2, np.int8)),
        init("bias", np.array([7, -9], np.int32))]
    if quantized_output:
        inits += qparams("y", 2.0, np.uint8(10))
    if scale_is_input:
        inits = [t for t in inits if t.name != "a_scale"]
    ins = ["aq", "a_scale", "a_zp", "w", "w_scale", "w_zp", "bias"]
    ins += ["y_scale", "y_zp"] if quantized_output else []
    nodes = [N("QuantizeLinear", ["x", "a_scale", "a_zp"], ["aq"]),
             ms("QGemm", ins, ["yq" if quantized_output else "y"], transB=1, alpha=1.0)]
    if quantized_output:
        nodes.append(N("DequantizeLinear", ["yq", "y_scale", "y_zp"], ["y"]))
    inputs = [vi("x", F32, [4, 3])] + ([vi("a_scale", F32, [])] if scale_is_input else [])
    save_ms(name, nodes, inputs, [vi("y", F32, 2)], inits)


qgemm_model("qgemm", True)
# QGEMM: %[[A:.*]] = qopt.quantize %arg0 : (tensor<4x3xf32>) -> tensor<4x3x!quant.uniform<u8:f32, 5.000000e-01:128>>
# QGEMM: %[[AF:.*]] = qopt.dequantize %[[A]]
# QGEMM: %[[W:.*]] = qopt.constant {{.*}} : tensor<2x3xi8> -> tensor<2x3x!quant.uniform<i8:f32:0, {2.500000e-01,1.250000e-01}>>
# QGEMM: %[[WF:.*]] = qopt.dequantize %[[W]]
# QGEMM: %[[B:.*]] = qopt.constant dense<[7, -9]> : tensor<2xi32> -> tensor<2x!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02}>>
# QGEMM: %[[BF:.*]] = qopt.dequantize %[[B]]
# QGEMM: %[[Y:.*]] = qopt.gemm %[[AF]], %[[WF]], %[[BF]] {trans_b = true} : (tensor<4x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<4x2xf32>
# QGEMM: qopt.quantize %[[Y]] : (tensor<4x2xf32>) -> tensor<4x2x!quant.uniform<u8:f32, 2.000000e+00:10>>

qgemm_model("qgemm_float", False)
# QGEMM-FLOAT: %[[Y:.*]] = qopt.gemm {{.*}} -> tensor<4x2xf32>
# QGEMM-FLOAT-NEXT: return %[[Y]] : tensor<4x2xf32>

# Zero points left out: 0 of the data's type, here u8 passed on by MaxPool
# (per-tensor u8 with zero point 0 prints without it).
inits = qparams("x", 0.125, np.uint8(0)) + [init("s", f32(0.25))]
save_ms("qlinear_add_after_maxpool", [
    N("QuantizeLinear", ["x", "x_scale", "x_zp"], ["xq"]),
    N("MaxPool", ["xq"], ["mq"], kernel_shape=[2, 2]),
    ms("QLinearAdd", ["mq", "x_scale", "", "mq", "x_scale", "", "s", ""], ["yq"]),
    N("DequantizeLinear", ["yq", "s"], ["y"])],
    [vi("x", F32, [1, 1, 4, 4])], [vi("y", F32, 4)], inits)
# NO-ZP: %[[S:.*]] = qopt.add
# NO-ZP: qopt.quantize %[[S]] : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3x!quant.uniform<u8:f32, 2.500000e-01>>

# Errors.
unary_model("unsupported", "QLinearSoftmax", {"axis": -1, "opset": 13}, [2, 5], 2)
# BAD-OP: error: {{.*}}unsupported.onnx: com.microsoft op 'QLinearSoftmax' (node 'QLinearSoftmax') is not supported; qopt imports these com.microsoft ops: QGemm, QLinearAdd, QLinearAveragePool, QLinearConcat, QLinearGlobalAveragePool, QLinearLeakyRelu, QLinearMul, QLinearSigmoid

unary_model("channels_last", "QLinearGlobalAveragePool", {"channels_last": 1}, [1, 4, 4, 3], 4)
# CHANNELS-LAST: error: {{.*}}com.microsoft QLinearGlobalAveragePool node 'QLinearGlobalAveragePool': channels_last=1 (NHWC) is not supported

# No zero point and an input whose element type the expansion does not track
# (a Cast's output): int8 or uint8 output is undecided.
save_ms("unknown_type", [
    N("Identity", ["x"], ["t"]),
    helper.make_node("Cast", ["t"], ["xq"], name="cast", to=U8),
    ms("QLinearSigmoid", ["xq", "s", "", "s", ""], ["yq"]),
    N("DequantizeLinear", ["yq", "s"], ["y"])],
    [vi("x", F32, [2])], [vi("y", F32, 1)], [init("s", f32(0.5))])
# UNKNOWN-TYPE: error: {{.*}}com.microsoft QLinearSigmoid node 'QLinearSigmoid': the output zero point is missing and the input's element type is not known

qgemm_model("qgemm_dynamic_scale", True, scale_is_input=True)
# QGEMM-DYN: error: {{.*}}com.microsoft QGemm node 'QGemm': a_scale and b_scale must be float initializers

inits = qparams("x", 0.125, np.uint8(0))
save_ms("short_add", [
    N("QuantizeLinear", ["x", "x_scale", "x_zp"], ["xq"]),
    ms("QLinearAdd", ["xq", "x_scale", "x_zp", "xq"], ["yq"])],
    [vi("x", F32, [2])], [vi("yq", U8, 1)], inits)
# SHORT: error: {{.*}}com.microsoft QLinearAdd node 'QLinearAdd': expects inputs (A, A_scale, A_zero_point, B, B_scale, B_zero_point, C_scale, C_zero_point) and one output
