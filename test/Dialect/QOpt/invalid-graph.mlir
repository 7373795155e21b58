// Verifier errors of the qopt graph ops: one case per error path of
// GraphOps.cpp, the shared helpers of Verification.cpp that graph ops use,
// the SameExpressedElementType / BroadcastingBinary / SameDataElementType
// traits, and representative ODS type constraints.
// RUN: qopt-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// constant
//===----------------------------------------------------------------------===//

func.func @constant_shape() -> tensor<2x2xf32> {
  // expected-error @+1 {{value shape 4 differs from the result shape 2x2}}
  %0 = qopt.constant dense<1.0> : tensor<4xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @constant_element_type() -> tensor<2xf16> {
  // expected-error @+1 {{value element type 'f32' must be 'f16'}}
  %0 = qopt.constant dense<1.0> : tensor<2xf32> -> tensor<2xf16>
  return %0 : tensor<2xf16>
}

// -----

// A quantized constant holds the storage type.
func.func @constant_storage_type() -> tensor<2x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{value element type 'i32' must be 'i8'}}
  %0 = qopt.constant dense<[1, 2]> : tensor<2xi32> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<2x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @constant_per_axis_scales() -> tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>> {
  // expected-error @+1 {{result #0 has 3 scales for dimension 0 of size 2}}
  %0 = qopt.constant dense<[1, 2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>
  return %0 : tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>
}

// -----

func.func @constant_dynamic() -> tensor<?xf32> {
  // expected-error @+1 {{result #0 must be statically shaped tensor of any type values, but got 'tensor<?xf32>'}}
  %0 = qopt.constant dense<1.0> : tensor<4xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

//===----------------------------------------------------------------------===//
// conv2d (shared with int_conv2d: verifyConv2DShapes, verifyArrayAttr)
//===----------------------------------------------------------------------===//

func.func @conv2d_rank(%x: tensor<4x8x8xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{input, weight and result must have rank 4}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv2d_strides_count(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{'strides' must have 2 entries, got 1}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv2d_stride_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{'strides' entries must be >= 1, got 0}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 0>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv2d_pads_count(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{'pads' must have 4 entries, got 2}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv2d_negative_pad(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{'pads' entries must be >= 0, got -1}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, -1, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv2d_dilations(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{'dilations' entries must be >= 1, got 0}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 0, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv2d_group_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{group 3 must be >= 1 and divide the input channels (4) and the filters (6)}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 3} : (tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv2d_group_filters(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{group 4 must be >= 1 and divide the input channels (4) and the filters (6)}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 4} : (tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv2d_group_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{group 0 must be >= 1}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 0} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv2d_weight_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<6x3x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{weight has 3 input channels per group, expected 2}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2} : (tensor<1x4x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv2d_bias_shape(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %b: tensor<5xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{bias must have shape 6, got 5}}
  %0 = qopt.conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<5xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv2d_bias_rank(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %b: tensor<1x6xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{bias must have shape 6, got 1x6}}
  %0 = qopt.conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<1x6xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv2d_kernel_too_large(%x: tensor<1x4x2x2xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<1x6x1x1xf32> {
  // expected-error @+1 {{the kernel does not fit in the padded input}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x2x2xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x1x1xf32>
  return %0 : tensor<1x6x1x1xf32>
}

// -----

func.func @conv2d_result_shape(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<1x6x8x8xf32> {
  // expected-error @+1 {{result shape 1x6x8x8 does not match the computed shape 1x6x6x6}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x8x8xf32>
  return %0 : tensor<1x6x8x8xf32>
}

// -----

// SameExpressedElementType: a float weight of another float type.
func.func @conv2d_expressed_type(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf16>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{operands and results must share one expressed element type, but operand #1 expresses 'f16' where 'f32' was expected}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf16>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

// SameExpressedElementType: a quantized weight expressing another float type.
func.func @conv2d_quant_expressed_type(%x: tensor<1x4x8x8x!quant.uniform<i8:f32, 0.5>>, %w: tensor<6x4x3x3x!quant.uniform<i8:bf16, 0.5>>) -> tensor<1x6x6x6x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{operand #1 expresses 'bf16' where 'f32' was expected}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8x!quant.uniform<i8:f32, 0.5>>, tensor<6x4x3x3x!quant.uniform<i8:bf16, 0.5>>) -> tensor<1x6x6x6x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<1x6x6x6x!quant.uniform<i8:f32, 0.5>>
}

// -----

// SameExpressedElementType checks every tensor's per-axis type.
func.func @conv2d_per_axis_scales(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{operand #1 has 3 scales for dimension 0 of size 2}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

func.func @conv2d_per_axis_rank(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>, %b: tensor<2x!quant.uniform<i32:f32:1, {0.5, 0.25}>>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{operand #2 is quantized along dimension 1 but has rank 1}}
  %0 = qopt.conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2x!quant.uniform<i32:f32:1, {0.5, 0.25}>>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

func.func @conv2d_result_per_axis(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x4x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>> {
  // expected-error @+1 {{result #0 has 3 scales for dimension 1 of size 2}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>
  return %0 : tensor<1x2x4x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>
}

// -----

// ODS: graph ops need static shapes.
func.func @conv2d_dynamic(%x: tensor<?x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point or uniform quantized type values, but got 'tensor<?x4x8x8xf32>'}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<?x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

// ODS: plain integer tensors belong to qopt.int_conv2d.
func.func @conv2d_integer(%x: tensor<1x4x8x8xi8>, %w: tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi32> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point or uniform quantized type values, but got 'tensor<1x4x8x8xi8>'}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xi8>, tensor<6x4x3x3xi8>) -> tensor<1x6x6x6xi32>
  return %0 : tensor<1x6x6x6xi32>
}

// -----

// ODS: a required attribute is missing.
func.func @conv2d_missing_attr(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{requires attribute 'strides'}}
  %0 = qopt.conv2d %x, %w {pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

//===----------------------------------------------------------------------===//
// conv_transpose2d
//===----------------------------------------------------------------------===//

func.func @conv_transpose2d_rank(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3xf32>) -> tensor<1x3x5x5xf32> {
  // expected-error @+1 {{input, weight and result must have rank 4}}
  %0 = qopt.conv_transpose2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x3x3xf32>, tensor<4x3x3xf32>) -> tensor<1x3x5x5xf32>
  return %0 : tensor<1x3x5x5xf32>
}

// -----

func.func @conv_transpose2d_strides(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x3x5x5xf32> {
  // expected-error @+1 {{'strides' entries must be >= 1, got 0}}
  %0 = qopt.conv_transpose2d %x, %w {strides = array<i64: 0, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x5x5xf32>
  return %0 : tensor<1x3x5x5xf32>
}

// -----

func.func @conv_transpose2d_output_padding_count(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x3x5x5xf32> {
  // expected-error @+1 {{'output_padding' must have 2 entries, got 1}}
  %0 = qopt.conv_transpose2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x5x5xf32>
  return %0 : tensor<1x3x5x5xf32>
}

// -----

func.func @conv_transpose2d_output_padding_negative(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x3x5x5xf32> {
  // expected-error @+1 {{'output_padding' entries must be >= 0, got -1}}
  %0 = qopt.conv_transpose2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: -1, 0>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x5x5xf32>
  return %0 : tensor<1x3x5x5xf32>
}

// -----

func.func @conv_transpose2d_group(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x9x5x5xf32> {
  // expected-error @+1 {{group 3 must be >= 1 and divide the input channels (4)}}
  %0 = qopt.conv_transpose2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, group = 3} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x9x5x5xf32>
  return %0 : tensor<1x9x5x5xf32>
}

// -----

func.func @conv_transpose2d_weight_channels(%x: tensor<1x4x3x3xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x3x5x5xf32> {
  // expected-error @+1 {{weight dim 0 (2) must equal the input channels (4)}}
  %0 = qopt.conv_transpose2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x3x3xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x5x5xf32>
  return %0 : tensor<1x3x5x5xf32>
}

// -----

func.func @conv_transpose2d_output_padding_too_large(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x3x8x8xf32> {
  // expected-error @+1 {{'output_padding' must be smaller than the stride or the dilation}}
  %0 = qopt.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 2, 0>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// -----

func.func @conv_transpose2d_bias(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x3x5x5xf32> {
  // expected-error @+1 {{bias must have shape 3, got 4}}
  %0 = qopt.conv_transpose2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x3x5x5xf32>
  return %0 : tensor<1x3x5x5xf32>
}

// -----

func.func @conv_transpose2d_empty(%x: tensor<1x4x1x1xf32>, %w: tensor<4x3x1x1xf32>) -> tensor<1x3x1x1xf32> {
  // expected-error @+1 {{the padding leaves an empty output}}
  %0 = qopt.conv_transpose2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x1x1xf32>, tensor<4x3x1x1xf32>) -> tensor<1x3x1x1xf32>
  return %0 : tensor<1x3x1x1xf32>
}

// -----

func.func @conv_transpose2d_result_shape(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x3x6x6xf32> {
  // expected-error @+1 {{result shape 1x3x6x6 does not match the computed shape 1x3x5x5}}
  %0 = qopt.conv_transpose2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x6x6xf32>
  return %0 : tensor<1x3x6x6xf32>
}

// -----

//===----------------------------------------------------------------------===//
// matmul, batch_matmul, gemm
//===----------------------------------------------------------------------===//

func.func @matmul_rank(%a: tensor<4xf32>, %b: tensor<4x5xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{operands must have rank >= 2}}
  %0 = qopt.matmul %a, %b : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @matmul_contraction(%a: tensor<3x4xf32>, %b: tensor<5x6xf32>) -> tensor<3x6xf32> {
  // expected-error @+1 {{contraction sizes differ: lhs has 4, rhs has 5}}
  %0 = qopt.matmul %a, %b : (tensor<3x4xf32>, tensor<5x6xf32>) -> tensor<3x6xf32>
  return %0 : tensor<3x6xf32>
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x6xf32>) -> tensor<2x3x6xf32> {
  // expected-error @+1 {{batch dims 2 and 3 do not broadcast}}
  %0 = qopt.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x6xf32>) -> tensor<2x3x6xf32>
  return %0 : tensor<2x3x6xf32>
}

// -----

func.func @matmul_result_shape(%a: tensor<2x3x4xf32>, %b: tensor<4x6xf32>) -> tensor<3x6xf32> {
  // expected-error @+1 {{result shape 3x6 does not match the computed shape 2x3x6}}
  %0 = qopt.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x6xf32>) -> tensor<3x6xf32>
  return %0 : tensor<3x6xf32>
}

// -----

func.func @batch_matmul_rank(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  // expected-error @+1 {{operands must have rank 3}}
  %0 = qopt.batch_matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// Unlike matmul, batch_matmul does not broadcast its batch dim.
func.func @batch_matmul_batch(%a: tensor<1x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  // expected-error @+1 {{batch sizes differ: 1 and 2}}
  %0 = qopt.batch_matmul %a, %b : (tensor<1x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

func.func @batch_matmul_contraction(%a: tensor<2x3x4xf32>, %b: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  // expected-error @+1 {{contraction sizes differ: lhs has 4, rhs has 3}}
  %0 = qopt.batch_matmul %a, %b : (tensor<2x3x4xf32>, tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  // expected-error @+1 {{'a' and 'b' must have rank 2}}
  %0 = qopt.gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// With trans_a, a is K×M: K = 3 does not match b's 4.
func.func @gemm_contraction(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{contraction sizes differ: 3 and 4}}
  %0 = qopt.gemm %a, %b {trans_a = true} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @gemm_c(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<3xf32>) -> tensor<3x5xf32> {
  // expected-error @+1 {{'c' of shape 3 does not broadcast to 3x5}}
  %0 = qopt.gemm %a, %b, %c : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<3xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// `c` may broadcast to M×N but must not grow it.
func.func @gemm_c_grows(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<2x3x5xf32>) -> tensor<3x5xf32> {
  // expected-error @+1 {{'c' of shape 2x3x5 does not broadcast to 3x5}}
  %0 = qopt.gemm %a, %b, %c : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<2x3x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

func.func @gemm_result_shape(%a: tensor<3x4xf32>, %b: tensor<5x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{result shape 3x4 does not match the computed shape 3x5}}
  %0 = qopt.gemm %a, %b {trans_b = true} : (tensor<3x4xf32>, tensor<5x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise binary ops (BroadcastingBinary, SameExpressedElementType)
//===----------------------------------------------------------------------===//

func.func @add_no_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{operand shapes 2x3 and 4 do not broadcast}}
  %0 = qopt.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @sub_result_shape(%a: tensor<2x1xf32>, %b: tensor<3xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{result shape 2x1 must be the broadcast shape 2x3}}
  %0 = qopt.sub %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @mul_scalar_result(%a: tensor<f32>, %b: tensor<f32>) -> tensor<1xf32> {
  // expected-error @+1 {{result shape 1 must be the broadcast shape scalar}}
  %0 = qopt.mul %a, %b : (tensor<f32>, tensor<f32>) -> tensor<1xf32>
  return %0 : tensor<1xf32>
}

// -----

func.func @div_expressed_type(%a: tensor<2x3xf32>, %b: tensor<2x3xf16>) -> tensor<2x3xf32> {
  // expected-error @+1 {{operand #1 expresses 'f16' where 'f32' was expected}}
  %0 = qopt.div %a, %b : (tensor<2x3xf32>, tensor<2x3xf16>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @pow_result_expressed_type(%a: tensor<2x3x!quant.uniform<i8:f32, 0.5>>, %b: tensor<2x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x3x!quant.uniform<i8:f16, 0.5>> {
  // expected-error @+1 {{result #0 expresses 'f16' where 'f32' was expected}}
  %0 = qopt.pow %a, %b : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>, tensor<2x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x3x!quant.uniform<i8:f16, 0.5>>
  return %0 : tensor<2x3x!quant.uniform<i8:f16, 0.5>>
}

// -----

func.func @max_per_axis(%a: tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25}>>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{operand #0 has 2 scales for dimension 1 of size 3}}
  %0 = qopt.max %a, %b : (tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25}>>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// ODS: plain integer tensors are not graph tensors.
func.func @min_integer(%a: tensor<2x3xi32>, %b: tensor<2x3xi32>) -> tensor<2x3xi32> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point or uniform quantized type values, but got 'tensor<2x3xi32>'}}
  %0 = qopt.min %a, %b : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise unary ops and activations
//===----------------------------------------------------------------------===//

// ODS: an integer tensor into qopt.relu.
func.func @relu_integer(%x: tensor<2x3xi8>) -> tensor<2x3xi8> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point or uniform quantized type values, but got 'tensor<2x3xi8>'}}
  %0 = qopt.relu %x : (tensor<2x3xi8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// ODS: a dynamic shape.
func.func @relu_dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point or uniform quantized type values, but got 'tensor<?x3xf32>'}}
  %0 = qopt.relu %x : (tensor<?x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// ODS: an unranked tensor.
func.func @exp_unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point or uniform quantized type values, but got 'tensor<*xf32>'}}
  %0 = qopt.exp %x : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @neg_shape(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qopt.neg %x : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @sigmoid_expressed_type(%x: tensor<2x3xf32>) -> tensor<2x3xbf16> {
  // expected-error @+1 {{result #0 expresses 'bf16' where 'f32' was expected}}
  %0 = qopt.sigmoid %x : (tensor<2x3xf32>) -> tensor<2x3xbf16>
  return %0 : tensor<2x3xbf16>
}

// -----

func.func @clamp_min_max(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'min' (6.000000e+00) must not exceed 'max' (5.000000e-01)}}
  %0 = qopt.clamp %x {min = 6.0 : f32, max = 0.5 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A NaN bound is rejected as well.
func.func @clamp_nan(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'min' (nan) must not exceed 'max' (5.000000e-01)}}
  %0 = qopt.clamp %x {min = 0x7FC00000 : f32, max = 0.5 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @gelu_bad_enum(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{expected ::mlir::qopt::GeluApproximation to be one of: none, tanh}}
  // expected-error @+1 {{failed to parse QOpt_GeluApproximationAttr parameter 'value'}}
  %0 = qopt.gelu %x {approximation = #qopt<gelu_approximation erf>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// softmax, layer_norm, batch_norm
//===----------------------------------------------------------------------===//

func.func @softmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'axis' = 2 is out of range [0, 1]}}
  %0 = qopt.softmax %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @softmax_negative_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'axis' = -1 is out of range [0, 1]}}
  %0 = qopt.softmax %x {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_axis(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'axis' = 3 is out of range [0, 2]}}
  %0 = qopt.layer_norm %x, %s {axis = 3 : i64} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @layer_norm_scale(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'scale' shape 4 must equal the normalised dims 3x4}}
  %0 = qopt.layer_norm %x, %s {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @layer_norm_bias(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>, %b: tensor<1x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'bias' shape 1x4 must equal the normalised dims 4}}
  %0 = qopt.layer_norm %x, %s, %b {axis = 2 : i64} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<1x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @layer_norm_epsilon(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'epsilon' must be >= 0}}
  %0 = qopt.layer_norm %x, %s {axis = 2 : i64, epsilon = -1.0e-5 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @layer_norm_result_shape(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>) -> tensor<2x12xf32> {
  // expected-error @+1 {{result shape 2x12 does not match the computed shape 2x3x4}}
  %0 = qopt.layer_norm %x, %s {axis = 2 : i64} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x12xf32>
  return %0 : tensor<2x12xf32>
}

// -----

func.func @batch_norm_rank(%x: tensor<4xf32>, %p: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{input must have rank >= 2}}
  %0 = qopt.batch_norm %x, %p, %p, %p, %p : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @batch_norm_params(%x: tensor<1x2x4x4xf32>, %p: tensor<2xf32>, %v: tensor<3xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{parameters must have shape 2, got 3}}
  %0 = qopt.batch_norm %x, %p, %p, %p, %v : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<3xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

func.func @batch_norm_params_rank(%x: tensor<1x2x4x4xf32>, %p: tensor<2xf32>, %s: tensor<1x2xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{parameters must have shape 2, got 1x2}}
  %0 = qopt.batch_norm %x, %s, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

func.func @batch_norm_epsilon(%x: tensor<1x2x4x4xf32>, %p: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'epsilon' must be >= 0}}
  %0 = qopt.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

func.func @batch_norm_result_shape(%x: tensor<1x2x4x4xf32>, %p: tensor<2xf32>) -> tensor<1x2x16xf32> {
  // expected-error @+1 {{result shape 1x2x16 does not match the computed shape 1x2x4x4}}
  %0 = qopt.batch_norm %x, %p, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x16xf32>
  return %0 : tensor<1x2x16xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Reductions and pooling
//===----------------------------------------------------------------------===//

func.func @compare_types(%a: tensor<3xf32>, %b: tensor<3xi32>) -> tensor<3xi1> {
  // expected-error @+1 {{all of {lhs, rhs} have same element type}}
  %0 = qopt.compare lt %a, %b : (tensor<3xf32>, tensor<3xi32>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @compare_shapes(%a: tensor<2x3xf32>, %b: tensor<2xf32>) -> tensor<2x3xi1> {
  // expected-error @+1 {{operand shapes 2x3 and 2 do not broadcast}}
  %0 = qopt.compare gt %a, %b : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xi1>
  return %0 : tensor<2x3xi1>
}

// -----

func.func @logical_float(%a: tensor<3xf32>) -> tensor<3xi1> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 1-bit signless integer values}}
  %0 = qopt.logical and %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @select_shapes(%c: tensor<2xi1>, %a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{operand shapes 2, 3 and 3 do not broadcast}}
  %0 = qopt.select %c, %a, %a : (tensor<2xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @select_result(%c: tensor<2x1xi1>, %a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{result shape 3 must be the broadcast shape 2x3}}
  %0 = qopt.select %c, %a, %a : (tensor<2x1xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @select_types(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xf16>) -> tensor<3xf32> {
  // expected-error @+1 {{all of {on_true, on_false, output} have same element type}}
  %0 = qopt.select %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @unary_alpha(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'sin' takes no 'alpha'}}
  %0 = qopt.unary sin %x {alpha = 1.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @unary_gamma(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'elu' takes no 'gamma'}}
  %0 = qopt.unary elu %x {gamma = 1.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @unary_celu_zero(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{celu's 'alpha' must not be 0}}
  %0 = qopt.unary celu %x {alpha = 0.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @unary_shape(%x: tensor<2x3xf32>) -> tensor<6xf32> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qopt.unary cos %x : (tensor<2x3xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

func.func @arg_reduce_kind(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  // expected-error @+1 {{'kind' must be max or min}}
  %0 = qopt.arg_reduce sum %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

func.func @arg_reduce_axis(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  // expected-error @+1 {{'axis' = 2 is out of range [0, 1]}}
  %0 = qopt.arg_reduce max %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

func.func @arg_reduce_shape(%x: tensor<2x3xf32>) -> tensor<2xi64> {
  // expected-error @+1 {{result shape 2 does not match the computed shape 2x1}}
  %0 = qopt.arg_reduce max %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

func.func @arg_reduce_int(%x: tensor<2x3xi32>) -> tensor<2x1xi64> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point values}}
  %0 = qopt.arg_reduce max %x {axis = 1 : i64} : (tensor<2x3xi32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

func.func @reduce_empty_axes(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'axes' must not be empty}}
  %0 = qopt.reduce sum %x {axes = array<i64>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @reduce_axis_range(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{'axes' = 2 is out of range [0, 1]}}
  %0 = qopt.reduce max %x {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @reduce_axes_order(%x: tensor<2x3x4xf32>) -> tensor<2x1x1xf32> {
  // expected-error @+1 {{'axes' must be strictly increasing}}
  %0 = qopt.reduce mean %x {axes = array<i64: 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x1xf32>
  return %0 : tensor<2x1x1xf32>
}

// -----

func.func @reduce_axes_duplicate(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  // expected-error @+1 {{'axes' must be strictly increasing}}
  %0 = qopt.reduce mean %x {axes = array<i64: 1, 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

func.func @reduce_result_shape(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  // expected-error @+1 {{result shape 2x1x4 does not match the computed shape 2x4}}
  %0 = qopt.reduce min %x {axes = array<i64: 1>, keep_dims = false} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

func.func @reduce_bad_kind(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+2 {{expected ::mlir::qopt::ReduceKind to be one of: mean, sum, max, min}}
  // expected-error @+1 {{failed to parse QOpt_ReduceKindAttr parameter 'value'}}
  %0 = qopt.reduce avg %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @max_pool2d_rank(%x: tensor<2x5x5xf32>) -> tensor<2x2x2xf32> {
  // expected-error @+1 {{input and result must have rank 4}}
  %0 = qopt.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<2x5x5xf32>) -> tensor<2x2x2xf32>
  return %0 : tensor<2x2x2xf32>
}

// -----

func.func @max_pool2d_kernel_count(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'kernel' must have 2 entries, got 1}}
  %0 = qopt.max_pool2d %x {kernel = array<i64: 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @max_pool2d_kernel_zero(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'kernel' entries must be >= 1, got 0}}
  %0 = qopt.max_pool2d %x {kernel = array<i64: 0, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @max_pool2d_dilations(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'dilations' must have 2 entries, got 0}}
  %0 = qopt.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @max_pool2d_window(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x1x1xf32> {
  // expected-error @+1 {{the window does not fit in the padded input}}
  %0 = qopt.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 2, 2>} : (tensor<1x2x2x2xf32>) -> tensor<1x2x1x1xf32>
  return %0 : tensor<1x2x1x1xf32>
}

// -----

// With ceil_mode = false, 5 rows and a 2x2 window of stride 2 give 2 rows.
func.func @max_pool2d_result_shape(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  // expected-error @+1 {{result shape 1x2x3x3 does not match the computed shape 1x2x2x2}}
  %0 = qopt.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// max_pool2d keeps the quantization parameters (SameDataElementType).
func.func @max_pool2d_element_type(%x: tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.25>> {
  // expected-error @+1 {{result element type '!quant.uniform<i8:f32, 2.500000e-01>' must equal the input element type '!quant.uniform<i8:f32, 5.000000e-01>'}}
  %0 = qopt.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.25>>
  return %0 : tensor<1x2x2x2x!quant.uniform<i8:f32, 0.25>>
}

// -----

func.func @avg_pool2d_pads(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'pads' must have 4 entries, got 2}}
  %0 = qopt.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

// ceil_mode adds a third window.
func.func @avg_pool2d_ceil_mode(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{result shape 1x2x2x2 does not match the computed shape 1x2x3x3}}
  %0 = qopt.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true} : (tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @avg_pool2d_expressed_type(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf16> {
  // expected-error @+1 {{result #0 expresses 'f16' where 'f32' was expected}}
  %0 = qopt.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf16>
  return %0 : tensor<1x2x2x2xf16>
}

// -----

func.func @global_avg_pool2d_rank(%x: tensor<2x5x5xf32>) -> tensor<2x1x1xf32> {
  // expected-error @+1 {{input must have rank 4}}
  %0 = qopt.global_avg_pool2d %x : (tensor<2x5x5xf32>) -> tensor<2x1x1xf32>
  return %0 : tensor<2x1x1xf32>
}

// -----

func.func @global_avg_pool2d_result_shape(%x: tensor<1x2x5x5xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{result shape 1x2 does not match the computed shape 1x2x1x1}}
  %0 = qopt.global_avg_pool2d %x : (tensor<1x2x5x5xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

func.func @reshape_elements(%x: tensor<2x3xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{cannot reshape 6 elements into 8}}
  %0 = qopt.reshape %x : (tensor<2x3xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

func.func @reshape_element_type(%x: tensor<2x3xf32>) -> tensor<6xf16> {
  // expected-error @+1 {{result element type 'f16' must equal the input element type 'f32'}}
  %0 = qopt.reshape %x : (tensor<2x3xf32>) -> tensor<6xf16>
  return %0 : tensor<6xf16>
}

// -----

// The per-axis type no longer fits the reshaped quantized dim.
func.func @reshape_per_axis_scales(%x: tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<6x1x!quant.uniform<i8:f32:0, {0.5, 0.25}>> {
  // expected-error @+1 {{result #0 has 2 scales for dimension 0 of size 6}}
  %0 = qopt.reshape %x : (tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<6x1x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  return %0 : tensor<6x1x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
}

// -----

func.func @reshape_per_axis_rank(%x: tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>) -> tensor<6x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>> {
  // expected-error @+1 {{result #0 is quantized along dimension 1 but has rank 1}}
  %0 = qopt.reshape %x : (tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>) -> tensor<6x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>
  return %0 : tensor<6x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>
}

// -----

func.func @reshape_per_axis_operand(%x: tensor<3x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<6x!quant.uniform<i8:f32:0, {0.5, 0.25}>> {
  // expected-error @+1 {{operand #0 has 2 scales for dimension 0 of size 3}}
  %0 = qopt.reshape %x : (tensor<3x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<6x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  return %0 : tensor<6x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
}

// -----

func.func @flatten_axis(%x: tensor<2x3x4xf32>) -> tensor<24x1xf32> {
  // expected-error @+1 {{'axis' = 4 is out of range [0, 3]}}
  %0 = qopt.flatten %x {axis = 4 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
  return %0 : tensor<24x1xf32>
}

// -----

func.func @flatten_result_shape(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  // expected-error @+1 {{result shape 2x12 does not match the computed shape 6x4}}
  %0 = qopt.flatten %x {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  return %0 : tensor<2x12xf32>
}

// -----

func.func @transpose_perm_size(%x: tensor<2x3x4xf32>) -> tensor<3x2x4xf32> {
  // expected-error @+1 {{'perm' has 2 entries for rank 3}}
  %0 = qopt.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  return %0 : tensor<3x2x4xf32>
}

// -----

func.func @transpose_perm_duplicate(%x: tensor<2x3x4xf32>) -> tensor<3x3x4xf32> {
  // expected-error @+1 {{'perm' must be a permutation of [0, rank)}}
  %0 = qopt.transpose %x {perm = array<i64: 1, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<3x3x4xf32>
  return %0 : tensor<3x3x4xf32>
}

// -----

func.func @transpose_perm_range(%x: tensor<2x3x4xf32>) -> tensor<3x2x4xf32> {
  // expected-error @+1 {{'perm' must be a permutation of [0, rank)}}
  %0 = qopt.transpose %x {perm = array<i64: 1, 0, 3>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  return %0 : tensor<3x2x4xf32>
}

// -----

func.func @transpose_result_shape(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{result shape 2x3x4 does not match the computed shape 4x3x2}}
  %0 = qopt.transpose %x {perm = array<i64: 2, 1, 0>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Moving the quantized dim leaves a per-axis type that does not fit.
func.func @transpose_per_axis(%x: tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>) -> tensor<3x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>> {
  // expected-error @+1 {{result #0 has 3 scales for dimension 1 of size 2}}
  %0 = qopt.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>) -> tensor<3x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>
  return %0 : tensor<3x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>
}

// -----

func.func @concat_no_input() -> tensor<2x3xf32> {
  // expected-error @+1 {{needs at least one input}}
  %0 = qopt.concat {axis = 0 : i64} : () -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'axis' = 2 is out of range [0, 1]}}
  %0 = qopt.concat %a {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @concat_element_type(%a: tensor<2x3xf32>, %b: tensor<2x3xf16>) -> tensor<4x3xf32> {
  // expected-error @+1 {{input #1 element type 'f16' differs from the result's 'f32'}}
  %0 = qopt.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf16>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Quantized inputs must already share the result's quantization parameters.
func.func @concat_quant_params(%a: tensor<2x3x!quant.uniform<i8:f32, 0.5>>, %b: tensor<2x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x3x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{input #1 element type '!quant.uniform<i8:f32, 2.500000e-01>' differs from the result's '!quant.uniform<i8:f32, 5.000000e-01>'}}
  %0 = qopt.concat %a, %b {axis = 0 : i64} : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>, tensor<2x3x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x3x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<4x3x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{input #1 has rank 1, expected 2}}
  %0 = qopt.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_dim(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{input #1 has size 3 in dim 0, expected 2}}
  %0 = qopt.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_sum(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> tensor<2x9xf32> {
  // expected-error @+1 {{result has 9 elements along the axis, inputs sum to 8}}
  %0 = qopt.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x9xf32>
  return %0 : tensor<2x9xf32>
}

// -----

// Concatenating along the quantized dim of a per-axis type cannot fit both
// the inputs and the result.
func.func @concat_per_axis(%a: tensor<1x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>> {
  // expected-error @+1 {{operand #0 has 2 scales for dimension 0 of size 1}}
  %0 = qopt.concat %a, %a {axis = 0 : i64} : (tensor<1x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>, tensor<1x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  return %0 : tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
}

// -----

func.func @concat_per_axis_result(%a: tensor<1x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<1x4x!quant.uniform<i8:f32:1, {0.5, 0.25}>> {
  // expected-error @+1 {{result #0 has 2 scales for dimension 1 of size 4}}
  %0 = qopt.concat %a, %a {axis = 1 : i64} : (tensor<1x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>, tensor<1x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<1x4x!quant.uniform<i8:f32:1, {0.5, 0.25}>>
  return %0 : tensor<1x4x!quant.uniform<i8:f32:1, {0.5, 0.25}>>
}

// -----

func.func @split_no_result(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{needs at least one result}}
  qopt.split %x {axis = 0 : i64} : (tensor<2x3xf32>) -> ()
  return
}

// -----

func.func @split_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'axis' = -1 is out of range [0, 1]}}
  %0 = qopt.split %x {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @split_element_type(%x: tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<2x2xf16>) {
  // expected-error @+1 {{result #1 element type 'f16' differs from the input's 'f32'}}
  %0:2 = qopt.split %x {axis = 1 : i64} : (tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<2x2xf16>)
  return %0#0, %0#1 : tensor<2x1xf32>, tensor<2x2xf16>
}

// -----

func.func @split_rank(%x: tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<2xf32>) {
  // expected-error @+1 {{result #1 has rank 1, expected 2}}
  %0:2 = qopt.split %x {axis = 1 : i64} : (tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<2xf32>)
  return %0#0, %0#1 : tensor<2x1xf32>, tensor<2xf32>
}

// -----

func.func @split_dim(%x: tensor<2x3xf32>) -> (tensor<1x1xf32>, tensor<2x2xf32>) {
  // expected-error @+1 {{result #0 has size 1 in dim 0, expected 2}}
  %0:2 = qopt.split %x {axis = 1 : i64} : (tensor<2x3xf32>) -> (tensor<1x1xf32>, tensor<2x2xf32>)
  return %0#0, %0#1 : tensor<1x1xf32>, tensor<2x2xf32>
}

// -----

func.func @split_sum(%x: tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>) {
  // expected-error @+1 {{results sum to 2 elements along the axis, the input has 3}}
  %0:2 = qopt.split %x {axis = 1 : i64} : (tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>)
  return %0#0, %0#1 : tensor<2x1xf32>, tensor<2x1xf32>
}

// -----

func.func @split_per_axis(%x: tensor<2x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125, 1.0}>>) -> (tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125, 1.0}>>, tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125, 1.0}>>) {
  // expected-error @+1 {{result #0 has 4 scales for dimension 1 of size 2}}
  %0:2 = qopt.split %x {axis = 1 : i64} : (tensor<2x4x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125, 1.0}>>) -> (tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125, 1.0}>>, tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125, 1.0}>>)
  return %0#0, %0#1 : tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125, 1.0}>>, tensor<2x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125, 1.0}>>
}

// -----

func.func @split_per_axis_operand(%x: tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>) -> tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>> {
  // expected-error @+1 {{operand #0 has 3 scales for dimension 0 of size 2}}
  %0 = qopt.split %x {axis = 1 : i64} : (tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>) -> tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>
  return %0 : tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>
}

// -----

func.func @slice_entries(%x: tensor<4x6xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'starts', 'ends' and 'steps' need 2 entries each}}
  %0 = qopt.slice %x {starts = array<i64: 1>, ends = array<i64: 3, 6>, steps = array<i64: 1, 1>} : (tensor<4x6xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @slice_zero_step(%x: tensor<4x6xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{step of dim 1 is zero}}
  %0 = qopt.slice %x {starts = array<i64: 1, 0>, ends = array<i64: 3, 6>, steps = array<i64: 1, 0>} : (tensor<4x6xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @slice_not_normalised(%x: tensor<4x6xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{dim 0: start 1 and end 5 are not normalised for size 4 and step 1}}
  %0 = qopt.slice %x {starts = array<i64: 1, 0>, ends = array<i64: 5, 6>, steps = array<i64: 1, 1>} : (tensor<4x6xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

// With a negative step the start must be a valid index.
func.func @slice_not_normalised_negative_step(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  // expected-error @+1 {{dim 1: start 6 and end -1 are not normalised for size 6 and step -1}}
  %0 = qopt.slice %x {starts = array<i64: 3, 6>, ends = array<i64: -1, -1>, steps = array<i64: -1, -1>} : (tensor<4x6xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

func.func @slice_result_shape(%x: tensor<4x6xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{result shape 2x3 does not match the computed shape 2x2}}
  %0 = qopt.slice %x {starts = array<i64: 1, 0>, ends = array<i64: 3, 6>, steps = array<i64: 1, 4>} : (tensor<4x6xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @pad_entries(%x: tensor<3x4xf32>) -> tensor<5x4xf32> {
  // expected-error @+1 {{'pads' needs 4 entries, got 2}}
  %0 = qopt.pad %x {pads = array<i64: 1, 1>} : (tensor<3x4xf32>) -> tensor<5x4xf32>
  return %0 : tensor<5x4xf32>
}

// -----

func.func @pad_negative_size(%x: tensor<3x4xf32>) -> tensor<0x4xf32> {
  // expected-error @+1 {{dim 0 would have negative size}}
  %0 = qopt.pad %x {pads = array<i64: -2, 0, -2, 0>} : (tensor<3x4xf32>) -> tensor<0x4xf32>
  return %0 : tensor<0x4xf32>
}

// -----

func.func @pad_reflect(%x: tensor<3x4xf32>) -> tensor<3x8xf32> {
  // expected-error @+1 {{reflect padding of dim 1 must be smaller than its size 4}}
  %0 = qopt.pad %x {pads = array<i64: 0, 4, 0, 0>, mode = #qopt<pad_mode reflect>} : (tensor<3x4xf32>) -> tensor<3x8xf32>
  return %0 : tensor<3x8xf32>
}

// -----

func.func @pad_edge_empty(%x: tensor<0x4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{edge padding of the empty dim 0}}
  %0 = qopt.pad %x {pads = array<i64: 1, 0, 0, 0>, mode = #qopt<pad_mode edge>} : (tensor<0x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @pad_result_shape(%x: tensor<3x4xf32>) -> tensor<5x4xf32> {
  // expected-error @+1 {{result shape 5x4 does not match the computed shape 4x5}}
  %0 = qopt.pad %x {pads = array<i64: 1, 0, 0, 1>} : (tensor<3x4xf32>) -> tensor<5x4xf32>
  return %0 : tensor<5x4xf32>
}

// -----

func.func @pad_bad_mode(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+2 {{expected ::mlir::qopt::PadMode to be one of: constant, reflect, edge}}
  // expected-error @+1 {{failed to parse QOpt_PadModeAttr parameter 'value'}}
  %0 = qopt.pad %x {pads = array<i64: 0, 0, 0, 0>, mode = #qopt<pad_mode wrap>} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @gather_axis(%x: tensor<3x4xf32>, %i: tensor<2xi64>) -> tensor<3x4x2xf32> {
  // expected-error @+1 {{'axis' = 2 is out of range [0, 1]}}
  %0 = qopt.gather %x, %i {axis = 2 : i64} : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<3x4x2xf32>
  return %0 : tensor<3x4x2xf32>
}

// -----

func.func @gather_result_shape(%x: tensor<3x4xf32>, %i: tensor<2xi64>) -> tensor<2x3xf32> {
  // expected-error @+1 {{result shape 2x3 does not match the computed shape 3x2}}
  %0 = qopt.gather %x, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// ODS: indices are i32 or i64.
func.func @gather_float_indices(%x: tensor<3x4xf32>, %i: tensor<2xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{operand #1 must be statically shaped tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<2xf32>'}}
  %0 = qopt.gather %x, %i {axis = 0 : i64} : (tensor<3x4xf32>, tensor<2xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @gather_element_type(%x: tensor<3x4xi8>, %i: tensor<2xi32>) -> tensor<2x4xi32> {
  // expected-error @+1 {{result element type 'i32' must equal the input element type 'i8'}}
  %0 = qopt.gather %x, %i {axis = 0 : i64} : (tensor<3x4xi8>, tensor<2xi32>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

func.func @resize_rank(%x: tensor<1x2x4x4xf32>) -> tensor<2x8x8xf32> {
  // expected-error @+1 {{result rank 3 differs from the input rank 4}}
  %0 = qopt.resize %x : (tensor<1x2x4x4xf32>) -> tensor<2x8x8xf32>
  return %0 : tensor<2x8x8xf32>
}

// -----

func.func @resize_empty(%x: tensor<1x2x0x4xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+1 {{cannot resize the empty dim 2}}
  %0 = qopt.resize %x : (tensor<1x2x0x4xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @resize_element_type(%x: tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x8x8xf32> {
  // expected-error @+1 {{result element type 'f32' must equal the input element type '!quant.uniform<i8:f32, 5.000000e-01>'}}
  %0 = qopt.resize %x : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x8x8xf32>
  return %0 : tensor<1x2x8x8xf32>
}

// -----

func.func @resize_bad_enum(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32> {
  // expected-error @+2 {{expected ::mlir::qopt::CoordinateTransform to be one of: half_pixel, pytorch_half_pixel, align_corners, asymmetric}}
  // expected-error @+1 {{failed to parse QOpt_CoordinateTransformAttr parameter 'value'}}
  %0 = qopt.resize %x {coordinate_transform = #qopt<coordinate_transform tf_crop_and_resize>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32>
  return %0 : tensor<1x2x8x8xf32>
}

// -----

func.func @cast_shape(%x: tensor<2x3xf32>) -> tensor<6xi32> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qopt.cast %x : (tensor<2x3xf32>) -> tensor<6xi32>
  return %0 : tensor<6xi32>
}

// -----

// ODS: quantized tensors are not cast (use quantize and dequantize).
func.func @cast_quant(%x: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3xi8> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point or signless integer values, but got 'tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>'}}
  %0 = qopt.cast %x : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}
