// qopt-integer-only: quantized softmax, gelu and layer_norm become I-ViT's
// Shiftmax, ShiftGELU and I-LayerNorm on the storage integers plus a dyadic
// rescale into the result type; float, unsigned and per-axis ones stay.
// RUN: qopt-opt %s --qopt-integer-only -split-input-file | FileCheck %s

// x0 = ⌊-1/0.0625⌋ = -16. The result scale 2^-7 of Shiftmax over the output
// scale 2^-8 is 2 = 2^30/2^29. The input zero point cancels with the max.
// CHECK-LABEL: func.func @softmax(
// CHECK-SAME:    %[[X:.*]]: tensor<2x16x!quant.uniform<i8:f32, 6.250000e-02:3>>)
// CHECK:         %[[S:.*]] = quant.scast %[[X]] : tensor<2x16x!quant.uniform<i8:f32, 6.250000e-02:3>> to tensor<2x16xi8>
// CHECK:         %[[E:.*]] = qopt.shiftmax %[[S]] {axis = 1 : i64, x0 = -16 : i64} : (tensor<2x16xi8>) -> tensor<2x16xi8>
// CHECK:         %[[R:.*]] = qopt.rescale %[[E]] {multiplier = array<i32: 1073741824>, output_zp = -128 : i64, qmax = 127 : i64, qmin = -128 : i64, shift = array<i32: 29>} : (tensor<2x16xi8>) -> tensor<2x16xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[R]] : tensor<2x16xi8> to tensor<2x16x!quant.uniform<i8:f32, 3.906250e-03:-128>>
// CHECK:         return %[[Q]]
func.func @softmax(%x: tensor<2x16x!quant.uniform<i8:f32, 0.0625:3>>) -> tensor<2x16x!quant.uniform<i8:f32, 0.00390625:-128>> {
  %0 = qopt.softmax %x {axis = 1 : i64} : (tensor<2x16x!quant.uniform<i8:f32, 0.0625:3>>) -> tensor<2x16x!quant.uniform<i8:f32, 0.00390625:-128>>
  return %0 : tensor<2x16x!quant.uniform<i8:f32, 0.00390625:-128>>
}

// -----

// x0 = ⌊-1/(1.702·0.05)⌋ = -12; the zero point -2 is subtracted exactly by
// a unit rescale into i16; 0.05·2^-7/0.025 = 2^-6 = 2^30/2^36.
// CHECK-LABEL: func.func @gelu(
// CHECK:         %[[S:.*]] = quant.scast %{{.*}} : tensor<8x!quant.uniform<i8:f32, 5.000000e-02:-2>> to tensor<8xi8>
// CHECK:         %[[C:.*]] = qopt.rescale %[[S]] {input_zp = -2 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: 30>} : (tensor<8xi8>) -> tensor<8xi16>
// CHECK:         %[[G:.*]] = qopt.shift_gelu %[[C]] {x0 = -12 : i64} : (tensor<8xi16>) -> tensor<8xi32>
// CHECK:         %[[R:.*]] = qopt.rescale %[[G]] {multiplier = array<i32: 1073741824>, qmax = 127 : i64, qmin = -128 : i64, shift = array<i32: 36>} : (tensor<8xi32>) -> tensor<8xi8>
// CHECK:         quant.scast %[[R]] : tensor<8xi8> to tensor<8x!quant.uniform<i8:f32, 2.500000e-02>>
func.func @gelu(%x: tensor<8x!quant.uniform<i8:f32, 0.05:-2>>) -> tensor<8x!quant.uniform<i8:f32, 0.025>> {
  %0 = qopt.gelu %x : (tensor<8x!quant.uniform<i8:f32, 0.05:-2>>) -> tensor<8x!quant.uniform<i8:f32, 0.025>>
  return %0 : tensor<8x!quant.uniform<i8:f32, 0.025>>
}

// -----

