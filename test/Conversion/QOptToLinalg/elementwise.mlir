// convert-qopt-to-linalg: elementwise ops become one linalg.generic whose
// indexing maps broadcast the operands as numpy does (size-1 dims read at
// index 0, missing leading dims dropped), with the ONNX scalar formula as
// its body.
// RUN: qopt-opt %s --convert-qopt-to-linalg -split-input-file | FileCheck %s

// CHECK-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @add_broadcast(
// CHECK-SAME:    %[[A:.+]]: tensor<2x1x4xf32>, %[[B:.+]]: tensor<3x1xf32>)
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2x3x4xf32>
// CHECK:         %[[R:.+]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[LHS]], #[[RHS]], #[[ID]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<2x1x4xf32>, tensor<3x1xf32>)
// CHECK-SAME:      outs(%[[E]] : tensor<2x3x4xf32>)
// CHECK:         ^bb0(%[[X:.+]]: f32, %[[Y:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[S:.+]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK:           linalg.yield %[[S]] : f32
// CHECK:         return %[[R]]
func.func @add_broadcast(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = qopt.add %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// A size-1 result dim reads size-1 operand dims by the loop index, and a
// rank-0 operand through the empty map.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[SCALAR:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @pow_scalar(
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[ID]]]
// CHECK:           math.powf
func.func @pow_scalar(%a: tensor<1x3xf32>, %b: tensor<f32>) -> tensor<1x3xf32> {
  %0 = qopt.pow %a, %b : (tensor<1x3xf32>, tensor<f32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

// CHECK-LABEL: func.func @binary_bodies(
// CHECK:         arith.subf
// CHECK:         arith.mulf
// CHECK:         arith.divf
// CHECK:         arith.maximumf
// CHECK:         arith.minimumf
func.func @binary_bodies(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.sub %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = qopt.mul %0, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = qopt.div %1, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = qopt.max %2, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = qopt.min %3, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @simple_unary(
// CHECK:         arith.negf
// CHECK:         math.absf
// CHECK:         math.sqrt
// CHECK:         math.exp
// CHECK:         math.log
// CHECK:         %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:    arith.divf %[[ONE]], %{{.+}} : f32
// CHECK:         math.tanh
// CHECK:         math.erf
func.func @simple_unary(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.neg %a : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qopt.abs %0 : (tensor<4xf32>) -> tensor<4xf32>
  %2 = qopt.sqrt %1 : (tensor<4xf32>) -> tensor<4xf32>
  %3 = qopt.exp %2 : (tensor<4xf32>) -> tensor<4xf32>
  %4 = qopt.log %3 : (tensor<4xf32>) -> tensor<4xf32>
  %5 = qopt.reciprocal %4 : (tensor<4xf32>) -> tensor<4xf32>
  %6 = qopt.tanh %5 : (tensor<4xf32>) -> tensor<4xf32>
  %7 = qopt.erf %6 : (tensor<4xf32>) -> tensor<4xf32>
  return %7 : tensor<4xf32>
}

// -----

// relu is a NaN-propagating max with 0.
// CHECK-LABEL: func.func @relu(
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[R:.+]] = arith.maximumf %[[X]], %[[Z]] : f32
// CHECK:           linalg.yield %[[R]]
func.func @relu(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.relu %a : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// sigmoid = 1 / (1 + exp(-x)).
// CHECK-LABEL: func.func @sigmoid(
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[N:.+]] = arith.negf %[[X]]
// CHECK:           %[[E:.+]] = math.exp %[[N]]
// CHECK:           %[[D:.+]] = arith.addf %{{.+}}, %[[E]]
// CHECK:           %[[R:.+]] = arith.divf %{{.+}}, %[[D]]
// CHECK:           linalg.yield %[[R]]
func.func @sigmoid(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.sigmoid %a : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// clamp: max with the lower bound, then min with the upper one; an infinite
// bound is left out.
// CHECK-LABEL: func.func @clamp(
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[LO:.+]] = arith.constant -1.500000e+00 : f32
// CHECK:           %[[M:.+]] = arith.maximumf %[[X]], %[[LO]] : f32
// CHECK:           %[[HI:.+]] = arith.constant 6.000000e+00 : f32
// CHECK:           %[[R:.+]] = arith.minimumf %[[M]], %[[HI]] : f32
// CHECK:           linalg.yield %[[R]]
// CHECK-LABEL: func.func @clamp_below(
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[M:.+]] = arith.maximumf %[[X]], %[[LO]] : f32
// CHECK-NOT:       arith.minimumf
// CHECK:           linalg.yield %[[M]]
func.func @clamp(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.clamp %a {min = -1.5 : f32, max = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @clamp_below(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.clamp %a {min = 0.0 : f32, max = 0x7F800000 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// hard_sigmoid: max(0, min(1, alpha·x + beta)); hard_swish: x times the
// hard sigmoid with alpha 1/6 and beta 1/2.
// CHECK-LABEL: func.func @hard_sigmoid(
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[AL:.+]] = arith.constant 2.500000e-01 : f32
// CHECK:           %[[AX:.+]] = arith.mulf %[[AL]], %[[X]]
// CHECK:           %[[BE:.+]] = arith.constant 7.500000e-01 : f32
// CHECK:           %[[V:.+]] = arith.addf %[[AX]], %[[BE]]
// CHECK:           %[[MIN:.+]] = arith.minimumf %{{.+}}, %[[V]]
// CHECK:           %[[R:.+]] = arith.maximumf %{{.+}}, %[[MIN]]
// CHECK:           linalg.yield %[[R]]
// CHECK-LABEL: func.func @hard_swish(
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK:           arith.constant 0.166666672 : f32
// CHECK:           arith.constant 5.000000e-01 : f32
// CHECK:           %[[HS:.+]] = arith.maximumf
// CHECK:           %[[R:.+]] = arith.mulf %[[X]], %[[HS]]
// CHECK:           linalg.yield %[[R]]
func.func @hard_sigmoid(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.hard_sigmoid %a {alpha = 0.25 : f32, beta = 0.75 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func @hard_swish(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.hard_swish %a : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// leaky_relu: x < 0 ? alpha·x : x.
// CHECK-LABEL: func.func @leaky_relu(
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[NEG:.+]] = arith.cmpf olt, %[[X]], %[[Z]] : f32
// CHECK:           %[[AL:.+]] = arith.constant 2.000000e-01 : f32
// CHECK:           %[[AX:.+]] = arith.mulf %[[AL]], %[[X]]
// CHECK:           %[[R:.+]] = arith.select %[[NEG]], %[[AX]], %[[X]]
// CHECK:           linalg.yield %[[R]]
func.func @leaky_relu(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.leaky_relu %a {alpha = 0.2 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Exact gelu: 0.5·x·(1 + erf(x·(1/√2))).
// CHECK-LABEL: func.func @gelu(
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[C:.+]] = arith.constant 0.707106769 : f32
// CHECK:           %[[S:.+]] = arith.mulf %[[X]], %[[C]]
// CHECK:           %[[E:.+]] = math.erf %[[S]]
// CHECK:           %[[H:.+]] = arith.constant 5.000000e-01 : f32
// CHECK:           %[[HX:.+]] = arith.mulf %[[H]], %[[X]]
// CHECK:           %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK:           %[[P:.+]] = arith.addf %[[ONE]], %[[E]]
// CHECK:           %[[R:.+]] = arith.mulf %[[HX]], %[[P]]
// CHECK:           linalg.yield %[[R]]
func.func @gelu(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.gelu %a : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tanh gelu: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), in the element
// type (here f16).
// CHECK-LABEL: func.func @gelu_tanh(
// CHECK:         ^bb0(%[[X:.+]]: f16, %{{.+}}: f16):
// CHECK:           %[[X2:.+]] = arith.mulf %[[X]], %[[X]] : f16
// CHECK:           %[[X3:.+]] = arith.mulf %[[X2]], %[[X]] : f16
// CHECK:           %[[K:.+]] = arith.constant 4.470830e-02 : f16
// CHECK:           %[[KX3:.+]] = arith.mulf %[[K]], %[[X3]]
// CHECK:           %[[POLY:.+]] = arith.addf %[[X]], %[[KX3]]
// CHECK:           %[[S:.+]] = arith.constant 7.978520e-01 : f16
// CHECK:           %[[ARG:.+]] = arith.mulf %[[S]], %[[POLY]]
// CHECK:           %[[T:.+]] = math.tanh %[[ARG]] : f16
// CHECK:           arith.addf %{{.+}}, %[[T]]
func.func @gelu_tanh(%a: tensor<4xf16>) -> tensor<4xf16> {
  %0 = qopt.gelu %a {approximation = #qopt<gelu_approximation tanh>} : (tensor<4xf16>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// qopt.unary round: ties to even (math.roundeven); floor and a libm function
// are one math op each.
// CHECK-LABEL: func.func @unary_round(
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[R:.+]] = math.roundeven %[[X]] : f32
// CHECK:           linalg.yield %[[R]]
// CHECK:         linalg.generic
// CHECK:           math.floor
// CHECK:         linalg.generic
// CHECK:           math.asinh
func.func @unary_round(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = qopt.unary round %a : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qopt.unary floor %a : (tensor<4xf32>) -> tensor<4xf32>
  %2 = qopt.unary asinh %a : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// sign: x < 0 ? -1 : x, then x > 0 ? 1 : that (0 and NaN stay).
// CHECK-LABEL: func.func @unary_sign(
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[M1:.+]] = arith.constant -1.000000e+00 : f32
// CHECK:           %[[LT:.+]] = arith.cmpf olt, %[[X]], %[[Z]] : f32
// CHECK:           %[[N:.+]] = arith.select %[[LT]], %[[M1]], %[[X]] : f32
// CHECK:           %[[P1:.+]] = arith.constant 1.000000e+00 : f32
// CHECK:           %[[GT:.+]] = arith.cmpf ogt, %[[X]], %{{.+}} : f32
// CHECK:           %[[R:.+]] = arith.select %[[GT]], %[[P1]], %[[N]] : f32
// CHECK:           linalg.yield %[[R]]
func.func @unary_sign(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.unary sign %a : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// softplus: max(x, 0) + log1p(e^-|x|), which does not overflow.
// CHECK-LABEL: func.func @unary_softplus(
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[A:.+]] = math.absf %[[X]] : f32
// CHECK:           %[[NA:.+]] = arith.negf %[[A]] : f32
// CHECK:           %[[E:.+]] = math.exp %[[NA]] : f32
// CHECK:           %[[L:.+]] = math.log1p %[[E]] : f32
// CHECK:           %[[M:.+]] = arith.maximumf %[[X]], %{{.+}} : f32
// CHECK:           %[[R:.+]] = arith.addf %[[M]], %[[L]] : f32
// CHECK:           linalg.yield %[[R]]
func.func @unary_softplus(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qopt.unary softplus %a : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// elu: x < 0 ? alpha·expm1(x) : x; thresholded_relu: x > alpha ? x : 0.
// CHECK-LABEL: func.func @unary_elu(
// CHECK:         ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[AL:.+]] = arith.constant 2.000000e+00 : f32
// CHECK:           %[[E:.+]] = math.expm1 %[[X]] : f32
// CHECK:           %[[S:.+]] = arith.mulf %[[AL]], %[[E]] : f32
// CHECK:           %[[LT:.+]] = arith.cmpf olt, %[[X]], %{{.+}} : f32
// CHECK:           %[[R:.+]] = arith.select %[[LT]], %[[S]], %[[X]] : f32
// CHECK:           linalg.yield %[[R]]
// CHECK:         ^bb0(%[[Y:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[T:.+]] = arith.constant 5.000000e-01 : f32
// CHECK:           %[[GT:.+]] = arith.cmpf ogt, %[[Y]], %[[T]] : f32
// CHECK:           arith.select %[[GT]], %[[Y]], %{{.+}} : f32
func.func @unary_elu(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = qopt.unary elu %a {alpha = 2.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qopt.unary thresholded_relu %a {alpha = 0.5 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// compare: ordered float predicates, signed integer ones; logical and
// select are one arith op each, operands broadcast.
// CHECK-LABEL: func.func @compare_logical_select(
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[X:.+]]: f32, %[[Y:.+]]: f32, %{{.+}}: i1):
// CHECK:           %[[C:.+]] = arith.cmpf ole, %[[X]], %[[Y]] : f32
// CHECK:           linalg.yield %[[C]] : i1
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[P:.+]]: i32, %[[Q:.+]]: i32, %{{.+}}: i1):
// CHECK:           arith.cmpi sgt, %[[P]], %[[Q]] : i32
// CHECK:         linalg.generic
// CHECK:           arith.ori %{{.+}}, %{{.+}} : i1
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[S:.+]]: i1, %[[T:.+]]: f32, %[[F:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[R:.+]] = arith.select %[[S]], %[[T]], %[[F]] : f32
// CHECK:           linalg.yield %[[R]] : f32
func.func @compare_logical_select(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %i: tensor<3xi32>) -> tensor<2x3xf32> {
  %0 = qopt.compare le %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %1 = qopt.compare gt %i, %i : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi1>
  %2 = qopt.logical or %0, %1 : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  %3 = qopt.select %2, %a, %b : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %3 : tensor<2x3xf32>
}
