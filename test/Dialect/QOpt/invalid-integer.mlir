// Verifier errors of the integer-only qopt ops: one case per error path of
// IntegerOps.cpp, the shared helpers of Verification.cpp that they use
// (verifyFitsInteger, verifyConv2DShapes, verifyMatMulShapes,
// verifyPool2DShapes) and representative ODS type constraints.
// RUN: qopt-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// rescale
//===----------------------------------------------------------------------===//

func.func @rescale_input_width(%x: tensor<4xi64>) -> tensor<4xi8> {
  // expected-error @+1 {{input elements have 64 bits; at most 32 are supported}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>} : (tensor<4xi64>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_result_width(%x: tensor<4xi32>) -> tensor<4xi48> {
  // expected-error @+1 {{result elements have 48 bits; at most 32 are supported}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>} : (tensor<4xi32>) -> tensor<4xi48>
  return %0 : tensor<4xi48>
}

// -----

func.func @rescale_shift_count(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{needs one shift per multiplier and at least one, got 2 multipliers and 1 shifts}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1, 2>, shift = array<i32: 0>, axis = 0 : i64} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @rescale_no_multiplier(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{needs one shift per multiplier and at least one, got 0 multipliers and 0 shifts}}
  %0 = qopt.rescale %x {multiplier = array<i32>, shift = array<i32>} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @rescale_negative_multiplier(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'multiplier' must be >= 0, got -1}}
  %0 = qopt.rescale %x {multiplier = array<i32: -1>, shift = array<i32: 0>} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @rescale_shift_too_large(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'shift' must be in [0, 62], got 63}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1, 1>, shift = array<i32: 0, 63>, axis = 0 : i64} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @rescale_negative_shift(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'shift' must be in [0, 62], got -1}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: -1>} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @rescale_axis(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'axis' = 2 is out of range}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, axis = 2 : i64} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @rescale_negative_axis(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'axis' = -1 is out of range}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, axis = -1 : i64} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @rescale_channel_count(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{has 2 multipliers for dim 1 of size 3}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1, 2>, shift = array<i32: 0, 0>, axis = 1 : i64} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @rescale_per_channel_without_axis(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{per-channel multipliers need an 'axis'}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1, 2>, shift = array<i32: 0, 0>} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @rescale_input_zp(%x: tensor<4xi8>) -> tensor<4xi32> {
  // expected-error @+1 {{'input_zp' = 128 does not fit in 'i8' [-128, 127]}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, input_zp = 128 : i64} : (tensor<4xi8>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @rescale_output_zp(%x: tensor<4xi32>) -> tensor<4xi4> {
  // expected-error @+1 {{'output_zp' = -9 does not fit in 'i4' [-8, 7]}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, output_zp = -9 : i64} : (tensor<4xi32>) -> tensor<4xi4>
  return %0 : tensor<4xi4>
}

// -----

