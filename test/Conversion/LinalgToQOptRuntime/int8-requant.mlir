// An int8 convolution whose int32 result only feeds its rescale (as
// convert-qopt-to-linalg and qopt-fuse-elementwise lower them) calls the
// runtime's requantizing convolution: the int32 buffer, the bias broadcast
// and the rescale loop disappear. Other rescale forms stay loops.
// RUN: qopt-opt %s --pass-pipeline="builtin.module(convert-qopt-to-linalg,func.func(convert-elementwise-to-linalg),canonicalize,func.func(qopt-fuse-elementwise),canonicalize,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},buffer-results-to-out-params{hoist-static-allocs modify-public-functions},canonicalize,buffer-deallocation-pipeline,convert-linalg-to-qopt-runtime,canonicalize)" --split-input-file | FileCheck %s
// RUN: qopt-opt %s --pass-pipeline="builtin.module(convert-qopt-to-linalg,func.func(convert-elementwise-to-linalg),canonicalize,func.func(qopt-fuse-elementwise),canonicalize,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},buffer-results-to-out-params{hoist-static-allocs modify-public-functions},canonicalize,buffer-deallocation-pipeline,convert-linalg-to-qopt-runtime{fuse-requant=false},canonicalize)" --split-input-file | FileCheck %s --check-prefix=OFF

// Per-channel multipliers and shifts, an int32 bias, then a ReLU (the
// identity rescale clamping at the zero point 3) chained into the same loop:
// one call with the bias, multiplier and shift addresses, m0 = s0 = 0,
// acc_zp 0, out_zp -2 and the clamp [3, 127] of both rescales.
// CHECK-DAG: memref.global "private" constant @[[BG:[^ ]+]] : memref<2xi32> = dense<[100, -7]>
// CHECK-DAG: memref.global "private" constant @[[MG:[^ ]+]] : memref<2xi64> = dense<[1282959757, 2105114302]>
// CHECK-DAG: memref.global "private" constant @[[SG:[^ ]+]] : memref<2xi64> = dense<[39, 41]>
// CHECK-LABEL: func.func @conv_rescale_relu
// CHECK-DAG:     %[[MV:.*]] = memref.get_global @[[MG]] :
// CHECK-DAG:     %[[SV:.*]] = memref.get_global @[[SG]] :
// CHECK-DAG:     %[[BV:.*]] = memref.get_global @[[BG]] :
// CHECK-DAG:     %[[MP:.*]] = memref.extract_aligned_pointer_as_index %[[MV]]
// CHECK-DAG:     %[[SP:.*]] = memref.extract_aligned_pointer_as_index %[[SV]]
// CHECK-DAG:     %[[BP:.*]] = memref.extract_aligned_pointer_as_index %[[BV]]
// CHECK-DAG:     %[[M:.*]] = arith.index_cast %[[MP]]
// CHECK-DAG:     %[[S:.*]] = arith.index_cast %[[SP]]
// CHECK-DAG:     %[[BIAS:.*]] = arith.index_cast %[[BP]]
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[OZP:.*]] = arith.constant -2 : i64
// CHECK-DAG:     %[[LO:.*]] = arith.constant 3 : i64
// CHECK-DAG:     %[[HI:.*]] = arith.constant 127 : i64
// CHECK-NOT:     1x2x8x8xi32
// CHECK:         call @qopt_rt_conv2d_nchw_s8_requant({{(%[^,]+, )+}}%[[BIAS]], %[[M]], %[[S]], %[[ZERO]], %[[ZERO]], %[[ZERO]], %[[OZP]], %[[LO]], %[[HI]])
// CHECK-NOT:     linalg.generic
// CHECK-NOT:     call @qopt_rt_conv2d_nchw_s8(
// CHECK:         return
// OFF-LABEL: func.func @conv_rescale_relu
// OFF:         call @qopt_rt_conv2d_nchw_s8(
// OFF:         linalg.generic
// OFF-NOT:     call @qopt_rt_conv2d_nchw_s8_requant
func.func @conv_rescale_relu(%x: tensor<1x3x8x8xi8>) -> tensor<1x2x8x8xi8> {
  %w = qopt.constant dense<[[[[1, -2, 3], [4, 5, -6], [7, 8, 9]], [[1, 1, 1], [0, 0, 0], [-1, -1, -1]], [[2, 0, -2], [2, 0, -2], [2, 0, -2]]], [[[-1, 2, -3], [4, -5, 6], [-7, 8, -9]], [[3, 3, 3], [1, 1, 1], [-3, -3, -3]], [[0, 1, 0], [1, -4, 1], [0, 1, 0]]]]> : tensor<2x3x3x3xi8>
  %b = qopt.constant dense<[100, -7]> : tensor<2xi32>
  %c = qopt.int_conv2d %x, %w, %b {dilations = array<i64: 1, 1>, input_zp = 5 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xi8>, tensor<2x3x3x3xi8>, tensor<2xi32>) -> tensor<1x2x8x8xi32>
  %r = qopt.rescale %c {axis = 1 : i64, multiplier = array<i32: 1282959757, 2105114302>, output_zp = -2 : i64, shift = array<i32: 39, 41>} : (tensor<1x2x8x8xi32>) -> tensor<1x2x8x8xi8>
  %relu = qopt.rescale %r {input_zp = 3 : i64, multiplier = array<i32: 1073741824>, output_zp = 3 : i64, qmax = 127 : i64, qmin = 3 : i64, shift = array<i32: 30>} : (tensor<1x2x8x8xi8>) -> tensor<1x2x8x8xi8>
  return %relu : tensor<1x2x8x8xi8>
}