// With a zero point of 0 the storage feeds ShiftGELU directly.
// CHECK-LABEL: func.func @gelu_zero_point_0(
// CHECK-NOT:     qopt.rescale {{.*}} -> tensor<8xi16>
// CHECK:         qopt.shift_gelu %{{.*}} {x0 = -6 : i64} : (tensor<8xi8>) -> tensor<8xi32>
func.func @gelu_zero_point_0(%x: tensor<8x!quant.uniform<i8:f32, 0.1>>) -> tensor<8x!quant.uniform<i8:f32, 0.025>> {
  %0 = qopt.gelu %x {approximation = #qopt<gelu_approximation tanh>} : (tensor<8x!quant.uniform<i8:f32, 0.1>>) -> tensor<8x!quant.uniform<i8:f32, 0.025>>
  return %0 : tensor<8x!quant.uniform<i8:f32, 0.025>>
}

// -----

// Float, unsigned and per-axis softmax/gelu are left alone.
// CHECK-LABEL: func.func @unchanged(
// CHECK-NOT:     qopt.shiftmax
// CHECK-NOT:     qopt.shift_gelu
// CHECK:         qopt.softmax
// CHECK:         qopt.softmax
// CHECK:         qopt.gelu
func.func @unchanged(%x: tensor<4xf32>, %u: tensor<4x!quant.uniform<u8:f32, 0.1:128>>, %p: tensor<2x4x!quant.uniform<i8:f32:0, {0.1, 0.2}>>) -> (tensor<4xf32>, tensor<4x!quant.uniform<u8:f32, 0.1:128>>, tensor<2x4x!quant.uniform<i8:f32:0, {0.1, 0.2}>>) {
  %0 = qopt.softmax %x {axis = 0 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qopt.softmax %u {axis = 0 : i64} : (tensor<4x!quant.uniform<u8:f32, 0.1:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.1:128>>
  %2 = qopt.gelu %p : (tensor<2x4x!quant.uniform<i8:f32:0, {0.1, 0.2}>>) -> tensor<2x4x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
  return %0, %1, %2 : tensor<4xf32>, tensor<4x!quant.uniform<u8:f32, 0.1:128>>, tensor<2x4x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
}

// -----

// layer_norm over the last dim (D = 4): int_layernorm (result scale
// √4/2^30 = 2^-29), the integer bias ⌊b/w / 2^-29⌋ added exactly, then per
// channel the dyadic w·2^-29/0.0625: w = 1, 0.5, 2, 0.25 → 2^30/2^55, 2^56,
// 2^54, 2^57.
// CHECK-LABEL: func.func @layer_norm(
// CHECK:         %[[B:.*]] = qopt.constant dense<[0, 134217728, -268435456, 1073741824]> : tensor<4xi32>
// CHECK:         %[[S:.*]] = quant.scast %{{.*}} : tensor<2x4x!quant.uniform<i8:f32, 1.000000e-01:3>> to tensor<2x4xi8>
// CHECK:         %[[N:.*]] = qopt.int_layernorm %[[S]] : (tensor<2x4xi8>) -> tensor<2x4xi32>
// CHECK:         %[[A:.*]] = qopt.int_add %[[N]], %[[B]] {lhs_multiplier = 1073741824 : i32, lhs_shift = 30 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 30 : i32} : (tensor<2x4xi32>, tensor<4xi32>) -> tensor<2x4xi32>
// CHECK:         %[[R:.*]] = qopt.rescale %[[A]] {axis = 1 : i64, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, output_zp = -1 : i64, qmax = 127 : i64, qmin = -128 : i64, shift = array<i32: 55, 56, 54, 57>} : (tensor<2x4xi32>) -> tensor<2x4xi8>
// CHECK:         quant.scast %[[R]] : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8:f32, 6.250000e-02:-1>>
func.func @layer_norm(%x: tensor<2x4x!quant.uniform<i8:f32, 0.1:3>>) -> tensor<2x4x!quant.uniform<i8:f32, 0.0625:-1>> {
  %w = qopt.constant dense<[1.0, 0.5, 2.0, 0.25]> : tensor<4xf32>
  %b = qopt.constant dense<[0.0, 0.125, -1.0, 0.5]> : tensor<4xf32>
  %0 = qopt.layer_norm %x, %w, %b {axis = 1 : i64} : (tensor<2x4x!quant.uniform<i8:f32, 0.1:3>>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x!quant.uniform<i8:f32, 0.0625:-1>>
  return %0 : tensor<2x4x!quant.uniform<i8:f32, 0.0625:-1>>
}

// -----

// A negative weight (the rescale multiplier would be negative) or a bias too
// large for int32 in the normalised scale leaves layer_norm alone.
// CHECK-LABEL: func.func @layer_norm_unchanged(
// CHECK-NOT:     qopt.int_layernorm
// CHECK:         qopt.layer_norm
// CHECK:         qopt.layer_norm
func.func @layer_norm_unchanged(%x: tensor<2x4x!quant.uniform<i8:f32, 0.1:3>>) -> (tensor<2x4x!quant.uniform<i8:f32, 0.0625:-1>>, tensor<2x4x!quant.uniform<i8:f32, 0.0625:-1>>) {
  %w = qopt.constant dense<[1.0, -0.5, 2.0, 0.25]> : tensor<4xf32>
  %v = qopt.constant dense<[1.0, 0.5, 2.0, 0.25]> : tensor<4xf32>
  %b = qopt.constant dense<[0.0, 0.125, -1.0, 3.0]> : tensor<4xf32>
  %0 = qopt.layer_norm %x, %w {axis = 1 : i64} : (tensor<2x4x!quant.uniform<i8:f32, 0.1:3>>, tensor<4xf32>) -> tensor<2x4x!quant.uniform<i8:f32, 0.0625:-1>>
  %1 = qopt.layer_norm %x, %v, %b {axis = 1 : i64} : (tensor<2x4x!quant.uniform<i8:f32, 0.1:3>>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x!quant.uniform<i8:f32, 0.0625:-1>>
  return %0, %1 : tensor<2x4x!quant.uniform<i8:f32, 0.0625:-1>>, tensor<2x4x!quant.uniform<i8:f32, 0.0625:-1>>
}
