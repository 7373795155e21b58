// Verifier errors of qopt.quantize, qopt.dequantize and qopt.requantize
// (QuantOps.cpp and the per-axis check of Verification.cpp), and their ODS
// type constraints.
// RUN: qopt-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// quantize
//===----------------------------------------------------------------------===//

func.func @quantize_expressed_type(%x: tensor<4xf16>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{float type 'f16' must be the quantized type's expressed type 'f32'}}
  %0 = qopt.quantize %x : (tensor<4xf16>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @quantize_per_axis_scales(%x: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>> {
  // expected-error @+1 {{quantized tensor #0 has 3 scales for dimension 0 of size 2}}
  %0 = qopt.quantize %x : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>
  return %0 : tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>
}

// -----

func.func @quantize_per_axis_rank(%x: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32:2, {0.5, 0.25}>> {
  // expected-error @+1 {{quantized tensor #0 is quantized along dimension 2 but has rank 2}}
  %0 = qopt.quantize %x : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32:2, {0.5, 0.25}>>
  return %0 : tensor<2x3x!quant.uniform<i8:f32:2, {0.5, 0.25}>>
}

// -----

// A per-axis type needs at least a rank-1 tensor.
func.func @quantize_per_axis_scalar(%x: tensor<f32>) -> tensor<!quant.uniform<i8:f32:0, {0.5}>> {
  // expected-error @+1 {{quantized tensor #0 is quantized along dimension 0 but has rank 0}}
  %0 = qopt.quantize %x : (tensor<f32>) -> tensor<!quant.uniform<i8:f32:0, {0.5}>>
  return %0 : tensor<!quant.uniform<i8:f32:0, {0.5}>>
}

// -----

func.func @quantize_shape(%x: tensor<4xf32>) -> tensor<2x2x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qopt.quantize %x : (tensor<4xf32>) -> tensor<2x2x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<2x2x!quant.uniform<i8:f32, 0.5>>
}

// -----

// ODS: the input is a float tensor.
func.func @quantize_quant_input(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.25>> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>'}}
  %0 = qopt.quantize %x : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.25>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.25>>
}

// -----

// ODS: the result is a quantized tensor, not its storage type.
func.func @quantize_integer_result(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{result #0 must be statically shaped tensor of uniform quantized type values, but got 'tensor<4xi8>'}}
  %0 = qopt.quantize %x : (tensor<4xf32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// ODS: a dynamic shape.
func.func @quantize_dynamic(%x: tensor<?xf32>) -> tensor<?x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<?xf32>'}}
  %0 = qopt.quantize %x : (tensor<?xf32>) -> tensor<?x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<?x!quant.uniform<i8:f32, 0.5>>
}

// -----

//===----------------------------------------------------------------------===//
// dequantize
//===----------------------------------------------------------------------===//

func.func @dequantize_expressed_type(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xbf16> {
  // expected-error @+1 {{float type 'bf16' must be the quantized type's expressed type 'f32'}}
  %0 = qopt.dequantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// -----

func.func @dequantize_per_axis_scales(%q: tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<2x3xf32> {
  // expected-error @+1 {{quantized tensor #0 has 2 scales for dimension 1 of size 3}}
  %0 = qopt.dequantize %q : (tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @dequantize_per_axis_rank(%q: tensor<3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>) -> tensor<3xf32> {
  // expected-error @+1 {{quantized tensor #0 is quantized along dimension 1 but has rank 1}}
  %0 = qopt.dequantize %q : (tensor<3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @dequantize_shape(%q: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<6xf32> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qopt.dequantize %q : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

// ODS: the input is a quantized tensor.
func.func @dequantize_float_input(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of uniform quantized type values, but got 'tensor<4xf32>'}}
  %0 = qopt.dequantize %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// ODS: the result is the expressed float type.
func.func @dequantize_quant_result(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.25>> {
  // expected-error @+1 {{result #0 must be statically shaped tensor of floating-point values, but got 'tensor<4x!quant.uniform<i8:f32, 2.500000e-01>>'}}
  %0 = qopt.dequantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.25>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.25>>
}

// -----

//===----------------------------------------------------------------------===//
// requantize
//===----------------------------------------------------------------------===//

func.func @requantize_expressed_type(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f16, 0.5>> {
  // expected-error @+1 {{input and result express different types: 'f32' and 'f16'}}
  %0 = qopt.requantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f16, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8:f16, 0.5>>
}

// -----

func.func @requantize_operand_per_axis(%q: tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{operand #0 has 3 scales for dimension 0 of size 2}}
  %0 = qopt.requantize %q : (tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<2x3x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @requantize_result_per_axis(%q: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3x!quant.uniform<i8:f32:2, {0.5, 0.25}>> {
  // expected-error @+1 {{result #0 is quantized along dimension 2 but has rank 2}}
  %0 = qopt.requantize %q : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3x!quant.uniform<i8:f32:2, {0.5, 0.25}>>
  return %0 : tensor<2x3x!quant.uniform<i8:f32:2, {0.5, 0.25}>>
}

// -----

func.func @requantize_shape(%q: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<3x2x!quant.uniform<i8:f32, 0.25>> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = qopt.requantize %q : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<3x2x!quant.uniform<i8:f32, 0.25>>
  return %0 : tensor<3x2x!quant.uniform<i8:f32, 0.25>>
}

// -----

// ODS: requantize takes and returns quantized tensors.
func.func @requantize_float_input(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of uniform quantized type values, but got 'tensor<4xf32>'}}
  %0 = qopt.requantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @requantize_integer_result(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xi8> {
  // expected-error @+1 {{result #0 must be statically shaped tensor of uniform quantized type values, but got 'tensor<4xi8>'}}
  %0 = qopt.requantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @dynamic_quantize_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{output shape 3x2 differs from the input shape 2x3}}
  %y, %s, %z = qopt.dynamic_quantize %x : (tensor<2x3xf32>) -> (tensor<3x2xi8>, tensor<f32>, tensor<i8>)
  return
}

// -----

func.func @dynamic_quantize_width(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{output and zero point must hold 8-bit integers}}
  %y, %s, %z = qopt.dynamic_quantize %x : (tensor<2x3xf32>) -> (tensor<2x3xi16>, tensor<f32>, tensor<i8>)
  return
}

// -----

func.func @dynamic_quantize_rank(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{scale and zero point must have rank 0}}
  %y, %s, %z = qopt.dynamic_quantize %x : (tensor<2x3xf32>) -> (tensor<2x3xi8>, tensor<1xf32>, tensor<i8>)
  return
}

// -----

func.func @dynamic_quantize_scale_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{scale type 'f16' must be the input's 'f32'}}
  %y, %s, %z = qopt.dynamic_quantize %x : (tensor<2x3xf32>) -> (tensor<2x3xi8>, tensor<f16>, tensor<i8>)
  return
}
