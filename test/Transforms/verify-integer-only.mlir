// qopt-verify-integer-only: no floating point (float or quantized element
// types) between qopt.quantize and qopt.dequantize. Passing functions are
// printed unchanged; failing ones report the first offending op at its
// location.
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-verify-integer-only))' -split-input-file -verify-diagnostics | FileCheck %s

//===----------------------------------------------------------------------===//
// Passing cases
//===----------------------------------------------------------------------===//

// quantize -> quant.scast -> integer qopt ops -> quant.scast -> dequantize,
// with float ops before the quantize and after the dequantize, and integer
// constants used inside the region.
// CHECK-LABEL: func.func @integer_pipeline(
// CHECK:         qopt.relu
// CHECK:         qopt.quantize
// CHECK:         quant.scast
// CHECK:         qopt.int_conv2d
// CHECK:         qopt.rescale
// CHECK:         quant.scast
// CHECK:         qopt.dequantize
// CHECK:         qopt.sigmoid
// CHECK:         return
func.func @integer_pipeline(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %0 = qopt.relu %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %q = qopt.quantize %0 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>
  %i = quant.scast %q : tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>> to tensor<1x2x4x4xi8>
  %w = qopt.constant dense<1> : tensor<2x2x1x1xi8>
  %b = qopt.constant dense<[1, -1]> : tensor<2xi32>
  %acc = qopt.int_conv2d %i, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x2x4x4xi8>, tensor<2x2x1x1xi8>, tensor<2xi32>) -> tensor<1x2x4x4xi32>
  %r = qopt.rescale %acc {multiplier = array<i32: 1073741824>, shift = array<i32: 31>}
      : (tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8>
  %q2 = quant.scast %r : tensor<1x2x4x4xi8> to tensor<1x2x4x4x!quant.uniform<i8:f32, 0.25>>
  %y = qopt.dequantize %q2 : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x4x4xf32>
  %z = qopt.sigmoid %y : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %z : tensor<1x2x4x4xf32>
}

// -----

// A function without quantize has no integer-only region.
// CHECK-LABEL: func.func @pure_float(
// CHECK:         qopt.conv2d
// CHECK:         arith.addf
// CHECK:         return
func.func @pure_float(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32> {
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = arith.addf %0, %x : tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// Integer arith and tensor ops, index results, a second region and a
// dequantize directly after a quantize are fine; so is returning a quantized
// value (terminators are exempt). Float work on the input outside the
// region, even after the quantize, is fine too.
// CHECK-LABEL: func.func @integer_ops(
// CHECK:         arith.addi
// CHECK:         tensor.dim
// CHECK:         arith.mulf
// CHECK:         return
func.func @integer_ops(%x: tensor<4xf32>) -> (tensor<4xi8>, index, tensor<4xf32>, tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4xf32>) {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %i = quant.scast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xi8>
  %s = arith.addi %i, %i : tensor<4xi8>
  %c0 = arith.constant 0 : index
  %d = tensor.dim %s, %c0 : tensor<4xi8>
  %q2 = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.25>>
  %y = qopt.dequantize %q2 : (tensor<4x!quant.uniform<i8:f32, 0.25>>) -> tensor<4xf32>
  %f = arith.mulf %x, %x : tensor<4xf32>
  return %s, %d, %y, %q, %f : tensor<4xi8>, index, tensor<4xf32>, tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4xf32>
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

// A float graph op on a quantized value inside the region.
func.func @float_op_in_region(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  // expected-error @+1 {{'qopt.relu' computes with non-integer type 'tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>' inside the integer-only region}}
  %r = qopt.relu %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %y = qopt.dequantize %r : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A quant-typed qopt.conv2d: float semantics over integer storage. The error
// names the first offending type (the input); the float weight comes later.
func.func @quant_conv2d(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %q = qopt.quantize %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>
  %w = qopt.constant dense<1> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>
  // expected-error @+1 {{'qopt.conv2d' computes with non-integer type 'tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01>>' inside the integer-only region}}
  %c = qopt.conv2d %q, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.125>>
  %y = qopt.dequantize %c : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.125>>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// A requantize is a float-semantics op too (it must be lowered to rescale).
func.func @requantize_in_region(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  // expected-error @+1 {{'qopt.requantize' computes with non-integer type}}
  %r = qopt.requantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.25>>
  %y = qopt.dequantize %r : (tensor<4x!quant.uniform<i8:f32, 0.25>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Converting region integers to float: the error points at the conversion,
// the first op that computes in floating point, not at the later arith.addf.
func.func @addf_on_derived_value(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %i = quant.scast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xi8>
  %s = arith.addi %i, %i : tensor<4xi8>
  // expected-error @+1 {{'arith.sitofp' computes with non-integer type 'tensor<4xf32>' inside the integer-only region}}
  %f = arith.sitofp %s : tensor<4xi8> to tensor<4xf32>
  %a = arith.addf %f, %x : tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// A linalg.generic that adds an outside float to the region's elements has
// float operand and result types itself: it is the offending op.
func.func @generic_with_float_operand(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %i = quant.scast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xi8>
  %init = tensor.empty() : tensor<4xf32>
  // expected-error @+1 {{'linalg.generic' computes with non-integer type 'tensor<4xf32>' inside the integer-only region}}
  %g = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%i, %x : tensor<4xi8>, tensor<4xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%a: i8, %b: f32, %c: f32):
    %f = arith.sitofp %a : i8 to f32
    %s = arith.addf %f, %b : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// Float arithmetic hidden in the body of an integer-typed linalg.generic: the
// body's block arguments are derived from the region, so the error points at
// the body op that computes in floating point.
#map = affine_map<(d0) -> (d0)>
func.func @float_in_generic_body(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %i = quant.scast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xi8>
  %init = tensor.empty() : tensor<4xi8>
  %g = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%i : tensor<4xi8>) outs(%init : tensor<4xi8>) {
  ^bb0(%a: i8, %b: i8):
    // expected-error @+1 {{'arith.sitofp' computes with non-integer type 'f32' inside the integer-only region}}
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
  // expected-error @+1 {{'qopt.sigmoid' computes with non-integer type}}
  %0 = qopt.sigmoid %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %1 = qopt.tanh %0 : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %y = qopt.dequantize %1 : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// qopt.cast to float inside the region.
func.func @cast_to_float(%x: tensor<4xf32>) -> tensor<4xf16> {
  %q = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %i = quant.scast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xi8>
  // expected-error @+1 {{'qopt.cast' computes with non-integer type 'tensor<4xf16>' inside the integer-only region}}
  %f = qopt.cast %i : (tensor<4xi8>) -> tensor<4xf16>
  return %f : tensor<4xf16>
}
