// Round trip of every integer-only qopt op through the custom and the generic
// form, with optional attributes absent and present, defaulted attributes
// elided, and every rounding mode.
// RUN: qopt-opt %s | qopt-opt | FileCheck %s
// RUN: qopt-opt %s -mlir-print-op-generic | qopt-opt | FileCheck %s

// Per tensor with defaults; per channel with every optional attribute and
// the extreme multiplier and shift; rounding floor; explicit defaults
// (half_up, zero points 0) are elided.
// CHECK-LABEL: func.func @rescale(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xi32>) -> (tensor<2x3xi8>, tensor<2x3xi8>, tensor<2x3xi8>, tensor<2x3xi16>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.rescale %[[X]] {multiplier = array<i32: 1073741824>, shift = array<i32: 31>} : (tensor<2x3xi32>) -> tensor<2x3xi8>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.rescale %[[X]] {axis = 1 : i64, input_zp = -5 : i64, multiplier = array<i32: 1073741824, 1518500250, 2147483647>, output_zp = 3 : i64, qmax = 100 : i64, qmin = -100 : i64, rounding = #qopt<rounding half_even>, shift = array<i32: 30, 31, 62>} : (tensor<2x3xi32>) -> tensor<2x3xi8>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.rescale %[[X]] {axis = 0 : i64, multiplier = array<i32: 0>, rounding = #qopt<rounding floor>, shift = array<i32: 0>} : (tensor<2x3xi32>) -> tensor<2x3xi8>
// CHECK:         %[[V3:[a-zA-Z0-9_]+]] = qopt.rescale %[[X]] {axis = 0 : i64, multiplier = array<i32: 1, 2>, shift = array<i32: 1, 2>} : (tensor<2x3xi32>) -> tensor<2x3xi16>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]], %[[V3]] : tensor<2x3xi8>, tensor<2x3xi8>, tensor<2x3xi8>, tensor<2x3xi16>
func.func @rescale(%x: tensor<2x3xi32>) -> (tensor<2x3xi8>, tensor<2x3xi8>, tensor<2x3xi8>, tensor<2x3xi16>) {
  %0 = qopt.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 31>} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  %1 = qopt.rescale %x {multiplier = array<i32: 1073741824, 1518500250, 2147483647>, shift = array<i32: 30, 31, 62>, axis = 1 : i64, input_zp = -5 : i64, output_zp = 3 : i64, rounding = #qopt<rounding half_even>, qmin = -100 : i64, qmax = 100 : i64} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  %2 = qopt.rescale %x {multiplier = array<i32: 0>, shift = array<i32: 0>, axis = 0 : i64, rounding = #qopt<rounding floor>} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  %3 = qopt.rescale %x {multiplier = array<i32: 1, 2>, shift = array<i32: 1, 2>, axis = 0 : i64, rounding = #qopt<rounding half_up>, input_zp = 0 : i64, output_zp = 0 : i64} : (tensor<2x3xi32>) -> tensor<2x3xi16>
  return %0, %1, %2, %3 : tensor<2x3xi8>, tensor<2x3xi8>, tensor<2x3xi8>, tensor<2x3xi16>
}

