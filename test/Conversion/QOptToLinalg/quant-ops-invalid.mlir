// requantize cannot be lowered when the input and result are quantized
// along different dims, or when a scale ratio has no dyadic form (>= 2^31);
// the op is then reported and the pass fails.
// RUN: qopt-opt %s --convert-qopt-to-linalg -split-input-file -verify-diagnostics

func.func @requantize_axes(%q: tensor<2x2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>) -> tensor<2x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>> {
  // expected-error @+2 {{'qopt.requantize' op cannot be lowered: the input is quantized along dim 0 and the result along dim 1}}
  // expected-error @+1 {{cannot lower 'qopt.requantize' to linalg}}
  %0 = qopt.requantize %q : (tensor<2x2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>) -> tensor<2x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>
  return %0 : tensor<2x2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>
}

// -----

func.func @requantize_ratio(%q: tensor<4x!quant.uniform<i16:f32, 1.0e+03>>) -> tensor<4x!quant.uniform<i8:f32, 1.0e-07>> {
  // expected-error @+2 {{'qopt.requantize' op cannot be lowered: the scale ratio 1.000000e+10 has no dyadic form (it must be below 2^31)}}
  // expected-error @+1 {{cannot lower 'qopt.requantize' to linalg}}
  %0 = qopt.requantize %q : (tensor<4x!quant.uniform<i16:f32, 1.0e+03>>) -> tensor<4x!quant.uniform<i8:f32, 1.0e-07>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 1.0e-07>>
}
