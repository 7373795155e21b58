// qopt-verify-integer-only: an integer-only function has no floating point
// except the quantize of its arguments and the dequantize of its results.
// Passing functions are printed unchanged; failing ones report the first
// offending op at its location.
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-verify-integer-only))' -split-input-file -verify-diagnostics | FileCheck %s

//===----------------------------------------------------------------------===//
// Passing cases
//===----------------------------------------------------------------------===//

// quantize(argument) -> quant.scast -> integer qopt ops -> quant.scast ->
// dequantize -> return, with integer constants inside and an unused float
// constant (constants do not compute).
// CHECK-LABEL: func.func @integer_pipeline(
// CHECK:         qopt.quantize
// CHECK:         quant.scast
// CHECK:         qopt.int_conv2d
// CHECK:         qopt.rescale
// CHECK:         quant.scast
// CHECK:         qopt.dequantize
// CHECK:         return
func.func @integer_pipeline(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %q = qopt.quantize %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>
  %i = quant.scast %q : tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>> to tensor<1x2x4x4xi8>
  %w = qopt.constant dense<1> : tensor<2x2x1x1xi8>
  %b = qopt.constant dense<[1, -1]> : tensor<2xi32>
  %unused = qopt.constant dense<0.5> : tensor<2xf32>
  %acc = qopt.int_conv2d %i, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x2x4x4xi8>, tensor<2x2x1x1xi8>, tensor<2xi32>) -> tensor<1x2x4x4xi32>
  %r = qopt.rescale %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>}
      : (tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8>
  %q2 = quant.scast %r : tensor<1x2x4x4xi8> to tensor<1x2x4x4x!quant.uniform<i8:f32, 0.25>>
  %y = qopt.dequantize %q2 : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Integer arith and tensor ops, index results, returning integer and
// quantized values, and max_pool2d on one signed quantized type (an integer
// max on the storage) are fine.
// CHECK-LABEL: func.func @integer_ops(
// CHECK:         arith.addi
// CHECK:         tensor.dim
// CHECK:         qopt.max_pool2d
// CHECK:         return
func.func @integer_ops(%x: tensor<1x1x2x2xf32>) -> (tensor<1x1x2x2xi8>, index, tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5:3>>) {
  %q = qopt.quantize %x : (tensor<1x1x2x2xf32>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5:3>>
  %i = quant.scast %q : tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5:3>> to tensor<1x1x2x2xi8>
  %s = arith.addi %i, %i : tensor<1x1x2x2xi8>
  %c0 = arith.constant 0 : index
  %d = tensor.dim %s, %c0 : tensor<1x1x2x2xi8>
  %m = qopt.max_pool2d %q {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5:3>>) -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5:3>>
  return %s, %d, %m : tensor<1x1x2x2xi8>, index, tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5:3>>
}

// -----

// A linalg.generic on integer elements, with integer arithmetic in its body.
// CHECK-LABEL: func.func @integer_generic(
// CHECK:         linalg.generic
// CHECK:         arith.muli
// CHECK:         qopt.dequantize
#map = affine_map<(d0) -> (d0)>
func.func @integer_generic(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %i = quant.scast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xi8>
  %init = tensor.empty() : tensor<4xi8>
  %g = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%i : tensor<4xi8>) outs(%init : tensor<4xi8>) {
  ^bb0(%a: i8, %b: i8):
    %m = arith.muli %a, %a : i8
    linalg.yield %m : i8
  } -> tensor<4xi8>
  %q2 = quant.scast %g : tensor<4xi8> to tensor<4x!quant.uniform<i8:f32, 0.5>>
  %y = qopt.dequantize %q2 : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Failing cases
//===----------------------------------------------------------------------===//

// A float island between a dequantize and a quantize: the float op on the
// dequantized value is the offender.
func.func @float_island(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %d = qopt.dequantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
  // expected-error @+1 {{'qopt.softmax' computes with non-integer type 'tensor<4xf32>' in an integer-only function}}
  %s = qopt.softmax %d {axis = 0 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  %q2 = qopt.quantize %s : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.25>>
  %y = qopt.dequantize %q2 : (tensor<4x!quant.uniform<i8:f32, 0.25>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// The quantize of a computed float value (here the output of a float op on
// the input) is not a boundary quantize.
func.func @quantize_of_computed_value(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'qopt.relu' computes with non-integer type 'tensor<4xf32>' in an integer-only function}}
  %r = qopt.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  %q = qopt.quantize %r : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %y = qopt.dequantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A dequantize feeding a quantize (a float requantization): the quantize
// of a value that is not an argument is the offender.
func.func @dequantize_quantize(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %d = qopt.dequantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
  // expected-error @+1 {{'qopt.quantize' of a value that is not a function argument}}
  %q2 = qopt.quantize %d : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.25>>
  %y = qopt.dequantize %q2 : (tensor<4x!quant.uniform<i8:f32, 0.25>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A quantize of a float constant: not a model input.
func.func @quantize_of_constant() -> tensor<4xf32> {
  %c = qopt.constant dense<1.0> : tensor<4xf32>
  // expected-error @+1 {{'qopt.quantize' of a value that is not a function argument: only the model's inputs may be quantized in an integer-only function}}
  %q = qopt.quantize %c : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %y = qopt.dequantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A pure float function is not integer-only.
func.func @pure_float(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'qopt.conv2d' computes with non-integer type 'tensor<1x2x4x4xf32>' in an integer-only function}}
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// A float graph op on a quantized value (quant-typed ops are float
// semantics over integer storage).
func.func @quant_typed_op(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  // expected-error @+1 {{'qopt.relu' computes with non-integer type 'tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>' in an integer-only function}}
  %r = qopt.relu %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %y = qopt.dequantize %r : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Each of the ops qopt-quantize{integer-only} must quantize, left
// quant-typed: softmax (qopt-integer-only did not run).
func.func @quant_softmax(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  // expected-error @+1 {{'qopt.softmax' computes with non-integer type 'tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>' in an integer-only function}}
  %s = qopt.softmax %q {axis = 0 : i64} : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.0078125>>
  %y = qopt.dequantize %s : (tensor<4x!quant.uniform<i8:f32, 0.0078125>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A quant-typed qopt.conv2d: the error names the first offending type (the
// input).
func.func @quant_conv2d(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %q = qopt.quantize %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>
  %w = qopt.constant dense<1> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>
  // expected-error @+1 {{'qopt.conv2d' computes with non-integer type 'tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01>>' in an integer-only function}}
  %c = qopt.conv2d %q, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.125>>
  %y = qopt.dequantize %c : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.125>>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// A requantize is a float-semantics op too (it must be lowered to rescale).
func.func @requantize(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  // expected-error @+1 {{'qopt.requantize' computes with non-integer type}}
  %r = qopt.requantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.25>>
  %y = qopt.dequantize %r : (tensor<4x!quant.uniform<i8:f32, 0.25>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// max_pool2d on an unsigned quantized type is not pooled on the storage
// (the CPU lowering pools signed storage only).
func.func @max_pool_unsigned(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32> {
  %q = qopt.quantize %x : (tensor<1x1x2x2xf32>) -> tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:128>>
  // expected-error @+1 {{'qopt.max_pool2d' computes with non-integer type 'tensor<1x1x2x2x!quant.uniform<u8:f32, 5.000000e-01:128>>' in an integer-only function}}
  %m = qopt.max_pool2d %q {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x1x1x1x!quant.uniform<u8:f32, 0.5:128>>
  %y = qopt.dequantize %m : (tensor<1x1x1x1x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}

// -----

// Converting integers to float: the error points at the conversion, the
// first op that computes in floating point, not at the later arith.addf.
func.func @sitofp(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %i = quant.scast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xi8>
  %s = arith.addi %i, %i : tensor<4xi8>
  // expected-error @+1 {{'arith.sitofp' computes with non-integer type 'tensor<4xf32>' in an integer-only function}}
  %f = arith.sitofp %s : tensor<4xi8> to tensor<4xf32>
  %a = arith.addf %f, %x : tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// A float constant used by an op: the user is the offender.
func.func @float_constant_user(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %i = quant.scast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xi8>
  %c = arith.constant dense<2.0> : tensor<4xf32>
  // expected-error @+1 {{'arith.fptosi' computes with non-integer type 'tensor<4xf32>' in an integer-only function}}
  %ci = arith.fptosi %c : tensor<4xf32> to tensor<4xi8>
  %s = arith.addi %i, %ci : tensor<4xi8>
  return %s : tensor<4xi8>
}

// -----

// Float arithmetic hidden in the body of an integer-typed linalg.generic:
// nested ops are checked too.
#map = affine_map<(d0) -> (d0)>
func.func @float_in_generic_body(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %i = quant.scast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xi8>
  %init = tensor.empty() : tensor<4xi8>
  %g = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%i : tensor<4xi8>) outs(%init : tensor<4xi8>) {
  ^bb0(%a: i8, %b: i8):
    // expected-error @+1 {{'arith.sitofp' computes with non-integer type 'f32' in an integer-only function}}
    %f = arith.sitofp %a : i8 to f32
    %h = arith.addf %f, %f : f32
    %r = arith.fptosi %h : f32 to i8
    linalg.yield %r : i8
  } -> tensor<4xi8>
  %q2 = quant.scast %g : tensor<4xi8> to tensor<4x!quant.uniform<i8:f32, 0.5>>
  %y = qopt.dequantize %q2 : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Only the first offending op is reported: the pass stops there.
func.func @first_offender_only(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  // expected-error @+1 {{'qopt.relu' computes with non-integer type}}
  %r = qopt.relu %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %s = qopt.relu %r : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %y = qopt.dequantize %s : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// float_rescale has integer types but requantizes in f32 (ONNX mode).
func.func @float_rescale(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qopt.float_rescale' requantizes in f32: not integer-only}}
  %r = qopt.float_rescale %x {multiplier = array<f32: 0.5>} : (tensor<4xi32>) -> tensor<4xi8>
  return %r : tensor<4xi8>
}