// i8 -> i32 with explicit saturation bounds at the i32 range.
// CHECK-LABEL: func.func @rescale_widen(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<4xi8>) -> tensor<4xi32>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.rescale %[[X]] {input_zp = -128 : i64, multiplier = array<i32: 1>, qmax = 2147483647 : i64, qmin = -2147483648 : i64, shift = array<i32: 0>} : (tensor<4xi8>) -> tensor<4xi32>
// CHECK:         return %[[V0]] : tensor<4xi32>
func.func @rescale_widen(%x: tensor<4xi8>) -> tensor<4xi32> {
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, input_zp = -128 : i64, qmin = -2147483648 : i64, qmax = 2147483647 : i64} : (tensor<4xi8>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// Without and with the optional i32 bias.
// CHECK-LABEL: func.func @int_conv2d(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x4x8x8xi8>, %[[W:[a-zA-Z0-9_]+]]: tensor<6x2x3x3xi8>, %[[B:[a-zA-Z0-9_]+]]: tensor<6xi32>) -> (tensor<1x6x4x4xi32>, tensor<1x6x4x4xi32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.int_conv2d %[[X]], %[[W]] {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xi8>, tensor<6x2x3x3xi8>) -> tensor<1x6x4x4xi32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.int_conv2d %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, group = 2 : i64, input_zp = -128 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, weight_zp = 127 : i64} : (tensor<1x4x8x8xi8>, tensor<6x2x3x3xi8>, tensor<6xi32>) -> tensor<1x6x4x4xi32>
// CHECK:         return %[[V0]], %[[V1]] : tensor<1x6x4x4xi32>, tensor<1x6x4x4xi32>
func.func @int_conv2d(%x: tensor<1x4x8x8xi8>, %w: tensor<6x2x3x3xi8>, %b: tensor<6xi32>) -> (tensor<1x6x4x4xi32>, tensor<1x6x4x4xi32>) {
  %0 = qopt.int_conv2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x8x8xi8>, tensor<6x2x3x3xi8>) -> tensor<1x6x4x4xi32>
  %1 = qopt.int_conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64, input_zp = -128 : i64, weight_zp = 127 : i64} : (tensor<1x4x8x8xi8>, tensor<6x2x3x3xi8>, tensor<6xi32>) -> tensor<1x6x4x4xi32>
  return %0, %1 : tensor<1x6x4x4xi32>, tensor<1x6x4x4xi32>
}

// 16-bit inputs and 4-bit weights; group = 1 and input_zp = 0 are elided.
// CHECK-LABEL: func.func @int_conv2d_i16(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x1x3x3xi16>, %[[W:[a-zA-Z0-9_]+]]: tensor<1x1x3x3xi4>) -> tensor<1x1x1x1xi32>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.int_conv2d %[[X]], %[[W]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, weight_zp = -8 : i64} : (tensor<1x1x3x3xi16>, tensor<1x1x3x3xi4>) -> tensor<1x1x1x1xi32>
// CHECK:         return %[[V0]] : tensor<1x1x1x1xi32>
func.func @int_conv2d_i16(%x: tensor<1x1x3x3xi16>, %w: tensor<1x1x3x3xi4>) -> tensor<1x1x1x1xi32> {
  %0 = qopt.int_conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, input_zp = 0 : i64, weight_zp = -8 : i64} : (tensor<1x1x3x3xi16>, tensor<1x1x3x3xi4>) -> tensor<1x1x1x1xi32>
  return %0 : tensor<1x1x1x1xi32>
}

// CHECK-LABEL: func.func @int_matmul(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<2x3x4xi8>, %[[B:[a-zA-Z0-9_]+]]: tensor<4x5xi8>) -> (tensor<2x3x5xi32>, tensor<2x3x5xi32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.int_matmul %[[A]], %[[B]] : (tensor<2x3x4xi8>, tensor<4x5xi8>) -> tensor<2x3x5xi32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.int_matmul %[[A]], %[[B]] {lhs_zp = 3 : i64, rhs_zp = -1 : i64} : (tensor<2x3x4xi8>, tensor<4x5xi8>) -> tensor<2x3x5xi32>
// CHECK:         return %[[V0]], %[[V1]] : tensor<2x3x5xi32>, tensor<2x3x5xi32>
func.func @int_matmul(%a: tensor<2x3x4xi8>, %b: tensor<4x5xi8>) -> (tensor<2x3x5xi32>, tensor<2x3x5xi32>) {
  %0 = qopt.int_matmul %a, %b : (tensor<2x3x4xi8>, tensor<4x5xi8>) -> tensor<2x3x5xi32>
  %1 = qopt.int_matmul %a, %b {lhs_zp = 3 : i64, rhs_zp = -1 : i64} : (tensor<2x3x4xi8>, tensor<4x5xi8>) -> tensor<2x3x5xi32>
  return %0, %1 : tensor<2x3x5xi32>, tensor<2x3x5xi32>
}

