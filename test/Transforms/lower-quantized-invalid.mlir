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

// -----

!x = !quant.uniform<i8:f32, 0.5>
func.func @reduce_max(%x: tensor<2x4x!x>) -> tensor<2x!x> {
  // expected-error @+1 {{expects a mean with one per-tensor quantized type in and out}}
  %m = qopt.reduce max %x {axes = array<i64: 1>, keep_dims = false} : (tensor<2x4x!x>) -> tensor<2x!x>
  return %m : tensor<2x!x>
}

// -----

!x = !quant.uniform<i8:f32, 0.5>
!y = !quant.uniform<i8:f32, 0.25>
func.func @reduce_mean_type_change(%x: tensor<2x4x!x>) -> tensor<2x!y> {
  // expected-error @+1 {{expects a mean with one per-tensor quantized type in and out}}
  %m = qopt.reduce mean %x {axes = array<i64: 1>, keep_dims = false} : (tensor<2x4x!x>) -> tensor<2x!y>
  return %m : tensor<2x!y>
}

// -----

!x = !quant.uniform<i8:f32, 0.5>
!c = !quant.uniform<i8:f32, 0.25>
func.func @mul_by_tensor(%x: tensor<2x2x!x>) -> tensor<2x2x!x> {
  %c = qopt.constant dense<[1, 2]> : tensor<2xi8> -> tensor<2x!c>
  // expected-error @+1 {{expects a constant factor of one value}}
  %m = qopt.mul %x, %c : (tensor<2x2x!x>, tensor<2x!c>) -> tensor<2x2x!x>
  return %m : tensor<2x2x!x>
}

// -----

!x = !quant.uniform<i8:f32, 0.5>
!c = !quant.uniform<i8:f32, 0.25>
func.func @mul_by_negative(%x: tensor<2x2x!x>) -> tensor<2x2x!x> {
  %c = qopt.constant dense<-1> : tensor<i8> -> tensor<!c>
  // expected-error @+1 {{expects a positive constant factor}}
  %m = qopt.mul %x, %c : (tensor<2x2x!x>, tensor<!c>) -> tensor<2x2x!x>
  return %m : tensor<2x2x!x>
}

// -----

!x = !quant.uniform<i8:f32, 0.5>
func.func @mul_of_activations(%x: tensor<2x2x!x>, %y: tensor<2x2x!x>) -> tensor<2x2x!x> {
  // expected-error @+1 {{expects a per-tensor quantized input times a quantized constant of one value, and a result of the input's shape}}
  %m = qopt.mul %x, %y : (tensor<2x2x!x>, tensor<2x2x!x>) -> tensor<2x2x!x>
  return %m : tensor<2x2x!x>
}
