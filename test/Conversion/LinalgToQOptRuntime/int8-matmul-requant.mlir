// An int8 int_matmul whose int32 result only feeds its rescale (with an
// int32 bias before it, or integer ops after it such as the int_add of a
// linear layer's int8 bias) calls the runtime's requantizing GEMM: the int32
// buffer and the rescale loop disappear. A float op, another rounding, a
// second tensor operand or a second reader keep the loop.
// RUN: qopt-opt %s --pass-pipeline="builtin.module(convert-qopt-to-linalg,func.func(convert-elementwise-to-linalg),canonicalize,func.func(qopt-fuse-elementwise),canonicalize,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},buffer-results-to-out-params{hoist-static-allocs modify-public-functions},canonicalize,buffer-deallocation-pipeline,convert-linalg-to-qopt-runtime,canonicalize)" --split-input-file | FileCheck %s
// RUN: qopt-opt %s --pass-pipeline="builtin.module(convert-qopt-to-linalg,func.func(convert-elementwise-to-linalg),canonicalize,func.func(qopt-fuse-elementwise),canonicalize,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},buffer-results-to-out-params{hoist-static-allocs modify-public-functions},canonicalize,buffer-deallocation-pipeline,convert-linalg-to-qopt-runtime{fuse-requant=false},canonicalize)" --split-input-file | FileCheck %s --check-prefix=OFF

// A linear layer: per-channel rescale, then the int_add of an int8 bias.
// The int_add reads back as lut[y] = round_half_up((y - 2)·2^30, 30) = y - 2
// (passed also as its dyadic parameters 2, 2^30, 30) plus, per channel,
// round_half_up((b - 1)·2^30, 31) + 3: b = 10, -20, 5 give 4.5 -> 5,
// -10.5 -> -10 (ties up), 2, so 8, -7, 5.
// CHECK-DAG: memref.global "private" constant @[[MG:[^ ]+]] : memref<3xi32> = dense<[1282959757, 2105114302, 1073741824]>
// CHECK-DAG: memref.global "private" constant @[[SG:[^ ]+]] : memref<3xi32> = dense<[39, 41, 32]>
// (The table prints as a little-endian blob: -130, -129, -128, ...)
// CHECK-DAG: memref.global "private" constant @[[LG:[^ ]+]] : memref<256xi32> = dense<"0x7EFFFFFF7FFFFFFF80FFFFFF81FFFFFF
// CHECK-DAG: memref.global "private" constant @[[AG:[^ ]+]] : memref<3xi32> = dense<[8, -7, 5]>
// CHECK-LABEL: func.func @linear_bias
// CHECK-DAG:     %[[MV:.*]] = memref.get_global @[[MG]] :
// CHECK-DAG:     %[[SV:.*]] = memref.get_global @[[SG]] :
// CHECK-DAG:     %[[LV:.*]] = memref.get_global @[[LG]] :
// CHECK-DAG:     %[[AV:.*]] = memref.get_global @[[AG]] :
// CHECK-DAG:     %[[MP:.*]] = memref.extract_aligned_pointer_as_index %[[MV]]
// CHECK-DAG:     %[[SP:.*]] = memref.extract_aligned_pointer_as_index %[[SV]]
// CHECK-DAG:     %[[LP:.*]] = memref.extract_aligned_pointer_as_index %[[LV]]
// CHECK-DAG:     %[[AP:.*]] = memref.extract_aligned_pointer_as_index %[[AV]]
// CHECK-DAG:     %[[M:.*]] = arith.index_cast %[[MP]]
// CHECK-DAG:     %[[S:.*]] = arith.index_cast %[[SP]]
// CHECK-DAG:     %[[LUT:.*]] = arith.index_cast %[[LP]]
// CHECK-DAG:     %[[ADD:.*]] = arith.index_cast %[[AP]]
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[TWO:.*]] = arith.constant 2 : i64
// CHECK-DAG:     %[[LO:.*]] = arith.constant -128 : i64
// CHECK-DAG:     %[[HI:.*]] = arith.constant 127 : i64
// CHECK-DAG:     %[[TM:.*]] = arith.constant 1073741824 : i64
// CHECK-DAG:     %[[TS:.*]] = arith.constant 30 : i64
// CHECK:         call @qopt_rt_igemm_s8_requant({{(%[^,]+, )+}}%[[ZERO]], %[[M]], %[[S]], %[[ZERO]], %[[ZERO]], %[[ZERO]], %[[ONE]], %[[LO]], %[[HI]], %[[LUT]], %[[ADD]], %[[LO]], %[[HI]], %[[TWO]], %[[TM]], %[[TS]])
// CHECK-NOT:     linalg.generic
// CHECK:         return
// OFF-LABEL: func.func @linear_bias
// OFF:         call @qopt_rt_igemm_s8_cached(
// OFF:         linalg.generic
// OFF-NOT:     call @qopt_rt_igemm_s8_requant
func.func @linear_bias(%x: tensor<1x4x8xi8>) -> tensor<1x4x3xi8> {
  %w = qopt.constant dense<[[1, -2, 3], [4, 5, -6], [7, 8, 9], [1, 1, 1], [0, 0, 0], [-1, -1, -1], [2, 0, -2], [127, -127, 0]]> : tensor<8x3xi8>
  %b = qopt.constant dense<[10, -20, 5]> : tensor<3xi8>
  %c = qopt.int_matmul %x, %w {lhs_zp = -2 : i64} : (tensor<1x4x8xi8>, tensor<8x3xi8>) -> tensor<1x4x3xi32>
  %r = qopt.rescale %c {axis = 2 : i64, multiplier = array<i32: 1282959757, 2105114302, 1073741824>, output_zp = 1 : i64, shift = array<i32: 39, 41, 32>} : (tensor<1x4x3xi32>) -> tensor<1x4x3xi8>
  %y = qopt.int_add %r, %b {lhs_multiplier = 1073741824 : i32, lhs_shift = 30 : i32, lhs_zp = 2 : i64, output_zp = 3 : i64, rhs_multiplier = 1073741824 : i32, rhs_shift = 31 : i32, rhs_zp = 1 : i64} : (tensor<1x4x3xi8>, tensor<3xi8>) -> tensor<1x4x3xi8>
  return %y : tensor<1x4x3xi8>
}

