// qopt-fold-qdq: float ops between dequantize and quantize (an imported
// QDQ model) get the quantized types of their neighbours.
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-fold-qdq))' -split-input-file | FileCheck %s

!x = !quant.uniform<i8:f32, 0.5:-3>
!w = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!b = !quant.uniform<i32:f32:0, {0.125, 0.0625}>
!y = !quant.uniform<i8:f32, 0.75:5>

// A QDQ conv: every operand dequantized, the result quantized once.
// CHECK-LABEL: func.func @conv(
// CHECK:         %[[Q:.+]] = qopt.quantize %{{.+}} : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK:         %[[C:.+]] = qopt.conv2d %[[Q]], %{{.+}}, %{{.+}} {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {2.500000e-01,1.250000e-01}>>, tensor<2x!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02}>>) -> tensor<1x2x3x3x!quant.uniform<i8:f32, 7.500000e-01:5>>
// CHECK:         %[[D:.+]] = qopt.dequantize %[[C]]
// CHECK:         return %[[D]]
func.func @conv(%arg0: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = qopt.constant dense<[[[[1]], [[-2]]], [[[3]], [[127]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!w>
  %b = qopt.constant dense<[8, -16]> : tensor<2xi32> -> tensor<2x!b>
  %q = qopt.quantize %arg0 : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3x!x>
  %xd = qopt.dequantize %q : (tensor<1x2x3x3x!x>) -> tensor<1x2x3x3xf32>
  %wd = qopt.dequantize %w : (tensor<2x2x1x1x!w>) -> tensor<2x2x1x1xf32>
  %bd = qopt.dequantize %b : (tensor<2x!b>) -> tensor<2xf32>
  %c = qopt.conv2d %xd, %wd, %bd {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %cq = qopt.quantize %c : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3x!y>
  %cd = qopt.dequantize %cq : (tensor<1x2x3x3x!y>) -> tensor<1x2x3x3xf32>
  return %cd : tensor<1x2x3x3xf32>
}

// -----

!a = !quant.uniform<i8:f32, 0.5:-3>
!c = !quant.uniform<i8:f32, 0.25:1>

// relu and max_pool2d commute with quantization: the dequantize sinks below
// them; quantize(dequantize(q)) of the same type is q, of another type a
// requantize.
// CHECK-LABEL: func.func @relu_pool(
// CHECK-SAME:    %[[X:.+]]: tensor<1x1x4x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>)
// CHECK:         %[[R:.+]] = qopt.relu %[[X]] : (tensor<1x1x4x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x1x4x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK:         %[[P:.+]] = qopt.max_pool2d %[[R]] {{.+}} -> tensor<1x1x2x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK:         %[[S:.+]] = qopt.requantize %[[P]] : (tensor<1x1x2x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 2.500000e-01:1>>
// CHECK:         return %[[P]], %[[S]]
func.func @relu_pool(%arg0: tensor<1x1x4x4x!a>) -> (tensor<1x1x2x2x!a>, tensor<1x1x2x2x!c>) {
  %d = qopt.dequantize %arg0 : (tensor<1x1x4x4x!a>) -> tensor<1x1x4x4xf32>
  %r = qopt.relu %d : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  %p = qopt.max_pool2d %r {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  %q1 = qopt.quantize %p : (tensor<1x1x2x2xf32>) -> tensor<1x1x2x2x!a>
  %q2 = qopt.quantize %p : (tensor<1x1x2x2xf32>) -> tensor<1x1x2x2x!c>
  return %q1, %q2 : tensor<1x1x2x2x!a>, tensor<1x1x2x2x!c>
}

// -----

!a = !quant.uniform<i8:f32, 0.5:-3>
!o = !quant.uniform<i8:f32, 0.125:0>

// A quantize moves above a flatten, so that the global average pool before
// it folds.
// CHECK-LABEL: func.func @pool_flatten(
// CHECK-SAME:    %[[X:.+]]: tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>)
// CHECK:         %[[G:.+]] = qopt.global_avg_pool2d %[[X]] : (tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x2x1x1x!quant.uniform<i8:f32, 1.250000e-01>>
// CHECK:         %[[F:.+]] = qopt.flatten %[[G]] {axis = 1 : i64} : (tensor<1x2x1x1x!quant.uniform<i8:f32, 1.250000e-01>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.250000e-01>>
// CHECK:         return %[[F]]
func.func @pool_flatten(%arg0: tensor<1x2x4x4x!a>) -> tensor<1x2x!o> {
  %d = qopt.dequantize %arg0 : (tensor<1x2x4x4x!a>) -> tensor<1x2x4x4xf32>
  %g = qopt.global_avg_pool2d %d : (tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32>
  %f = qopt.flatten %g {axis = 1 : i64} : (tensor<1x2x1x1xf32>) -> tensor<1x2xf32>
  %q = qopt.quantize %f : (tensor<1x2xf32>) -> tensor<1x2x!o>
  return %q : tensor<1x2x!o>
}

// -----

!a = !quant.uniform<i8:f32, 0.5:-3>

// An operand that is not dequantized (a float input) keeps the op float.
// CHECK-LABEL: func.func @mixed(
// CHECK:         %[[D:.+]] = qopt.dequantize
// CHECK:         %[[S:.+]] = qopt.add %[[D]], %{{.+}} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK:         qopt.quantize %[[S]]
func.func @mixed(%arg0: tensor<4x!a>, %arg1: tensor<4xf32>) -> tensor<4x!a> {
  %d = qopt.dequantize %arg0 : (tensor<4x!a>) -> tensor<4xf32>
  %s = qopt.add %d, %arg1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %q = qopt.quantize %s : (tensor<4xf32>) -> tensor<4x!a>
  return %q : tensor<4x!a>
}

// -----

!a = !quant.uniform<i8:f32, 0.5:-3>
!b = !quant.uniform<i8:f32, 0.25:2>
!o = !quant.uniform<i8:f32, 1.0:0>

// A float result with a second use (besides its quantize) stays float.
// CHECK-LABEL: func.func @two_uses(
// CHECK:         %[[S:.+]] = qopt.add %{{.+}}, %{{.+}} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK:         qopt.quantize %[[S]]
func.func @two_uses(%arg0: tensor<4x!a>, %arg1: tensor<4x!b>) -> (tensor<4x!o>, tensor<4xf32>) {
  %d0 = qopt.dequantize %arg0 : (tensor<4x!a>) -> tensor<4xf32>
  %d1 = qopt.dequantize %arg1 : (tensor<4x!b>) -> tensor<4xf32>
  %s = qopt.add %d0, %d1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %q = qopt.quantize %s : (tensor<4xf32>) -> tensor<4x!o>
  return %q, %s : tensor<4x!o>, tensor<4xf32>
}