// -----

// One multiplier and shift for every channel, no bias (a zero-filled
// accumulator), an input zero point on the accumulator: m0 and s0 are
// passed, the addresses are 0.
// CHECK-LABEL: func.func @conv_rescale_per_tensor
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[M0:.*]] = arith.constant 1518500250 : i64
// CHECK-DAG:     %[[S0:.*]] = arith.constant 36 : i64
// CHECK-DAG:     %[[AZP:.*]] = arith.constant -9 : i64
// CHECK-DAG:     %[[OZP:.*]] = arith.constant 4 : i64
// CHECK-DAG:     %[[LO:.*]] = arith.constant -100 : i64
// CHECK-DAG:     %[[HI:.*]] = arith.constant 100 : i64
// CHECK:         call @qopt_rt_conv2d_nchw_s8_requant({{(%[^,]+, )+}}%[[ZERO]], %[[ZERO]], %[[ZERO]], %[[M0]], %[[S0]], %[[AZP]], %[[OZP]], %[[LO]], %[[HI]])
// CHECK-NOT:     linalg.
func.func @conv_rescale_per_tensor(%x: tensor<1x4x6x6xi8>) -> tensor<1x3x4x4xi8> {
  %w = qopt.constant dense<1> : tensor<3x4x3x3xi8>
  %c = qopt.int_conv2d %x, %w {dilations = array<i64: 1, 1>, input_zp = 0 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xi8>, tensor<3x4x3x3xi8>) -> tensor<1x3x4x4xi32>
  %r = qopt.rescale %c {input_zp = -9 : i64, multiplier = array<i32: 1518500250>, output_zp = 4 : i64, qmin = -100 : i64, qmax = 100 : i64, shift = array<i32: 36>} : (tensor<1x3x4x4xi32>) -> tensor<1x3x4x4xi8>
  return %r : tensor<1x3x4x4xi8>
}

// -----