// -----

// A Gemm: the int32 bias (broadcast along the rows ahead of time) joins
// the rescale; the dequantize to f32 that follows stays a loop of its own.
// CHECK-DAG: memref.global "private" constant @[[BG:[^ ]+]] : memref<3xi32> = dense<[100, -7, 2147483647]>
// CHECK-LABEL: func.func @gemm_int32_bias
// CHECK-DAG:     %[[BV:.*]] = memref.get_global @[[BG]] :
// CHECK-DAG:     %[[BP:.*]] = memref.extract_aligned_pointer_as_index %[[BV]]
// CHECK-DAG:     %[[BIAS:.*]] = arith.index_cast %[[BP]]
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[OZP:.*]] = arith.constant -21 : i64
// CHECK-DAG:     %[[LO:.*]] = arith.constant -128 : i64
// CHECK-DAG:     %[[HI:.*]] = arith.constant 127 : i64
// CHECK:         call @qopt_rt_igemm_s8_requant({{(%[^,]+, )+}}%[[BIAS]], %{{.+}}, %{{.+}}, %[[ZERO]], %[[ZERO]], %[[ZERO]], %[[OZP]], %[[LO]], %[[HI]], %[[ZERO]], %[[ZERO]], %[[LO]], %[[HI]], %[[ZERO]], %[[ZERO]], %[[ZERO]])
// CHECK:         linalg.generic
// CHECK:           arith.sitofp
// CHECK:         return
func.func @gemm_int32_bias(%x: tensor<1x8xi8>) -> tensor<1x3xf32> {
  %w = qopt.constant dense<[[1, -2, 3], [4, 5, -6], [7, 8, 9], [1, 1, 1], [0, 0, 0], [-1, -1, -1], [2, 0, -2], [127, -127, 0]]> : tensor<8x3xi8>
  %c = qopt.int_matmul %x, %w {lhs_zp = -23 : i64} : (tensor<1x8xi8>, tensor<8x3xi8>) -> tensor<1x3xi32>
  %b = qopt.constant dense<[[100, -7, 2147483647]]> : tensor<1x3xi32>
  %s = arith.addi %c, %b : tensor<1x3xi32>
  %r = qopt.rescale %s {axis = 1 : i64, multiplier = array<i32: 1854369188, 1103627555, 2055167006>, output_zp = -21 : i64, shift = array<i32: 38, 37, 39>} : (tensor<1x3xi32>) -> tensor<1x3xi8>
  %q = quant.scast %r : tensor<1x3xi8> to tensor<1x3x!quant.uniform<i8:f32, 5.000000e-01:-21>>
  %f = qopt.dequantize %q : (tensor<1x3x!quant.uniform<i8:f32, 5.000000e-01:-21>>) -> tensor<1x3xf32>
  return %f : tensor<1x3xf32>
}

