// qopt-lower-quantized{rescale=onnx}: imported QDQ/QOperator models
// requantize as ONNX Runtime does (docs/Numerics.md, "float_rescale").
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-lower-quantized{rescale=onnx}))' -split-input-file | FileCheck %s
// RUN: not qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-lower-quantized{rescale=bogus}))' -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: qopt-lower-quantized: rescale must be 'dyadic' or 'onnx', got 'bogus'

!x = !quant.uniform<i8:f32, 0.5:-3>
!w = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!b = !quant.uniform<i32:f32:0, {0.125, 0.0625}>
!y = !quant.uniform<i8:f32, 0.75:5>

// QDQ conv2d: the exact i32 accumulator times f32(s_in)·f32(s_w[c]) =
// 0.125, 0.0625 per channel, divided by s_out = 0.75 (QuantizeLinear), to
// the result's zero point and range. No dyadic rescale.
// CHECK-LABEL: func.func @conv_qdq(
// CHECK:         %[[ACC:.+]] = qopt.int_conv2d %{{.+}}, %{{.+}}, %{{.+}} {{.*}} -> tensor<1x2x3x3xi32>
// CHECK:         %[[R:.+]] = qopt.float_rescale %[[ACC]] {axis = 1 : i64, divisor = 7.500000e-01 : f32, multiplier = array<f32: 1.250000e-01, 6.250000e-02>, output_zp = 5 : i64, qmax = 127 : i64, qmin = -128 : i64} : (tensor<1x2x3x3xi32>) -> tensor<1x2x3x3xi8>
// CHECK-NOT:     qopt.rescale
func.func @conv_qdq(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %q = qopt.quantize %x : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3x!x>
  %w = qopt.constant dense<[[[[1]], [[-2]]], [[[3]], [[-127]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!w>
  %b = qopt.constant dense<[8, -16]> : tensor<2xi32> -> tensor<2x!b>
  %y = qopt.conv2d %q, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3x!x>, tensor<2x2x1x1x!w>, tensor<2x!b>) -> tensor<1x2x3x3x!y>
  %d = qopt.dequantize %y : (tensor<1x2x3x3x!y>) -> tensor<1x2x3x3xf32>
  return %d : tensor<1x2x3x3xf32>
}

// -----

!x = !quant.uniform<i8:f32, 0.5:-3>
!w = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!y = !quant.uniform<i8:f32, 0.75:5>

// QLinearConv (marked qopt.qlinear by the importer): one f32 multiplier
// s_in·s_w[c]/s_out (1/6 and 1/12 rounded to f32), no divisor.
// CHECK-LABEL: func.func @conv_qlinear(
// CHECK:         qopt.float_rescale %{{.+}} {axis = 1 : i64, multiplier = array<f32: 0.166666672, 0.0833333358>, output_zp = 5 : i64, qmax = 127 : i64, qmin = -128 : i64}
func.func @conv_qlinear(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %q = qopt.quantize %x : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3x!x>
  %w = qopt.constant dense<[[[[1]], [[-2]]], [[[3]], [[-127]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!w>
  %y = qopt.conv2d %q, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, qopt.qlinear} : (tensor<1x2x3x3x!x>, tensor<2x2x1x1x!w>) -> tensor<1x2x3x3x!y>
  %d = qopt.dequantize %y : (tensor<1x2x3x3x!y>) -> tensor<1x2x3x3xf32>
  return %d : tensor<1x2x3x3xf32>
}

// -----

!x = !quant.uniform<i8:f32, 0.5:-3>
!w = !quant.uniform<i8<-127:127>:f32, 0.25>
!y = !quant.uniform<i8:f32, 1.0>
!z = !quant.uniform<i8:f32, 1.0:1>
!v = !quant.uniform<i8:f32, 0.25:2>

// matmul: f32 multiplier 0.125, divisor 1. add: dequantize both operands,
// add in f32, quantize (no int_add). relu keeps its exact integer clamp.
// CHECK-LABEL: func.func @matmul_add_relu(
// CHECK:         %[[MM:.+]] = qopt.int_matmul %{{.+}}, %{{.+}} {lhs_zp = -3 : i64} : (tensor<2x4xi8>, tensor<4x3xi8>) -> tensor<2x3xi32>
// CHECK:         %[[R:.+]] = qopt.float_rescale %[[MM]] {divisor = 1.000000e+00 : f32, multiplier = array<f32: 1.250000e-01>, qmax = 127 : i64, qmin = -128 : i64} : (tensor<2x3xi32>) -> tensor<2x3xi8>
// CHECK:         %[[RQ:.+]] = quant.scast %[[R]] : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00>>
// CHECK:         %[[L:.+]] = qopt.dequantize %[[RQ]] : (tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00>>) -> tensor<2x3xf32>
// CHECK:         %[[RR:.+]] = qopt.dequantize %{{.+}} : (tensor<2x3x!quant.uniform<i8:f32, 2.500000e-01:2>>) -> tensor<2x3xf32>
// CHECK:         %[[S:.+]] = qopt.add %[[L]], %[[RR]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[Q:.+]] = qopt.quantize %[[S]] : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00:1>>
// CHECK:         %[[QS:.+]] = quant.scast %[[Q]]
// CHECK:         qopt.rescale %[[QS]] {input_zp = 1 : i64, multiplier = array<i32: 1073741824>, output_zp = 1 : i64, qmax = 127 : i64, qmin = 1 : i64, shift = array<i32: 30>}
// CHECK-NOT:     qopt.int_add
func.func @matmul_add_relu(%x: tensor<2x4xf32>, %v: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %q = qopt.quantize %x : (tensor<2x4xf32>) -> tensor<2x4x!x>
  %w = qopt.constant dense<1> : tensor<4x3xi8> -> tensor<4x3x!w>
  %m = qopt.matmul %q, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!y>
  %qv = qopt.quantize %v : (tensor<2x3xf32>) -> tensor<2x3x!v>
  %a = qopt.add %m, %qv : (tensor<2x3x!y>, tensor<2x3x!v>) -> tensor<2x3x!z>
  %r = qopt.relu %a : (tensor<2x3x!z>) -> tensor<2x3x!z>
  %d = qopt.dequantize %r : (tensor<2x3x!z>) -> tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

// -----

!a = !quant.uniform<i8:f32, 0.5:-3>
!b = !quant.uniform<i8:f32, 0.25:4>

// requantize: dequantize (input_zp, f32 multiplier s_in) then quantize
// (divisor s_out); global_avg_pool2d: float pooling between dequantize and
// quantize (int_avg_pool2d rounds half up).
// CHECK-LABEL: func.func @requantize_pool(
// CHECK:         %[[R:.+]] = qopt.float_rescale %{{.+}} {divisor = 2.500000e-01 : f32, input_zp = -3 : i64, multiplier = array<f32: 5.000000e-01>, output_zp = 4 : i64, qmax = 127 : i64, qmin = -128 : i64} : (tensor<1x2x2x2xi8>) -> tensor<1x2x2x2xi8>
// CHECK:         %[[D:.+]] = qopt.dequantize %{{.+}} : (tensor<1x2x2x2x!quant.uniform<i8:f32, 2.500000e-01:4>>) -> tensor<1x2x2x2xf32>
// CHECK:         %[[P:.+]] = qopt.global_avg_pool2d %[[D]] : (tensor<1x2x2x2xf32>) -> tensor<1x2x1x1xf32>
// CHECK:         qopt.quantize %[[P]] : (tensor<1x2x1x1xf32>) -> tensor<1x2x1x1x!quant.uniform<i8:f32, 2.500000e-01:4>>
// CHECK-NOT:     qopt.int_avg_pool2d
func.func @requantize_pool(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x1x1xf32> {
  %q = qopt.quantize %x : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2x!a>
  %r = qopt.requantize %q : (tensor<1x2x2x2x!a>) -> tensor<1x2x2x2x!b>
  %p = qopt.global_avg_pool2d %r : (tensor<1x2x2x2x!b>) -> tensor<1x2x1x1x!b>
  %d = qopt.dequantize %p : (tensor<1x2x1x1x!b>) -> tensor<1x2x1x1xf32>
  return %d : tensor<1x2x1x1xf32>
}
