// Verifier errors of qopt.float_rescale (IntegerOps.cpp), one per path.
// RUN: qopt-opt %s -split-input-file -verify-diagnostics

func.func @input_width(%x: tensor<4xi64>) -> tensor<4xi8> {
  // expected-error @+1 {{input elements have 64 bits; at most 32 are supported}}
  %0 = qopt.float_rescale %x {multiplier = array<f32: 1.0>} : (tensor<4xi64>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @result_width(%x: tensor<4xi32>) -> tensor<4xi48> {
  // expected-error @+1 {{result elements have 48 bits; at most 32 are supported}}
  %0 = qopt.float_rescale %x {multiplier = array<f32: 1.0>} : (tensor<4xi32>) -> tensor<4xi48>
  return %0 : tensor<4xi48>
}

// -----

func.func @no_multiplier(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{needs at least one multiplier}}
  %0 = qopt.float_rescale %x {multiplier = array<f32>} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @negative_multiplier(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{multipliers must be finite and > 0, got -2}}
  %0 = qopt.float_rescale %x {multiplier = array<f32: -2.0>} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @zero_divisor(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'divisor' must be finite and > 0, got 0}}
  %0 = qopt.float_rescale %x {multiplier = array<f32: 1.0>, divisor = 0.0 : f32} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @axis_range(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'axis' = 2 is out of range}}
  %0 = qopt.float_rescale %x {multiplier = array<f32: 1.0, 2.0, 3.0>, axis = 2 : i64} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @channel_count(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{has 2 multipliers for dim 1 of size 3}}
  %0 = qopt.float_rescale %x {multiplier = array<f32: 1.0, 2.0>, axis = 1 : i64} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @no_axis(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  // expected-error @+1 {{per-channel multipliers need an 'axis'}}
  %0 = qopt.float_rescale %x {multiplier = array<f32: 1.0, 2.0, 3.0>} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @output_zp(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'output_zp'}}
  %0 = qopt.float_rescale %x {multiplier = array<f32: 1.0>, output_zp = 200 : i64} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @qmin_qmax(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qmin' (5) exceeds 'qmax' (4)}}
  %0 = qopt.float_rescale %x {multiplier = array<f32: 1.0>, qmin = 5 : i64, qmax = 4 : i64} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}