// -----

// The attention products: batched, one multiplier and shift.
// CHECK-LABEL: func.func @attention_scores
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[M0:.*]] = arith.constant 1245276647 : i64
// CHECK-DAG:     %[[S0:.*]] = arith.constant 39 : i64
// CHECK-DAG:     %[[OZP:.*]] = arith.constant -2 : i64
// CHECK-DAG:     %[[LO:.*]] = arith.constant -128 : i64
// CHECK-DAG:     %[[HI:.*]] = arith.constant 127 : i64
// CHECK:         call @qopt_rt_igemm_s8_batched_requant({{(%[^,]+, )+}}%[[M0]], %[[S0]], %[[ZERO]], %[[OZP]], %[[LO]], %[[HI]], %[[ZERO]], %[[LO]], %[[HI]])
// CHECK-NOT:     linalg.
// OFF-LABEL: func.func @attention_scores
// OFF:         call @qopt_rt_igemm_s8_batched(
func.func @attention_scores(%q: tensor<1x2x4x8xi8>, %k: tensor<1x2x8x4xi8>) -> tensor<1x2x4x4xi8> {
  %c = qopt.int_matmul %q, %k {lhs_zp = 2 : i64, rhs_zp = 2 : i64} : (tensor<1x2x4x8xi8>, tensor<1x2x8x4xi8>) -> tensor<1x2x4x4xi32>
  %r = qopt.rescale %c {multiplier = array<i32: 1245276647>, output_zp = -2 : i64, shift = array<i32: 39>} : (tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8>
  return %r : tensor<1x2x4x4xi8>
}

// -----

// ONNX-exact requantization (float_rescale: f32 multiply, ties to even) is
// not the kernel's arithmetic: the loop stays.
// CHECK-LABEL: func.func @float_rescale
// CHECK:         call @qopt_rt_igemm_s8_cached(
// CHECK:         linalg.generic
// CHECK:           arith.mulf
// CHECK-NOT:     call @qopt_rt_igemm_s8_requant
func.func @float_rescale(%x: tensor<4x8xi8>) -> tensor<4x3xi8> {
  %w = qopt.constant dense<3> : tensor<8x3xi8>
  %c = qopt.int_matmul %x, %w {lhs_zp = -2 : i64} : (tensor<4x8xi8>, tensor<8x3xi8>) -> tensor<4x3xi32>
  %r = qopt.float_rescale %c {multiplier = array<f32: 0.125>} : (tensor<4x3xi32>) -> tensor<4x3xi8>
  return %r : tensor<4x3xi8>
}

// -----

// Half-even rounding is not the kernel's either.
// CHECK-LABEL: func.func @half_even
// CHECK-NOT:     call @qopt_rt_igemm_s8_requant
// CHECK:         linalg.generic
func.func @half_even(%x: tensor<4x8xi8>) -> tensor<4x3xi8> {
  %w = qopt.constant dense<3> : tensor<8x3xi8>
  %c = qopt.int_matmul %x, %w {lhs_zp = -2 : i64} : (tensor<4x8xi8>, tensor<8x3xi8>) -> tensor<4x3xi32>
  %r = qopt.rescale %c {multiplier = array<i32: 1518500250>, rounding = #qopt<rounding half_even>, shift = array<i32: 36>} : (tensor<4x3xi32>) -> tensor<4x3xi8>
  return %r : tensor<4x3xi8>
}

// -----

// A residual addition (a second tensor) stays a loop after the fused call.
// CHECK-LABEL: func.func @residual
// CHECK:         call @qopt_rt_igemm_s8_requant(
// CHECK:         linalg.generic
// CHECK:         return
func.func @residual(%x: tensor<4x8xi8>, %res: tensor<4x3xi8>) -> tensor<4x3xi8> {
  %w = qopt.constant dense<3> : tensor<8x3xi8>
  %c = qopt.int_matmul %x, %w {lhs_zp = -2 : i64} : (tensor<4x8xi8>, tensor<8x3xi8>) -> tensor<4x3xi32>
  %r = qopt.rescale %c {multiplier = array<i32: 1518500250>, shift = array<i32: 36>} : (tensor<4x3xi32>) -> tensor<4x3xi8>
  %y = qopt.int_add %r, %res {lhs_multiplier = 1073741824 : i32, lhs_shift = 30 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 30 : i32} : (tensor<4x3xi8>, tensor<4x3xi8>) -> tensor<4x3xi8>
  return %y : tensor<4x3xi8>
}

// -----

// The int32 result read twice: it must be written.
// CHECK-LABEL: func.func @two_readers
// CHECK-NOT:     call @qopt_rt_igemm_s8_requant
// CHECK:         return
func.func @two_readers(%x: tensor<4x8xi8>) -> (tensor<4x3xi8>, tensor<4x3xi32>) {
  %w = qopt.constant dense<3> : tensor<8x3xi8>
  %c = qopt.int_matmul %x, %w {lhs_zp = -2 : i64} : (tensor<4x8xi8>, tensor<8x3xi8>) -> tensor<4x3xi32>
  %r = qopt.rescale %c {multiplier = array<i32: 1518500250>, shift = array<i32: 36>} : (tensor<4x3xi32>) -> tensor<4x3xi8>
  return %r, %c : tensor<4x3xi8>, tensor<4x3xi32>
}

// -----

// A bias that is not a constant (a function argument) is not one of the
// kernel's per-channel tables: the loop stays.
// CHECK-LABEL: func.func @variable_bias
// CHECK-NOT:     call @qopt_rt_igemm_s8_requant
// CHECK:         linalg.generic
func.func @variable_bias(%x: tensor<4x8xi8>, %b: tensor<3xi8>) -> tensor<4x3xi8> {
  %w = qopt.constant dense<3> : tensor<8x3xi8>
  %c = qopt.int_matmul %x, %w {lhs_zp = -2 : i64} : (tensor<4x8xi8>, tensor<8x3xi8>) -> tensor<4x3xi32>
  %r = qopt.rescale %c {multiplier = array<i32: 1518500250>, shift = array<i32: 36>} : (tensor<4x3xi32>) -> tensor<4x3xi8>
  %y = qopt.int_add %r, %b {lhs_multiplier = 1073741824 : i32, lhs_shift = 30 : i32, rhs_multiplier = 1073741824 : i32, rhs_shift = 30 : i32} : (tensor<4x3xi8>, tensor<3xi8>) -> tensor<4x3xi8>
  return %y : tensor<4x3xi8>
}

// -----

// Batched with a multiplier per channel: the batched kernel takes one.
// CHECK-LABEL: func.func @batched_per_channel
// CHECK-NOT:     call @qopt_rt_igemm_s8_batched_requant
// CHECK:         call @qopt_rt_igemm_s8_batched(
// CHECK:         linalg.generic
func.func @batched_per_channel(%q: tensor<2x4x8xi8>, %k: tensor<2x8x2xi8>) -> tensor<2x4x2xi8> {
  %c = qopt.int_matmul %q, %k : (tensor<2x4x8xi8>, tensor<2x8x2xi8>) -> tensor<2x4x2xi32>
  %r = qopt.rescale %c {axis = 2 : i64, multiplier = array<i32: 1245276647, 1245276648>, shift = array<i32: 39, 38>} : (tensor<2x4x2xi32>) -> tensor<2x4x2xi8>
  return %r : tensor<2x4x2xi8>
}