func.func @rescale_qmin(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qmin' = -200 does not fit in 'i8' [-128, 127]}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, qmin = -200 : i64} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_qmax(%x: tensor<4xi32>) -> tensor<4xi16> {
  // expected-error @+1 {{'qmax' = 32768 does not fit in 'i16' [-32768, 32767]}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, qmax = 32768 : i64} : (tensor<4xi32>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @rescale_qmin_exceeds_qmax(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qmin' (10) exceeds 'qmax' (-10)}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, qmin = 10 : i64, qmax = -10 : i64} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// The comparison uses the defaulted bound: qmax defaults to 127 for i8.
func.func @rescale_qmin_exceeds_default_qmax(%x: tensor<4xi32>) -> tensor<4xi1> {
  // expected-error @+1 {{'qmin' (0) exceeds 'qmax' (-1)}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, qmin = 0 : i64, qmax = -1 : i64} : (tensor<4xi32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// i0 holds only 0: the range check must not shift by -1.
func.func @rescale_i0_zero_point(%x: tensor<4xi0>) -> tensor<4xi8> {
  // expected-error @+1 {{'input_zp' = 1 does not fit in 'i0' [0, 0]}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, input_zp = 1 : i64} : (tensor<4xi0>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_shape(%x: tensor<2x3xi32>) -> tensor<6xi8> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>} : (tensor<2x3xi32>) -> tensor<6xi8>
  return %0 : tensor<6xi8>
}

// -----

// ODS: a float tensor into qopt.rescale.
func.func @rescale_float(%x: tensor<2x3xf32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of signless integer values, but got 'tensor<2x3xf32>'}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>} : (tensor<2x3xf32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// ODS: integer ops take plain integers, not quantized tensors.
func.func @rescale_quant(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xi8> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of signless integer values, but got 'tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>'}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>} : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// ODS: signed and unsigned integers are not signless.
func.func @rescale_unsigned(%x: tensor<4xui8>) -> tensor<4xi8> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of signless integer values, but got 'tensor<4xui8>'}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>} : (tensor<4xui8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// ODS: the multiplier is an i32 array.
func.func @rescale_multiplier_type(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{attribute 'multiplier' failed to satisfy constraint: i32 dense array attribute}}
  %0 = qopt.rescale %x {multiplier = array<i64: 1>, shift = array<i32: 0>} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @rescale_bad_rounding(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+2 {{expected ::mlir::qopt::RoundingMode to be one of: half_up, half_even, floor}}
  // expected-error @+1 {{failed to parse QOpt_RoundingModeAttr parameter 'value'}}
  %0 = qopt.rescale %x {multiplier = array<i32: 1>, shift = array<i32: 0>, rounding = #qopt<rounding ceil>} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

//===----------------------------------------------------------------------===//
// int_conv2d
//===----------------------------------------------------------------------===//

func.func @int_conv2d_input_width(%x: tensor<1x4x8x8xi32>, %w: tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi32> {
  // expected-error @+1 {{input elements have 32 bits; at most 16 are supported}}
  %0 = qopt.int_conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xi32>, tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi32>
  return %0 : tensor<1x6x6x6xi32>
}

// -----

func.func @int_conv2d_weight_width(%x: tensor<1x4x8x8xi8>, %w: tensor<6x4x3x3xi17>) -> tensor<1x6x6x6xi32> {
  // expected-error @+1 {{weight elements have 17 bits; at most 16 are supported}}
  %0 = qopt.int_conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xi8>, tensor<6x4x3x3xi17>) -> tensor<1x6x6x6xi32>
  return %0 : tensor<1x6x6x6xi32>
}

// -----

func.func @int_conv2d_input_zp(%x: tensor<1x4x8x8xi8>, %w: tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi32> {
  // expected-error @+1 {{'input_zp' = -129 does not fit in 'i8' [-128, 127]}}
  %0 = qopt.int_conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, input_zp = -129 : i64} : (tensor<1x4x8x8xi8>, tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi32>
  return %0 : tensor<1x6x6x6xi32>
}

// -----

func.func @int_conv2d_weight_zp(%x: tensor<1x4x8x8xi8>, %w: tensor<6x4x3x3xi4>) -> tensor<1x6x6x6xi32> {
  // expected-error @+1 {{'weight_zp' = 8 does not fit in 'i4' [-8, 7]}}
  %0 = qopt.int_conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, weight_zp = 8 : i64} : (tensor<1x4x8x8xi8>, tensor<6x4x3x3xi4>) -> tensor<1x6x6x6xi32>
  return %0 : tensor<1x6x6x6xi32>
}

// -----

func.func @int_conv2d_rank(%x: tensor<4x8x8xi8>, %w: tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi32> {
  // expected-error @+1 {{input, weight and result must have rank 4}}
  %0 = qopt.int_conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<4x8x8xi8>, tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi32>
  return %0 : tensor<1x6x6x6xi32>
}

// -----

func.func @int_conv2d_group(%x: tensor<1x4x8x8xi8>, %w: tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi32> {
  // expected-error @+1 {{group -1 must be >= 1 and divide the input channels (4) and the filters (6)}}
  %0 = qopt.int_conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = -1 : i64} : (tensor<1x4x8x8xi8>, tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi32>
  return %0 : tensor<1x6x6x6xi32>
}

// -----

func.func @int_conv2d_weight_channels(%x: tensor<1x4x8x8xi8>, %w: tensor<6x2x3x3xi8>) -> tensor<1x6x6x6xi32> {
  // expected-error @+1 {{weight has 2 input channels per group, expected 4}}
  %0 = qopt.int_conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xi8>, tensor<6x2x3x3xi8>) -> tensor<1x6x6x6xi32>
  return %0 : tensor<1x6x6x6xi32>
}

// -----

func.func @int_conv2d_bias(%x: tensor<1x4x8x8xi8>, %w: tensor<6x4x3x3xi8>, %b: tensor<4xi32>) -> tensor<1x6x6x6xi32> {
  // expected-error @+1 {{bias must have shape 6, got 4}}
  %0 = qopt.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xi8>, tensor<6x4x3x3xi8>, tensor<4xi32>) -> tensor<1x6x6x6xi32>
  return %0 : tensor<1x6x6x6xi32>
}

// -----

func.func @int_conv2d_pads(%x: tensor<1x4x8x8xi8>, %w: tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi32> {
  // expected-error @+1 {{'pads' must have 4 entries, got 3}}
  %0 = qopt.int_conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xi8>, tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi32>
  return %0 : tensor<1x6x6x6xi32>
}

// -----

func.func @int_conv2d_kernel(%x: tensor<1x4x2x2xi8>, %w: tensor<6x4x3x3xi8>) -> tensor<1x6x1x1xi32> {
  // expected-error @+1 {{the kernel does not fit in the padded input}}
  %0 = qopt.int_conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x2x2xi8>, tensor<6x4x3x3xi8>) -> tensor<1x6x1x1xi32>
  return %0 : tensor<1x6x1x1xi32>
}

// -----

func.func @int_conv2d_result_shape(%x: tensor<1x4x8x8xi8>, %w: tensor<6x4x3x3xi8>) -> tensor<1x6x3x3xi32> {
  // expected-error @+1 {{result shape 1x6x3x3 does not match the computed shape 1x6x4x4}}
  %0 = qopt.int_conv2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xi8>, tensor<6x4x3x3xi8>) -> tensor<1x6x3x3xi32>
  return %0 : tensor<1x6x3x3xi32>
}

// -----

// ODS: the bias is int32.
func.func @int_conv2d_bias_type(%x: tensor<1x4x8x8xi8>, %w: tensor<6x4x3x3xi8>, %b: tensor<6xi8>) -> tensor<1x6x6x6xi32> {
  // expected-error @+1 {{operand #2 must be statically shaped tensor of 32-bit signless integer values, but got 'tensor<6xi8>'}}
  %0 = qopt.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xi8>, tensor<6x4x3x3xi8>, tensor<6xi8>) -> tensor<1x6x6x6xi32>
  return %0 : tensor<1x6x6x6xi32>
}

// -----

// ODS: the accumulator is int32.
func.func @int_conv2d_result_type(%x: tensor<1x4x8x8xi8>, %w: tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi16> {
  // expected-error @+1 {{result #0 must be statically shaped tensor of 32-bit signless integer values, but got 'tensor<1x6x6x6xi16>'}}
  %0 = qopt.int_conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xi8>, tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi16>
  return %0 : tensor<1x6x6x6xi16>
}

// -----

//===----------------------------------------------------------------------===//
// int_matmul
//===----------------------------------------------------------------------===//

func.func @int_matmul_lhs_width(%a: tensor<3x4xi32>, %b: tensor<4x5xi8>) -> tensor<3x5xi32> {
  // expected-error @+1 {{lhs elements have 32 bits; at most 16 are supported}}
  %0 = qopt.int_matmul %a, %b : (tensor<3x4xi32>, tensor<4x5xi8>) -> tensor<3x5xi32>
  return %0 : tensor<3x5xi32>
}

// -----

func.func @int_matmul_rhs_width(%a: tensor<3x4xi8>, %b: tensor<4x5xi32>) -> tensor<3x5xi32> {
  // expected-error @+1 {{rhs elements have 32 bits; at most 16 are supported}}
  %0 = qopt.int_matmul %a, %b : (tensor<3x4xi8>, tensor<4x5xi32>) -> tensor<3x5xi32>
  return %0 : tensor<3x5xi32>
}

// -----

func.func @int_matmul_lhs_zp(%a: tensor<3x4xi8>, %b: tensor<4x5xi8>) -> tensor<3x5xi32> {
  // expected-error @+1 {{'lhs_zp' = 255 does not fit in 'i8' [-128, 127]}}
  %0 = qopt.int_matmul %a, %b {lhs_zp = 255 : i64} : (tensor<3x4xi8>, tensor<4x5xi8>) -> tensor<3x5xi32>
  return %0 : tensor<3x5xi32>
}

// -----

func.func @int_matmul_rhs_zp(%a: tensor<3x4xi8>, %b: tensor<4x5xi16>) -> tensor<3x5xi32> {
  // expected-error @+1 {{'rhs_zp' = -32769 does not fit in 'i16' [-32768, 32767]}}
  %0 = qopt.int_matmul %a, %b {rhs_zp = -32769 : i64} : (tensor<3x4xi8>, tensor<4x5xi16>) -> tensor<3x5xi32>
  return %0 : tensor<3x5xi32>
}

// -----

func.func @int_matmul_rank(%a: tensor<4xi8>, %b: tensor<4x5xi8>) -> tensor<5xi32> {
  // expected-error @+1 {{operands must have rank >= 2}}
  %0 = qopt.int_matmul %a, %b : (tensor<4xi8>, tensor<4x5xi8>) -> tensor<5xi32>
  return %0 : tensor<5xi32>
}

// -----

func.func @int_matmul_contraction(%a: tensor<3x4xi8>, %b: tensor<3x5xi8>) -> tensor<3x5xi32> {
  // expected-error @+1 {{contraction sizes differ: lhs has 4, rhs has 3}}
  %0 = qopt.int_matmul %a, %b : (tensor<3x4xi8>, tensor<3x5xi8>) -> tensor<3x5xi32>
  return %0 : tensor<3x5xi32>
}

// -----

func.func @int_matmul_batch(%a: tensor<2x3x4xi8>, %b: tensor<5x4x5xi8>) -> tensor<2x3x5xi32> {
  // expected-error @+1 {{batch dims 2 and 5 do not broadcast}}
  %0 = qopt.int_matmul %a, %b : (tensor<2x3x4xi8>, tensor<5x4x5xi8>) -> tensor<2x3x5xi32>
  return %0 : tensor<2x3x5xi32>
}

// -----

func.func @int_matmul_result_shape(%a: tensor<3x4xi8>, %b: tensor<4x5xi8>) -> tensor<3x4xi32> {
  // expected-error @+1 {{result shape 3x4 does not match the computed shape 3x5}}
  %0 = qopt.int_matmul %a, %b : (tensor<3x4xi8>, tensor<4x5xi8>) -> tensor<3x4xi32>
  return %0 : tensor<3x4xi32>
}

// -----

//===----------------------------------------------------------------------===//
// int_add
//===----------------------------------------------------------------------===//

func.func @int_add_lhs_width(%a: tensor<4xi64>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{lhs elements have 64 bits; at most 32 are supported}}
  %0 = qopt.int_add %a, %b {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1 : i32, rhs_shift = 0 : i32} : (tensor<4xi64>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @int_add_rhs_width(%a: tensor<4xi8>, %b: tensor<4xi33>) -> tensor<4xi8> {
  // expected-error @+1 {{rhs elements have 33 bits; at most 32 are supported}}
  %0 = qopt.int_add %a, %b {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1 : i32, rhs_shift = 0 : i32} : (tensor<4xi8>, tensor<4xi33>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @int_add_result_width(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi64> {
  // expected-error @+1 {{result elements have 64 bits; at most 32 are supported}}
  %0 = qopt.int_add %a, %b {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1 : i32, rhs_shift = 0 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// The I32Attr getters are unsigned: negative values must still be caught.
func.func @int_add_lhs_multiplier(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'lhs_multiplier' must be >= 0, got -5}}
  %0 = qopt.int_add %a, %b {lhs_multiplier = -5 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1 : i32, rhs_shift = 0 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @int_add_lhs_shift(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'lhs_shift' must be in [0, 62], got -1}}
  %0 = qopt.int_add %a, %b {lhs_multiplier = 1 : i32, lhs_shift = -1 : i32, rhs_multiplier = 1 : i32, rhs_shift = 0 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @int_add_rhs_multiplier(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'rhs_multiplier' must be >= 0, got -2147483648}}
  %0 = qopt.int_add %a, %b {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, rhs_multiplier = -2147483648 : i32, rhs_shift = 0 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @int_add_rhs_shift(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'rhs_shift' must be in [0, 62], got 63}}
  %0 = qopt.int_add %a, %b {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1 : i32, rhs_shift = 63 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @int_add_lhs_zp(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'lhs_zp' = 128 does not fit in 'i8' [-128, 127]}}
  %0 = qopt.int_add %a, %b {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1 : i32, rhs_shift = 0 : i32, lhs_zp = 128 : i64} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @int_add_rhs_zp(%a: tensor<4xi8>, %b: tensor<4xi4>) -> tensor<4xi8> {
  // expected-error @+1 {{'rhs_zp' = 8 does not fit in 'i4' [-8, 7]}}
  %0 = qopt.int_add %a, %b {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1 : i32, rhs_shift = 0 : i32, rhs_zp = 8 : i64} : (tensor<4xi8>, tensor<4xi4>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @int_add_output_zp(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'output_zp' = -129 does not fit in 'i8' [-128, 127]}}
  %0 = qopt.int_add %a, %b {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1 : i32, rhs_shift = 0 : i32, output_zp = -129 : i64} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @int_add_no_broadcast(%a: tensor<2x3xi8>, %b: tensor<2xi8>) -> tensor<2x3xi8> {
  // expected-error @+1 {{operand shapes 2x3 and 2 do not broadcast}}
  %0 = qopt.int_add %a, %b {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1 : i32, rhs_shift = 0 : i32} : (tensor<2x3xi8>, tensor<2xi8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @int_add_result_shape(%a: tensor<2x3xi8>, %b: tensor<3xi8>) -> tensor<3xi8> {
  // expected-error @+1 {{result shape 3 must be the broadcast shape 2x3}}
  %0 = qopt.int_add %a, %b {lhs_multiplier = 1 : i32, lhs_shift = 0 : i32, rhs_multiplier = 1 : i32, rhs_shift = 0 : i32} : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<3xi8>
  return %0 : tensor<3xi8>
}

// -----

// ODS: the multipliers and shifts are required.
func.func @int_add_missing_attr(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{requires attribute 'lhs_multiplier'}}
  %0 = qopt.int_add %a, %b {lhs_shift = 0 : i32, rhs_multiplier = 1 : i32, rhs_shift = 0 : i32} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

//===----------------------------------------------------------------------===//
// shiftmax
//===----------------------------------------------------------------------===//

func.func @shiftmax_x0(%x: tensor<2x8xi32>) -> tensor<2x8xi16> {
  // expected-error @+1 {{'x0' = floor(-1/s) must be negative, got 0}}
  %0 = qopt.shiftmax %x {axis = 1 : i64, x0 = 0 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi16>
  return %0 : tensor<2x8xi16>
}

// -----

func.func @shiftmax_n_zero(%x: tensor<2x8xi32>) -> tensor<2x8xi16> {
  // expected-error @+1 {{'n' must be in [1, 30], got 0}}
  %0 = qopt.shiftmax %x {axis = 1 : i64, x0 = -5 : i64, n = 0 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi16>
  return %0 : tensor<2x8xi16>
}

// -----

func.func @shiftmax_n_large(%x: tensor<2x8xi32>) -> tensor<2x8xi16> {
  // expected-error @+1 {{'n' must be in [1, 30], got 31}}
  %0 = qopt.shiftmax %x {axis = 1 : i64, x0 = -5 : i64, n = 31 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi16>
  return %0 : tensor<2x8xi16>
}

// -----

func.func @shiftmax_output_bits_small(%x: tensor<2x8xi32>) -> tensor<2x8xi16> {
  // expected-error @+1 {{'output_bits' must be in [2, 16], got 1}}
  %0 = qopt.shiftmax %x {axis = 1 : i64, x0 = -5 : i64, output_bits = 1 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi16>
  return %0 : tensor<2x8xi16>
}

// -----

func.func @shiftmax_output_bits_large(%x: tensor<2x8xi32>) -> tensor<2x8xi32> {
  // expected-error @+1 {{'output_bits' must be in [2, 16], got 17}}
  %0 = qopt.shiftmax %x {axis = 1 : i64, x0 = -5 : i64, output_bits = 17 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi32>
  return %0 : tensor<2x8xi32>
}

// -----

func.func @shiftmax_input_width(%x: tensor<2x8xi64>) -> tensor<2x8xi16> {
  // expected-error @+1 {{input elements have 64 bits; at most 32 are supported}}
  %0 = qopt.shiftmax %x {axis = 1 : i64, x0 = -5 : i64} : (tensor<2x8xi64>) -> tensor<2x8xi16>
  return %0 : tensor<2x8xi16>
}

// -----

func.func @shiftmax_axis(%x: tensor<2x8xi32>) -> tensor<2x8xi16> {
  // expected-error @+1 {{'axis' = 2 is out of range}}
  %0 = qopt.shiftmax %x {axis = 2 : i64, x0 = -5 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi16>
  return %0 : tensor<2x8xi16>
}

// -----

// The result reaches 2^(output_bits-1) - 1 = 127, which needs 8 signed bits.
func.func @shiftmax_result_width(%x: tensor<2x8xi32>) -> tensor<2x8xi7> {
  // expected-error @+1 {{result type must hold 2^(output_bits-1)-1: it needs 8 bits, has 7}}
  %0 = qopt.shiftmax %x {axis = 1 : i64, x0 = -5 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi7>
  return %0 : tensor<2x8xi7>
}

// -----

func.func @shiftmax_x0_large(%x: tensor<2x8xi32>) -> tensor<2x8xi16> {
  // expected-error @+1 {{'x0' must be at least -2^31, got -2147483649}}
  %0 = qopt.shiftmax %x {axis = 1 : i64, x0 = -2147483649 : i64} : (tensor<2x8xi32>) -> tensor<2x8xi16>
  return %0 : tensor<2x8xi16>
}

// -----

func.func @shiftmax_shape(%x: tensor<2x8xi32>) -> tensor<16xi16> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qopt.shiftmax %x {axis = 1 : i64, x0 = -5 : i64} : (tensor<2x8xi32>) -> tensor<16xi16>
  return %0 : tensor<16xi16>
}

// -----

//===----------------------------------------------------------------------===//
// shift_gelu
//===----------------------------------------------------------------------===//

func.func @shift_gelu_x0(%x: tensor<2x8xi8>) -> tensor<2x8xi32> {
  // expected-error @+1 {{'x0' = floor(-1/s) must be negative, got 3}}
  %0 = qopt.shift_gelu %x {x0 = 3 : i64} : (tensor<2x8xi8>) -> tensor<2x8xi32>
  return %0 : tensor<2x8xi32>
}

// -----

func.func @shift_gelu_n(%x: tensor<2x8xi8>) -> tensor<2x8xi32> {
  // expected-error @+1 {{'n' must be in [1, 30], got 40}}
  %0 = qopt.shift_gelu %x {x0 = -3 : i64, n = 40 : i64} : (tensor<2x8xi8>) -> tensor<2x8xi32>
  return %0 : tensor<2x8xi32>
}

// -----

func.func @shift_gelu_output_bits(%x: tensor<2x8xi8>) -> tensor<2x8xi32> {
  // expected-error @+1 {{'output_bits' must be in [2, 16], got 0}}
  %0 = qopt.shift_gelu %x {x0 = -3 : i64, output_bits = 0 : i64} : (tensor<2x8xi8>) -> tensor<2x8xi32>
  return %0 : tensor<2x8xi32>
}

// -----

// 17 + 16 - 1 = 32 bits would overflow the int32 product.
func.func @shift_gelu_overflow(%x: tensor<2x8xi17>) -> tensor<2x8xi32> {
  // expected-error @+1 {{input width 17 plus output_bits-1 must not exceed 31}}
  %0 = qopt.shift_gelu %x {x0 = -3 : i64, output_bits = 16 : i64} : (tensor<2x8xi17>) -> tensor<2x8xi32>
  return %0 : tensor<2x8xi32>
}

// -----

func.func @shift_gelu_rank(%x: tensor<i8>) -> tensor<i32> {
  // expected-error @+1 {{input must have rank >= 1}}
  %0 = qopt.shift_gelu %x {x0 = -3 : i64} : (tensor<i8>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

// ODS: the result is int32.
func.func @shift_gelu_result_type(%x: tensor<2x8xi8>) -> tensor<2x8xi16> {
  // expected-error @+1 {{result #0 must be statically shaped tensor of 32-bit signless integer values, but got 'tensor<2x8xi16>'}}
  %0 = qopt.shift_gelu %x {x0 = -3 : i64} : (tensor<2x8xi8>) -> tensor<2x8xi16>
  return %0 : tensor<2x8xi16>
}

// -----

//===----------------------------------------------------------------------===//
// int_layernorm
//===----------------------------------------------------------------------===//

// 16-bit inputs keep the variance sum inside 64 bits.
func.func @int_layernorm_width(%x: tensor<2x8xi32>) -> tensor<2x8xi32> {
  // expected-error @+1 {{input elements have 32 bits; at most 16 are supported}}
  %0 = qopt.int_layernorm %x : (tensor<2x8xi32>) -> tensor<2x8xi32>
  return %0 : tensor<2x8xi32>
}

// -----

func.func @int_layernorm_rank(%x: tensor<i16>) -> tensor<i32> {
  // expected-error @+1 {{input must have rank >= 1}}
  %0 = qopt.int_layernorm %x : (tensor<i16>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

func.func @int_layernorm_iterations_zero(%x: tensor<2x8xi16>) -> tensor<2x8xi32> {
  // expected-error @+1 {{'sqrt_iterations' must be in [1, 64], got 0}}
  %0 = qopt.int_layernorm %x {sqrt_iterations = 0 : i64} : (tensor<2x8xi16>) -> tensor<2x8xi32>
  return %0 : tensor<2x8xi32>
}

// -----

func.func @int_layernorm_iterations_large(%x: tensor<2x8xi16>) -> tensor<2x8xi32> {
  // expected-error @+1 {{'sqrt_iterations' must be in [1, 64], got 65}}
  %0 = qopt.int_layernorm %x {sqrt_iterations = 65 : i64} : (tensor<2x8xi16>) -> tensor<2x8xi32>
  return %0 : tensor<2x8xi32>
}

// -----

// The I64Attr getter is unsigned: a negative count must be reported as such.
func.func @int_layernorm_iterations_negative(%x: tensor<2x8xi16>) -> tensor<2x8xi32> {
  // expected-error @+1 {{'sqrt_iterations' must be in [1, 64], got -1}}
  %0 = qopt.int_layernorm %x {sqrt_iterations = -1 : i64} : (tensor<2x8xi16>) -> tensor<2x8xi32>
  return %0 : tensor<2x8xi32>
}

// -----

func.func @int_layernorm_shape(%x: tensor<2x8xi16>) -> tensor<16xi32> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qopt.int_layernorm %x : (tensor<2x8xi16>) -> tensor<16xi32>
  return %0 : tensor<16xi32>
}

// -----

//===----------------------------------------------------------------------===//
// int_avg_pool2d
//===----------------------------------------------------------------------===//

func.func @int_avg_pool2d_input_width(%x: tensor<1x2x4x4xi64>) -> tensor<1x2x2x2xi8> {
  // expected-error @+1 {{input elements have 64 bits; at most 32 are supported}}
  %0 = qopt.int_avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xi64>) -> tensor<1x2x2x2xi8>
  return %0 : tensor<1x2x2x2xi8>
}

// -----

func.func @int_avg_pool2d_result_width(%x: tensor<1x2x4x4xi8>) -> tensor<1x2x2x2xi64> {
  // expected-error @+1 {{result elements have 64 bits; at most 32 are supported}}
  %0 = qopt.int_avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xi8>) -> tensor<1x2x2x2xi64>
  return %0 : tensor<1x2x2x2xi64>
}

// -----

func.func @int_avg_pool2d_input_zp(%x: tensor<1x2x4x4xi8>) -> tensor<1x2x2x2xi8> {
  // expected-error @+1 {{'input_zp' = 200 does not fit in 'i8' [-128, 127]}}
  %0 = qopt.int_avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, input_zp = 200 : i64} : (tensor<1x2x4x4xi8>) -> tensor<1x2x2x2xi8>
  return %0 : tensor<1x2x2x2xi8>
}

// -----

func.func @int_avg_pool2d_output_zp(%x: tensor<1x2x4x4xi8>) -> tensor<1x2x2x2xi8> {
  // expected-error @+1 {{'output_zp' = -200 does not fit in 'i8' [-128, 127]}}
  %0 = qopt.int_avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, output_zp = -200 : i64} : (tensor<1x2x4x4xi8>) -> tensor<1x2x2x2xi8>
  return %0 : tensor<1x2x2x2xi8>
}

// -----

func.func @int_avg_pool2d_rank(%x: tensor<2x4x4xi8>) -> tensor<2x2x2xi8> {
  // expected-error @+1 {{input and result must have rank 4}}
  %0 = qopt.int_avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<2x4x4xi8>) -> tensor<2x2x2xi8>
  return %0 : tensor<2x2x2xi8>
}

// -----

func.func @int_avg_pool2d_strides(%x: tensor<1x2x4x4xi8>) -> tensor<1x2x2x2xi8> {
  // expected-error @+1 {{'strides' entries must be >= 1, got -2}}
  %0 = qopt.int_avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: -2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xi8>) -> tensor<1x2x2x2xi8>
  return %0 : tensor<1x2x2x2xi8>
}

// -----

func.func @int_avg_pool2d_window(%x: tensor<1x2x4x4xi8>) -> tensor<1x2x1x1xi8> {
  // expected-error @+1 {{the window does not fit in the padded input}}
  %0 = qopt.int_avg_pool2d %x {kernel = array<i64: 5, 5>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xi8>) -> tensor<1x2x1x1xi8>
  return %0 : tensor<1x2x1x1xi8>
}

// -----

func.func @int_avg_pool2d_result_shape(%x: tensor<1x2x4x4xi8>) -> tensor<1x2x3x3xi8> {
  // expected-error @+1 {{result shape 1x2x3x3 does not match the computed shape 1x2x2x2}}
  %0 = qopt.int_avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xi8>) -> tensor<1x2x3x3xi8>
  return %0 : tensor<1x2x3x3xi8>
}
