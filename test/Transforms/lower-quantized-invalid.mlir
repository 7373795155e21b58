// qopt-lower-quantized refuses what integer arithmetic cannot express.
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-lower-quantized))' -split-input-file -verify-diagnostics

// s_in·s_w/s_out = 1000·1000/1e-4 = 1e10 >= 2^31: no dyadic multiplier.
!x = !quant.uniform<i8:f32, 1000.0>
!w = !quant.uniform<i8<-127:127>:f32, 1000.0>
!y = !quant.uniform<i8:f32, 0.0001>
func.func @ratio_too_large(%x: tensor<2x4x!x>) -> tensor<2x3x!y> {
  %w = qopt.constant dense<1> : tensor<4x3xi8> -> tensor<4x3x!w>
  // expected-error @+1 {{scale ratio 1.000000e+10 has no dyadic multiplier}}
  %m = qopt.matmul %x, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!y>
  return %m : tensor<2x3x!y>
}

// -----

!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8:f32:1, {0.25:1, 0.5:0, 0.5:0}>
!y = !quant.uniform<i8:f32, 1.0>
func.func @asymmetric_per_channel(%x: tensor<2x4x!x>) -> tensor<2x3x!y> {
  %w = qopt.constant dense<1> : tensor<4x3xi8> -> tensor<4x3x!w>
  // expected-error @+1 {{per-channel weights need zero points 0}}
  %m = qopt.matmul %x, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!y>
  return %m : tensor<2x3x!y>
}

// -----

!x = !quant.uniform<i8:f32, 0.5>
!w = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!b = !quant.uniform<i32:f32:0, {0.125, 0.125}>
!y = !quant.uniform<i8:f32, 1.0>
func.func @bias_scale(%x: tensor<1x2x3x3x!x>) -> tensor<1x2x3x3x!y> {
  %w = qopt.constant dense<1> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!w>
  %b = qopt.constant dense<1> : tensor<2xi32> -> tensor<2x!b>
  // expected-error @+1 {{bias scale 1.250000e-01 differs from input scale × weight scale 6.250000e-02}}
  %y = qopt.conv2d %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3x!x>, tensor<2x2x1x1x!w>, tensor<2x!b>) -> tensor<1x2x3x3x!y>
  return %y : tensor<1x2x3x3x!y>
}
