// Folders and canonicalization patterns of the qopt dialect (GraphOps.cpp,
// QuantOps.cpp), including the cases that must not fold.
// RUN: qopt-opt %s -canonicalize -split-input-file | FileCheck %s
// The dialect's constant materializer, through SCCP across a call.
// RUN: qopt-opt %s -sccp -split-input-file | FileCheck %s --check-prefix=SCCP

//===----------------------------------------------------------------------===//
// add / sub: x + 0 and x - 0
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @add_zero(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>)
// CHECK-NOT:     qopt.add
// CHECK:         return %[[X]], %[[X]], %[[X]], %[[X]] :
func.func @add_zero(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %z = qopt.constant dense<0.0> : tensor<2x3xf32>
  %zb = qopt.constant dense<0.0> : tensor<3xf32>
  %nz = qopt.constant dense<-0.0> : tensor<f32>
  // Same shape.
  %0 = qopt.add %x, %z : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // add is commutative: the constant moves to the right, then folds.
  %1 = qopt.add %z, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // A broadcast zero that leaves the type of x unchanged.
  %2 = qopt.add %x, %zb : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // -0.0 is a zero too (signed zeros are not preserved).
  %3 = qopt.add %x, %nz : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @sub_zero(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf16>)
// CHECK:         %[[Z:.+]] = qopt.constant dense<0.000000e+00> : tensor<2x3xf16>
// CHECK-NEXT:    %[[S:.+]] = qopt.sub %[[Z]], %[[X]] : (tensor<2x3xf16>, tensor<2x3xf16>) -> tensor<2x3xf16>
// CHECK-NEXT:    return %[[X]], %[[S]] : tensor<2x3xf16>, tensor<2x3xf16>
func.func @sub_zero(%x: tensor<2x3xf16>) -> (tensor<2x3xf16>, tensor<2x3xf16>) {
  %z = qopt.constant dense<0.0> : tensor<2x3xf16>
  %0 = qopt.sub %x, %z : (tensor<2x3xf16>, tensor<2x3xf16>) -> tensor<2x3xf16>
  // 0 - x is not x: sub is not commutative.
  %1 = qopt.sub %z, %x : (tensor<2x3xf16>, tensor<2x3xf16>) -> tensor<2x3xf16>
  return %0, %1 : tensor<2x3xf16>, tensor<2x3xf16>
}

// -----

//===----------------------------------------------------------------------===//
// mul / div: x * 1 and x / 1
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @mul_div_one(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<4xbf16>)
// CHECK:         %[[ONE:.+]] = qopt.constant dense<1.000000e+00> : tensor<4xbf16>
// CHECK-NEXT:    %[[D:.+]] = qopt.div %[[ONE]], %[[X]] : (tensor<4xbf16>, tensor<4xbf16>) -> tensor<4xbf16>
// CHECK-NEXT:    return %[[X]], %[[X]], %[[X]], %[[D]] :
func.func @mul_div_one(%x: tensor<4xbf16>) -> (tensor<4xbf16>, tensor<4xbf16>, tensor<4xbf16>, tensor<4xbf16>) {
  %one = qopt.constant dense<1.0> : tensor<4xbf16>
  %0 = qopt.mul %x, %one : (tensor<4xbf16>, tensor<4xbf16>) -> tensor<4xbf16>
  %1 = qopt.mul %one, %x : (tensor<4xbf16>, tensor<4xbf16>) -> tensor<4xbf16>
  %2 = qopt.div %x, %one : (tensor<4xbf16>, tensor<4xbf16>) -> tensor<4xbf16>
  // 1 / x is a reciprocal, not x.
  %3 = qopt.div %one, %x : (tensor<4xbf16>, tensor<4xbf16>) -> tensor<4xbf16>
  return %0, %1, %2, %3 : tensor<4xbf16>, tensor<4xbf16>, tensor<4xbf16>, tensor<4xbf16>
}

// -----

// Types double cannot represent exactly are compared in their own semantics.
// CHECK-LABEL: func.func @mul_one_wide_float(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2xf80>, %[[Y:[a-zA-Z0-9_]+]]: tensor<2xf8E4M3FN>)
// CHECK-NOT:     qopt.mul
// CHECK-NOT:     qopt.add
// CHECK:         return %[[X]], %[[Y]] :
func.func @mul_one_wide_float(%x: tensor<2xf80>, %y: tensor<2xf8E4M3FN>) -> (tensor<2xf80>, tensor<2xf8E4M3FN>) {
  %one = qopt.constant dense<1.0> : tensor<2xf80>
  %0 = qopt.mul %x, %one : (tensor<2xf80>, tensor<2xf80>) -> tensor<2xf80>
  %zero = qopt.constant dense<0.0> : tensor<2xf8E4M3FN>
  %1 = qopt.add %y, %zero : (tensor<2xf8E4M3FN>, tensor<2xf8E4M3FN>) -> tensor<2xf8E4M3FN>
  return %0, %1 : tensor<2xf80>, tensor<2xf8E4M3FN>
}

// -----

//===----------------------------------------------------------------------===//
// Identity folds that must not apply
//===----------------------------------------------------------------------===//

// The identity broadcasts x to a larger shape: the result type differs from
// the type of x, so x cannot replace it.
// CHECK-LABEL: func.func @no_fold_broadcast(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<3xf32>)
// CHECK-DAG:     %[[Z:.+]] = qopt.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK-DAG:     %[[ONE:.+]] = qopt.constant dense<1.000000e+00> : tensor<2x3xf32>
// CHECK:         %[[A:.+]] = qopt.add %[[X]], %[[Z]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[M:.+]] = qopt.mul %[[X]], %[[ONE]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[A]], %[[M]]
func.func @no_fold_broadcast(%x: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %z = qopt.constant dense<0.0> : tensor<2x3xf32>
  %one = qopt.constant dense<1.0> : tensor<2x3xf32>
  %0 = qopt.add %x, %z : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qopt.mul %x, %one : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Non-splat constants and splats of the wrong value stay.
// CHECK-LABEL: func.func @no_fold_values(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<3xf32>)
// CHECK-DAG:     %[[NS:.+]] = qopt.constant dense<[0.000000e+00, 1.000000e+00, 0.000000e+00]> : tensor<3xf32>
// CHECK-DAG:     %[[ONE:.+]] = qopt.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-DAG:     %[[ZERO:.+]] = qopt.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK-DAG:     %[[A:.+]] = qopt.add %[[X]], %[[NS]] : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
// CHECK-DAG:     %[[M:.+]] = qopt.mul %[[X]], %[[NS]] : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
// CHECK-DAG:     %[[S:.+]] = qopt.sub %[[X]], %[[ONE]] : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
// CHECK-DAG:     %[[D:.+]] = qopt.div %[[X]], %[[ZERO]] : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
// CHECK:         return %[[A]], %[[M]], %[[S]], %[[D]]
func.func @no_fold_values(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %ns = qopt.constant dense<[0.0, 1.0, 0.0]> : tensor<3xf32>
  %one = qopt.constant dense<1.0> : tensor<3xf32>
  %zero = qopt.constant dense<0.0> : tensor<3xf32>
  %0 = qopt.add %x, %ns : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = qopt.mul %x, %ns : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %2 = qopt.sub %x, %one : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %3 = qopt.div %x, %zero : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0, %1, %2, %3 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Quantized operands never fold: the quantized result rounds and saturates,
// and a quantized constant holds storage values (2 stands for 1.0 here).
// CHECK-LABEL: func.func @no_fold_quant(
// CHECK-SAME:    %[[Q:[a-zA-Z0-9_]+]]: tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>, %[[X:[a-zA-Z0-9_]+]]: tensor<2xf32>)
// CHECK-DAG:     %[[Z:.+]] = qopt.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK-DAG:     %[[QZ:.+]] = qopt.constant dense<0> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-DAG:     %[[QONE:.+]] = qopt.constant dense<2> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-DAG:     %[[A:.+]] = qopt.add %[[Q]], %[[Z]] : (tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-DAG:     %[[B:.+]] = qopt.add %[[Q]], %[[QZ]] : (tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-DAG:     %[[M:.+]] = qopt.mul %[[Q]], %[[QONE]] : (tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-DAG:     %[[F:.+]] = qopt.add %[[X]], %[[Z]] : (tensor<2xf32>, tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK:         return %[[A]], %[[B]], %[[M]], %[[F]]
func.func @no_fold_quant(%q: tensor<2x!quant.uniform<i8:f32, 0.5>>, %x: tensor<2xf32>) -> (tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.5>>) {
  %z = qopt.constant dense<0.0> : tensor<2xf32>
  %qz = qopt.constant dense<0> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  %qone = qopt.constant dense<2> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  %0 = qopt.add %q, %z : (tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  %1 = qopt.add %q, %qz : (tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  %2 = qopt.mul %q, %qone : (tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  // Float operands with a quantized result: the result type differs.
  %3 = qopt.add %x, %z : (tensor<2xf32>, tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return %0, %1, %2, %3 : tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.5>>
}

// -----

//===----------------------------------------------------------------------===//
// relu(relu(x))
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @relu_relu(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[R:.+]] = qopt.relu %[[X]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x3xf32>
func.func @relu_relu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = qopt.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qopt.relu %0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = qopt.relu %1 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}

// -----

// Quantized relus may requantize: both stay.
// CHECK-LABEL: func.func @relu_relu_quant(
// CHECK-SAME:    %[[Q:[a-zA-Z0-9_]+]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>)
// CHECK-NEXT:    %[[R0:.+]] = qopt.relu %[[Q]] : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NEXT:    %[[R1:.+]] = qopt.relu %[[R0]] : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NEXT:    return %[[R1]]
func.func @relu_relu_quant(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  %0 = qopt.relu %q : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %1 = qopt.relu %0 : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %1 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

// The inner relu quantizes and the outer one dequantizes: replacing the outer
// relu by the inner one would change the result type (and drop the
// quantization), so both stay.
// CHECK-LABEL: func.func @relu_relu_type_change(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>)
// CHECK-NEXT:    %[[R0:.+]] = qopt.relu %[[X]] : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NEXT:    %[[R1:.+]] = qopt.relu %[[R0]] : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<4xf32>
// CHECK-NEXT:    return %[[R1]] : tensor<4xf32>
func.func @relu_relu_type_change(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.relu %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %1 = qopt.relu %0 : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// clamp
//===----------------------------------------------------------------------===//

// clamp(clamp(x, 0, 6), -1, 4) = clamp(x, max(0, -1), min(6, 4)) = clamp(x, 0, 4).
// CHECK-LABEL: func.func @clamp_clamp(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[C:.+]] = qopt.clamp %[[X]] {max = 4.000000e+00 : f32, min = 0.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    return %[[C]] : tensor<2x3xf32>
func.func @clamp_clamp(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = qopt.clamp %x {min = 0.0 : f32, max = 6.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qopt.clamp %0 {min = -1.0 : f32, max = 4.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// A chain of three merges into one; an inner clamp with another user stays.
// clamp(clamp(clamp(x, -5, 5), -2, 10), 1, 3) = clamp(x, 1, 3).
// CHECK-LABEL: func.func @clamp_chain(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>)
// CHECK-DAG:     %[[C0:.+]] = qopt.clamp %[[X]] {max = 5.000000e+00 : f32, min = -5.000000e+00 : f32} : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-DAG:     %[[C2:.+]] = qopt.clamp %[[X]] {max = 3.000000e+00 : f32, min = 1.000000e+00 : f32} : (tensor<4xf32>) -> tensor<4xf32>
// CHECK:         return %[[C2]], %[[C0]] : tensor<4xf32>, tensor<4xf32>
func.func @clamp_chain(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = qopt.clamp %x {min = -5.0 : f32, max = 5.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qopt.clamp %0 {min = -2.0 : f32, max = 10.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %2 = qopt.clamp %1 {min = 1.0 : f32, max = 3.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %2, %0 : tensor<4xf32>, tensor<4xf32>
}

// -----

// clamp(x, -inf, +inf) is x; one infinite bound is not enough.
// CHECK-LABEL: func.func @clamp_infinite(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>)
// CHECK-NEXT:    %[[C:.+]] = qopt.clamp %[[X]] {max = 0x7F800000 : f32, min = 0.000000e+00 : f32} : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:    return %[[X]], %[[C]] : tensor<4xf32>, tensor<4xf32>
func.func @clamp_infinite(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = qopt.clamp %x {min = 0xFF800000 : f32, max = 0x7F800000 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qopt.clamp %x {min = 0.0 : f32, max = 0x7F800000 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// clamp(clamp(x, 0, 1), 2, 3) has an empty intersection: both clamps stay as
// written (the result is 2 everywhere, but merging would need min > max).
// CHECK-LABEL: func.func @clamp_empty_intersection(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>)
// CHECK-NEXT:    %[[C0:.+]] = qopt.clamp %[[X]] {max = 1.000000e+00 : f32, min = 0.000000e+00 : f32} : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:    %[[C1:.+]] = qopt.clamp %[[C0]] {max = 3.000000e+00 : f32, min = 2.000000e+00 : f32} : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:    return %[[C1]] : tensor<4xf32>
func.func @clamp_empty_intersection(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.clamp %x {min = 0.0 : f32, max = 1.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qopt.clamp %0 {min = 2.0 : f32, max = 3.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Quantized clamps are neither merged nor removed.
// CHECK-LABEL: func.func @clamp_quant(
// CHECK-SAME:    %[[Q:[a-zA-Z0-9_]+]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>, %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>)
// CHECK-NEXT:    %[[C0:.+]] = qopt.clamp %[[Q]] {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NEXT:    %[[C1:.+]] = qopt.clamp %[[C0]] {max = 4.000000e+00 : f32, min = 1.000000e+00 : f32} : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NEXT:    %[[C2:.+]] = qopt.clamp %[[Q]] {max = 0x7F800000 : f32, min = 0xFF800000 : f32} : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NEXT:    %[[C3:.+]] = qopt.clamp %[[X]] {max = 0x7F800000 : f32, min = 0xFF800000 : f32} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NEXT:    return %[[C1]], %[[C2]], %[[C3]]
func.func @clamp_quant(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>, %x: tensor<4xf32>) -> (tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  %0 = qopt.clamp %q {min = 0.0 : f32, max = 6.0 : f32} : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %1 = qopt.clamp %0 {min = 1.0 : f32, max = 4.0 : f32} : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %2 = qopt.clamp %q {min = 0xFF800000 : f32, max = 0x7F800000 : f32} : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  // A float input but a quantized result: the infinite clamp quantizes.
  %3 = qopt.clamp %x {min = 0xFF800000 : f32, max = 0x7F800000 : f32} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %1, %2, %3 : tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

//===----------------------------------------------------------------------===//
// reshape, transpose, cast
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reshape_identity(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>)
// CHECK-NEXT:    return %[[X]] : tensor<2x3xf32>
func.func @reshape_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = qopt.reshape %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// reshape(reshape(x)) becomes one reshape of x; the inner one dies.
// CHECK-LABEL: func.func @reshape_reshape(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3x4xi8>)
// CHECK-NEXT:    %[[R:.+]] = qopt.reshape %[[X]] : (tensor<2x3x4xi8>) -> tensor<4x6xi8>
// CHECK-NEXT:    return %[[R]] : tensor<4x6xi8>
func.func @reshape_reshape(%x: tensor<2x3x4xi8>) -> tensor<4x6xi8> {
  %0 = qopt.reshape %x : (tensor<2x3x4xi8>) -> tensor<24xi8>
  %1 = qopt.reshape %0 : (tensor<24xi8>) -> tensor<4x6xi8>
  return %1 : tensor<4x6xi8>
}

// -----

// Back to the original shape: the composed reshape is an identity.
// CHECK-LABEL: func.func @reshape_reshape_identity(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>)
// CHECK-NEXT:    return %[[X]]
func.func @reshape_reshape_identity(%x: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.5>> {
  %0 = qopt.reshape %x : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<6x!quant.uniform<i8:f32, 0.5>>
  %1 = qopt.reshape %0 : (tensor<6x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.5>>
  return %1 : tensor<2x3x!quant.uniform<i8:f32, 0.5>>
}

// -----

// The inner reshape keeps its other user.
// CHECK-LABEL: func.func @reshape_reshape_multi_use(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>)
// CHECK-DAG:     %[[R0:.+]] = qopt.reshape %[[X]] : (tensor<2x3xf32>) -> tensor<6xf32>
// CHECK-DAG:     %[[R1:.+]] = qopt.reshape %[[X]] : (tensor<2x3xf32>) -> tensor<3x2xf32>
// CHECK:         return %[[R1]], %[[R0]] : tensor<3x2xf32>, tensor<6xf32>
func.func @reshape_reshape_multi_use(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<6xf32>) {
  %0 = qopt.reshape %x : (tensor<2x3xf32>) -> tensor<6xf32>
  %1 = qopt.reshape %0 : (tensor<6xf32>) -> tensor<3x2xf32>
  return %1, %0 : tensor<3x2xf32>, tensor<6xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_identity(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>, %[[S:[a-zA-Z0-9_]+]]: tensor<f32>)
// CHECK-NEXT:    %[[T:.+]] = qopt.transpose %[[X]] {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT:    return %[[X]], %[[T]], %[[S]] : tensor<2x3x4xf32>, tensor<2x4x3xf32>, tensor<f32>
func.func @transpose_identity(%x: tensor<2x3x4xf32>, %s: tensor<f32>) -> (tensor<2x3x4xf32>, tensor<2x4x3xf32>, tensor<f32>) {
  %0 = qopt.transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %1 = qopt.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  // A rank-0 transpose has the empty (identity) permutation.
  %2 = qopt.transpose %s {perm = array<i64>} : (tensor<f32>) -> tensor<f32>
  return %0, %1, %2 : tensor<2x3x4xf32>, tensor<2x4x3xf32>, tensor<f32>
}

// -----

// A non-identity permutation over equal dims keeps the type but not the data.
// CHECK-LABEL: func.func @transpose_square(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<3x3xf32>)
// CHECK-NEXT:    %[[T:.+]] = qopt.transpose %[[X]] {perm = array<i64: 1, 0>} : (tensor<3x3xf32>) -> tensor<3x3xf32>
// CHECK-NEXT:    return %[[T]]
func.func @transpose_square(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %0 = qopt.transpose %x {perm = array<i64: 1, 0>} : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// CHECK-LABEL: func.func @cast_identity(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[I:[a-zA-Z0-9_]+]]: tensor<4xi8>)
// CHECK-NEXT:    %[[C:.+]] = qopt.cast %[[X]] : (tensor<4xf32>) -> tensor<4xi32>
// CHECK-NEXT:    return %[[X]], %[[I]], %[[C]] : tensor<4xf32>, tensor<4xi8>, tensor<4xi32>
func.func @cast_identity(%x: tensor<4xf32>, %i: tensor<4xi8>) -> (tensor<4xf32>, tensor<4xi8>, tensor<4xi32>) {
  %0 = qopt.cast %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qopt.cast %i : (tensor<4xi8>) -> tensor<4xi8>
  %2 = qopt.cast %x : (tensor<4xf32>) -> tensor<4xi32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xi8>, tensor<4xi32>
}

// -----

//===----------------------------------------------------------------------===//
// quantize, dequantize, requantize
//===----------------------------------------------------------------------===//

// quantize(dequantize(q)) into q's own type is q.
// CHECK-LABEL: func.func @quantize_dequantize(
// CHECK-SAME:    %[[Q:[a-zA-Z0-9_]+]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, %[[P:[a-zA-Z0-9_]+]]: tensor<2x3x!quant.uniform<u8:f32:0, {5.000000e-01:128,2.500000e-01:127}>>)
// CHECK-NEXT:    return %[[Q]], %[[P]] :
func.func @quantize_dequantize(%q: tensor<4x!quant.uniform<i8:f32, 0.5:-3>>, %p: tensor<2x3x!quant.uniform<u8:f32:0, {0.5:128, 0.25:127}>>) -> (tensor<4x!quant.uniform<i8:f32, 0.5:-3>>, tensor<2x3x!quant.uniform<u8:f32:0, {0.5:128, 0.25:127}>>) {
  %0 = qopt.dequantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4xf32>
  %1 = qopt.quantize %0 : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
  %2 = qopt.dequantize %p : (tensor<2x3x!quant.uniform<u8:f32:0, {0.5:128, 0.25:127}>>) -> tensor<2x3xf32>
  %3 = qopt.quantize %2 : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<u8:f32:0, {0.5:128, 0.25:127}>>
  return %1, %3 : tensor<4x!quant.uniform<i8:f32, 0.5:-3>>, tensor<2x3x!quant.uniform<u8:f32:0, {0.5:128, 0.25:127}>>
}

// -----

// Into another type (scale, zero point or storage) it is a requantization:
// both ops stay.
// CHECK-LABEL: func.func @quantize_dequantize_other_type(
// CHECK-SAME:    %[[Q:[a-zA-Z0-9_]+]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>)
// CHECK-NEXT:    %[[D:.+]] = qopt.dequantize %[[Q]] : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4xf32>
// CHECK-NEXT:    %[[Q1:.+]] = qopt.quantize %[[D]] : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01:-3>>
// CHECK-NEXT:    %[[Q2:.+]] = qopt.quantize %[[D]] : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NEXT:    %[[Q3:.+]] = qopt.quantize %[[D]] : (tensor<4xf32>) -> tensor<4x!quant.uniform<i16:f32, 5.000000e-01:-3>>
// CHECK-NEXT:    return %[[Q1]], %[[Q2]], %[[Q3]]
func.func @quantize_dequantize_other_type(%q: tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> (tensor<4x!quant.uniform<i8:f32, 0.25:-3>>, tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i16:f32, 0.5:-3>>) {
  %0 = qopt.dequantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4xf32>
  %1 = qopt.quantize %0 : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.25:-3>>
  %2 = qopt.quantize %0 : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %3 = qopt.quantize %0 : (tensor<4xf32>) -> tensor<4x!quant.uniform<i16:f32, 0.5:-3>>
  return %1, %2, %3 : tensor<4x!quant.uniform<i8:f32, 0.25:-3>>, tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i16:f32, 0.5:-3>>
}

// -----

// dequantize(quantize(x)) rounds x: it is not x.
// CHECK-LABEL: func.func @dequantize_quantize(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>)
// CHECK-NEXT:    %[[Q:.+]] = qopt.quantize %[[X]] : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NEXT:    %[[D:.+]] = qopt.dequantize %[[Q]] : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<4xf32>
// CHECK-NEXT:    return %[[D]] : tensor<4xf32>
func.func @dequantize_quantize(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %1 = qopt.dequantize %0 : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @requantize_identity(
// CHECK-SAME:    %[[Q:[a-zA-Z0-9_]+]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>)
// CHECK-NEXT:    %[[R:.+]] = qopt.requantize %[[Q]] : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-2>>
// CHECK-NEXT:    return %[[Q]], %[[R]] :
func.func @requantize_identity(%q: tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> (tensor<4x!quant.uniform<i8:f32, 0.5:-3>>, tensor<4x!quant.uniform<i8:f32, 0.5:-2>>) {
  %0 = qopt.requantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
  %1 = qopt.requantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4x!quant.uniform<i8:f32, 0.5:-2>>
  return %0, %1 : tensor<4x!quant.uniform<i8:f32, 0.5:-3>>, tensor<4x!quant.uniform<i8:f32, 0.5:-2>>
}

// -----

//===----------------------------------------------------------------------===//
// Constants: folding, deduplication and materialisation
//===----------------------------------------------------------------------===//

// Equal constants of equal type are merged and hoisted; dead ones (quantized
// or not) are erased. A quantized constant folds to its storage values, so
// it is merged only with a constant of the same quantized type.
// CHECK-LABEL: func.func @constants(
// CHECK-DAG:     %[[F:.+]] = qopt.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[QA:.+]] = qopt.constant dense<[1, -2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-DAG:     %[[QB:.+]] = qopt.constant dense<[1, -2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK-DAG:     %[[I:.+]] = qopt.constant dense<[1, -2]> : tensor<2xi8>
// CHECK-NOT:     qopt.constant
// CHECK:         return %[[F]], %[[F]], %[[QA]], %[[QA]], %[[QB]], %[[I]] :
func.func @constants() -> (tensor<2xf32>, tensor<2xf32>, tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.25>>, tensor<2xi8>) {
  %f0 = qopt.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %f1 = qopt.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %dead = qopt.constant dense<3.0> : tensor<8xf32>
  %qa0 = qopt.constant dense<[1, -2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  %qa1 = qopt.constant dense<[1, -2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  %qb = qopt.constant dense<[1, -2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.25>>
  %qdead = qopt.constant dense<7> : tensor<3xi8> -> tensor<3x!quant.uniform<i8:f32, 0.5>>
  %i = qopt.constant dense<[1, -2]> : tensor<2xi8>
  return %f0, %f1, %qa0, %qa1, %qb, %i : tensor<2xf32>, tensor<2xf32>, tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.25>>, tensor<2xi8>
}

// -----

// Identity folds that expose a constant: the users see the constant itself.
// CHECK-LABEL: func.func @fold_to_constant(
// CHECK-NEXT:    %[[C:.+]] = qopt.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-NEXT:    return %[[C]], %[[C]] : tensor<3xf32>, tensor<3xf32>
func.func @fold_to_constant() -> (tensor<3xf32>, tensor<3xf32>) {
  %c = qopt.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %one = qopt.constant dense<1.0> : tensor<3xf32>
  %0 = qopt.mul %c, %one : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = qopt.reshape %0 : (tensor<3xf32>) -> tensor<1x3xf32>
  %2 = qopt.reshape %1 : (tensor<1x3xf32>) -> tensor<3xf32>
  %3 = qopt.transpose %2 {perm = array<i64: 0>} : (tensor<3xf32>) -> tensor<3xf32>
  return %3, %c : tensor<3xf32>, tensor<3xf32>
}

// -----

// SCCP propagates the callee's constants into the caller and asks the qopt
// dialect to materialise them, a quantized one from its storage values.
// SCCP-LABEL: func.func @caller(
// SCCP-DAG:     %[[F:.+]] = qopt.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// SCCP-DAG:     %[[Q:.+]] = qopt.constant dense<[1, -2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
// SCCP:         call @callee()
// SCCP-NEXT:    return %[[F]], %[[Q]] :
func.func private @callee() -> (tensor<2xf32>, tensor<2x!quant.uniform<i8:f32, 0.5>>) {
  %c = qopt.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %q = qopt.constant dense<[1, -2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return %c, %q : tensor<2xf32>, tensor<2x!quant.uniform<i8:f32, 0.5>>
}
func.func @caller() -> (tensor<2xf32>, tensor<2x!quant.uniform<i8:f32, 0.5>>) {
  %0:2 = call @callee() : () -> (tensor<2xf32>, tensor<2x!quant.uniform<i8:f32, 0.5>>)
  return %0#0, %0#1 : tensor<2xf32>, tensor<2x!quant.uniform<i8:f32, 0.5>>
}
