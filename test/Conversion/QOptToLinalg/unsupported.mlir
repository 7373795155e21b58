// convert-qopt-to-linalg fails, with an error at the first qopt op it could
// not lower (and a note counting the others), when quantized graph ops
// remain: a partial lowering never passes silently.
// RUN: qopt-opt %s --convert-qopt-to-linalg -split-input-file -verify-diagnostics

// Quantized graph ops are not lowered; the float ops around them are.
func.func @quantized_add(%x: tensor<4xf32>, %q: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x2x!quant.uniform<i8:f32, 0.5>> {
  %0 = qopt.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  // expected-error @+2 {{cannot lower 'qopt.add' to linalg: quantized tensors are not lowered by this pass}}
  // expected-note @+1 {{2 more qopt op(s) were not lowered either}}
  %1 = qopt.add %q, %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %2 = qopt.reshape %1 : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x2x!quant.uniform<i8:f32, 0.5>>
  %3 = qopt.transpose %2 {perm = array<i64: 1, 0>} : (tensor<2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x2x!quant.uniform<i8:f32, 0.5>>
  return %3 : tensor<2x2x!quant.uniform<i8:f32, 0.5>>
}

// -----

// A quantized constant (its value holds the storage integers) stays.
func.func @quantized_constant() -> tensor<2x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{cannot lower 'qopt.constant' to linalg: quantized tensors are not lowered by this pass}}
  %0 = qopt.constant dense<[1, -2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<2x!quant.uniform<i8:f32, 0.5>>
}