// Every rounding mode (half_up is the default and is elided).
// CHECK-LABEL: func.func @int_add(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<2x3xi8>, %[[B:[a-zA-Z0-9_]+]]: tensor<3xi8>) -> (tensor<2x3xi8>, tensor<2x3xi8>, tensor<2x3xi16>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.int_add %[[A]], %[[B]] {lhs_multiplier = 1073741824 : i32, lhs_shift = 30 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 31 : i32} : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xi8>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.int_add %[[A]], %[[B]] {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, lhs_zp = -1 : i64, output_zp = -3 : i64, rhs_multiplier = 2 : i32, rhs_shift = 1 : i32, rhs_zp = 2 : i64, rounding = #qopt<rounding half_even>} : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xi8>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.int_add %[[A]], %[[B]] {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1 : i32, rhs_shift = 0 : i32, rounding = #qopt<rounding floor>} : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xi16>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]] : tensor<2x3xi8>, tensor<2x3xi8>, tensor<2x3xi16>
func.func @int_add(%a: tensor<2x3xi8>, %b: tensor<3xi8>) -> (tensor<2x3xi8>, tensor<2x3xi8>, tensor<2x3xi16>) {
  %0 = qopt.int_add %a, %b {lhs_multiplier = 1073741824 : i32, lhs_shift = 30 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 31 : i32} : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xi8>
  %1 = qopt.int_add %a, %b {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, rhs_multiplier = 2 : i32, rhs_shift = 1 : i32, lhs_zp = -1 : i64, rhs_zp = 2 : i64, output_zp = -3 : i64, rounding = #qopt<rounding half_even>} : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xi8>
  %2 = qopt.int_add %a, %b {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1 : i32, rhs_shift = 0 : i32, rounding = #qopt<rounding floor>} : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xi16>
  return %0, %1, %2 : tensor<2x3xi8>, tensor<2x3xi8>, tensor<2x3xi16>
}

// n = 15 and output_bits = 8 are defaults and are elided.
// CHECK-LABEL: func.func @shiftmax(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x8xi32>) -> (tensor<2x8xi16>, tensor<2x8xi32>, tensor<2x8xi32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.shiftmax %[[X]] {axis = 1 : i64, x0 = -10 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi16>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.shiftmax %[[X]] {axis = 0 : i64, n = 20 : i64, output_bits = 16 : i64, x0 = -1 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.shiftmax %[[X]] {axis = 1 : i64, x0 = -3 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi32>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]] : tensor<2x8xi16>, tensor<2x8xi32>, tensor<2x8xi32>
func.func @shiftmax(%x: tensor<2x8xi32>) -> (tensor<2x8xi16>, tensor<2x8xi32>, tensor<2x8xi32>) {
  %0 = qopt.shiftmax %x {axis = 1 : i64, x0 = -10 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi16>
  %1 = qopt.shiftmax %x {axis = 0 : i64, x0 = -1 : i64, n = 20 : i64, output_bits = 16 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi32>
  %2 = qopt.shiftmax %x {axis = 1 : i64, x0 = -3 : i64, n = 15 : i64, output_bits = 8 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi32>
  return %0, %1, %2 : tensor<2x8xi16>, tensor<2x8xi32>, tensor<2x8xi32>
}

// A 9-bit result for output_bits = 8 (the narrowest is i8).
// CHECK-LABEL: func.func @shiftmax_i9(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<4xi8>) -> tensor<4xi9>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.shiftmax %[[X]] {axis = 0 : i64, x0 = -7 : i64} : (tensor<4xi8>) -> tensor<4xi9>
// CHECK:         return %[[V0]] : tensor<4xi9>
func.func @shiftmax_i9(%x: tensor<4xi8>) -> tensor<4xi9> {
  %0 = qopt.shiftmax %x {axis = 0 : i64, x0 = -7 : i64} : (tensor<4xi8>) -> tensor<4xi9>
  return %0 : tensor<4xi9>
}

// CHECK-LABEL: func.func @shift_gelu(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x8xi8>, %[[Y:[a-zA-Z0-9_]+]]: tensor<4xi16>) -> (tensor<2x8xi32>, tensor<4xi32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.shift_gelu %[[X]] {x0 = -12 : i64} : (tensor<2x8xi8>) -> tensor<2x8xi32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.shift_gelu %[[Y]] {n = 10 : i64, output_bits = 16 : i64, x0 = -1 : i64} : (tensor<4xi16>) -> tensor<4xi32>
// CHECK:         return %[[V0]], %[[V1]] : tensor<2x8xi32>, tensor<4xi32>
func.func @shift_gelu(%x: tensor<2x8xi8>, %y: tensor<4xi16>) -> (tensor<2x8xi32>, tensor<4xi32>) {
  %0 = qopt.shift_gelu %x {x0 = -12 : i64} : (tensor<2x8xi8>) -> tensor<2x8xi32>
  %1 = qopt.shift_gelu %y {x0 = -1 : i64, n = 10 : i64, output_bits = 16 : i64} : (tensor<4xi16>) -> tensor<4xi32>
  return %0, %1 : tensor<2x8xi32>, tensor<4xi32>
}

// sqrt_iterations = 10 is the default and is elided; 64 is the maximum.
// CHECK-LABEL: func.func @int_layernorm(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x8xi16>) -> (tensor<2x8xi32>, tensor<2x8xi32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.int_layernorm %[[X]] : (tensor<2x8xi16>) -> tensor<2x8xi32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.int_layernorm %[[X]] {sqrt_iterations = 64 : i64} : (tensor<2x8xi16>) -> tensor<2x8xi32>
// CHECK:         return %[[V0]], %[[V1]] : tensor<2x8xi32>, tensor<2x8xi32>
func.func @int_layernorm(%x: tensor<2x8xi16>) -> (tensor<2x8xi32>, tensor<2x8xi32>) {
  %0 = qopt.int_layernorm %x : (tensor<2x8xi16>) -> tensor<2x8xi32>
  %1 = qopt.int_layernorm %x {sqrt_iterations = 64 : i64} : (tensor<2x8xi16>) -> tensor<2x8xi32>
  return %0, %1 : tensor<2x8xi32>, tensor<2x8xi32>
}

// CHECK-LABEL: func.func @int_avg_pool2d(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x5x5xi8>) -> (tensor<1x2x3x3xi8>, tensor<1x2x3x3xi8>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.int_avg_pool2d %[[X]] {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xi8>) -> tensor<1x2x3x3xi8>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.int_avg_pool2d %[[X]] {ceil_mode = true, count_include_pad = true, input_zp = -128 : i64, kernel = array<i64: 2, 2>, output_zp = 127 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xi8>) -> tensor<1x2x3x3xi8>
// CHECK:         return %[[V0]], %[[V1]] : tensor<1x2x3x3xi8>, tensor<1x2x3x3xi8>
func.func @int_avg_pool2d(%x: tensor<1x2x5x5xi8>) -> (tensor<1x2x3x3xi8>, tensor<1x2x3x3xi8>) {
  %0 = qopt.int_avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xi8>) -> tensor<1x2x3x3xi8>
  %1 = qopt.int_avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true, count_include_pad = true, input_zp = -128 : i64, output_zp = 127 : i64} : (tensor<1x2x5x5xi8>) -> tensor<1x2x3x3xi8>
  return %0, %1 : tensor<1x2x3x3xi8>, tensor<1x2x3x3xi8>
}