// half_even rounding (the form of requantize and of ONNX-exact rescales) is
// not what the kernel computes: the convolution keeps its int32 result.
// CHECK-LABEL: func.func @conv_rescale_half_even
// CHECK:         call @qopt_rt_conv2d_nchw_s8(
// CHECK:         linalg.generic
// CHECK-NOT:     call @qopt_rt_conv2d_nchw_s8_requant
func.func @conv_rescale_half_even(%x: tensor<1x4x6x6xi8>) -> tensor<1x3x4x4xi8> {
  %w = qopt.constant dense<1> : tensor<3x4x3x3xi8>
  %c = qopt.int_conv2d %x, %w {dilations = array<i64: 1, 1>, input_zp = 0 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xi8>, tensor<3x4x3x3xi8>) -> tensor<1x3x4x4xi32>
  %r = qopt.rescale %c {multiplier = array<i32: 1518500250>, rounding = #qopt<rounding half_even>, shift = array<i32: 36>} : (tensor<1x3x4x4xi32>) -> tensor<1x3x4x4xi8>
  return %r : tensor<1x3x4x4xi8>
}

// -----

// floor rounding: not fused either.
// CHECK-LABEL: func.func @conv_rescale_floor
// CHECK:         call @qopt_rt_conv2d_nchw_s8(
// CHECK-NOT:     call @qopt_rt_conv2d_nchw_s8_requant
func.func @conv_rescale_floor(%x: tensor<1x4x6x6xi8>) -> tensor<1x3x4x4xi8> {
  %w = qopt.constant dense<1> : tensor<3x4x3x3xi8>
  %c = qopt.int_conv2d %x, %w {dilations = array<i64: 1, 1>, input_zp = 0 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xi8>, tensor<3x4x3x3xi8>) -> tensor<1x3x4x4xi32>
  %r = qopt.rescale %c {multiplier = array<i32: 1518500250>, rounding = #qopt<rounding floor>, shift = array<i32: 36>} : (tensor<1x3x4x4xi32>) -> tensor<1x3x4x4xi8>
  return %r : tensor<1x3x4x4xi8>
}

// -----

// A second rescale in the chain that is not a clamp of the first (it
// doubles): not one clamp, so not fused.
// CHECK-LABEL: func.func @conv_rescale_then_scale
// CHECK:         call @qopt_rt_conv2d_nchw_s8(
// CHECK-NOT:     call @qopt_rt_conv2d_nchw_s8_requant
func.func @conv_rescale_then_scale(%x: tensor<1x4x6x6xi8>) -> tensor<1x3x4x4xi8> {
  %w = qopt.constant dense<1> : tensor<3x4x3x3xi8>
  %c = qopt.int_conv2d %x, %w {dilations = array<i64: 1, 1>, input_zp = 0 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xi8>, tensor<3x4x3x3xi8>) -> tensor<1x3x4x4xi32>
  %r = qopt.rescale %c {multiplier = array<i32: 1518500250>, shift = array<i32: 36>} : (tensor<1x3x4x4xi32>) -> tensor<1x3x4x4xi8>
  %d = qopt.rescale %r {multiplier = array<i32: 1073741824>, shift = array<i32: 29>} : (tensor<1x3x4x4xi8>) -> tensor<1x3x4x4xi8>
  return %d : tensor<1x3x4x4xi8>
}

// -----

// The int32 result is also returned: it must be written, no fusion.
// CHECK-LABEL: func.func @conv_two_readers
// CHECK:         call @qopt_rt_conv2d_nchw_s8(
// CHECK-NOT:     call @qopt_rt_conv2d_nchw_s8_requant
func.func @conv_two_readers(%x: tensor<1x4x6x6xi8>) -> (tensor<1x3x4x4xi8>, tensor<1x3x4x4xi32>) {
  %w = qopt.constant dense<1> : tensor<3x4x3x3xi8>
  %c = qopt.int_conv2d %x, %w {dilations = array<i64: 1, 1>, input_zp = 0 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xi8>, tensor<3x4x3x3xi8>) -> tensor<1x3x4x4xi32>
  %r = qopt.rescale %c {multiplier = array<i32: 1518500250>, shift = array<i32: 36>} : (tensor<1x3x4x4xi32>) -> tensor<1x3x4x4xi8>
  return %r, %c : tensor<1x3x4x4xi8>, tensor<1x3x4x4xi32>
}

// -----

// A residual added to the rescaled result: qopt-fuse-elementwise keeps the
// int_add out of the rescale's loop, so the convolution fuses its rescale
// and the addition reads its int8 result.
// CHECK-LABEL: func.func @conv_rescale_residual
// CHECK:         call @qopt_rt_conv2d_nchw_s8_requant(
// CHECK:         linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : memref<1x3x4x4xi8>, memref<1x3x4x4xi8>)
// CHECK-NOT:     call @qopt_rt_conv2d_nchw_s8(
func.func @conv_rescale_residual(%x: tensor<1x4x6x6xi8>, %y: tensor<1x3x4x4xi8>) -> tensor<1x3x4x4xi8> {
  %w = qopt.constant dense<1> : tensor<3x4x3x3xi8>
  %c = qopt.int_conv2d %x, %w {dilations = array<i64: 1, 1>, input_zp = 0 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x6x6xi8>, tensor<3x4x3x3xi8>) -> tensor<1x3x4x4xi32>
  %r = qopt.rescale %c {multiplier = array<i32: 1518500250>, shift = array<i32: 36>} : (tensor<1x3x4x4xi32>) -> tensor<1x3x4x4xi8>
  %s = qopt.int_add %r, %y {lhs_multiplier = 1818429645 : i32, lhs_shift = 31 : i32, lhs_zp = 0 : i64, output_zp = -14 : i64, rhs_multiplier = 2020496423 : i32, rhs_shift = 31 : i32, rhs_zp = -1 : i64} : (tensor<1x3x4x4xi8>, tensor<1x3x4x4xi8>) -> tensor<1x3x4x4xi8>
  return %s : tensor<1x3x4x4xi8>
}
