// convert-qopt-to-linalg: qopt.reduce.
// RUN: qopt-opt %s --convert-qopt-to-linalg -split-input-file | FileCheck %s

// mean with keep_dims: linalg.reduce from 0 over the axes, divided by the
// number of reduced elements, expanded back to size-1 dims.
// CHECK-LABEL: func.func @mean_keep_dims(
// CHECK-SAME:    %[[X:.+]]: tensor<2x3x4x5xf32>)
// CHECK:         %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[F:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.+}} : tensor<2x4xf32>)
// CHECK:         %[[S:.+]] = linalg.reduce ins(%[[X]] : tensor<2x3x4x5xf32>) outs(%[[F]] : tensor<2x4xf32>) dimensions = [1, 3]
// CHECK:           (%[[IN:.+]]: f32, %[[ACC:.+]]: f32) {
// CHECK:             %[[A:.+]] = arith.addf %[[IN]], %[[ACC]] : f32
// CHECK:             linalg.yield %[[A]] : f32
// CHECK:         %[[M:.+]] = linalg.generic {{.+}} ins(%[[S]] : tensor<2x4xf32>)
// CHECK:           %[[N:.+]] = arith.constant 1.500000e+01 : f32
// CHECK:           arith.divf %{{.+}}, %[[N]] : f32
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[M]] {{\[}}[0], [1, 2, 3]] output_shape [2, 1, 4, 1] : tensor<2x4xf32> into tensor<2x1x4x1xf32>
// CHECK:         return %[[R]]
func.func @mean_keep_dims(%x: tensor<2x3x4x5xf32>) -> tensor<2x1x4x1xf32> {
  %0 = qopt.reduce mean %x {axes = array<i64: 1, 3>, keep_dims = true} : (tensor<2x3x4x5xf32>) -> tensor<2x1x4x1xf32>
  return %0 : tensor<2x1x4x1xf32>
}

// -----

// sum without keep_dims: the linalg.reduce alone.
// CHECK-LABEL: func.func @sum(
// CHECK:         %[[S:.+]] = linalg.reduce ins(%{{.+}} : tensor<2x3xf32>) outs(%{{.+}} : tensor<3xf32>) dimensions = [0]
// CHECK:           arith.addf
// CHECK-NOT:     tensor.expand_shape
// CHECK:         return %[[S]]
func.func @sum(%x: tensor<2x3xf32>) -> tensor<3xf32> {
  %0 = qopt.reduce sum %x {axes = array<i64: 0>, keep_dims = false} : (tensor<2x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// max from -inf and min from +inf (NaN-propagating maximumf/minimumf); a
// full reduction yields a rank-0 tensor, expanded when dims are kept.
// CHECK-LABEL: func.func @max_all(
// CHECK:         %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[F:.+]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.+}} : tensor<f32>)
// CHECK:         %[[S:.+]] = linalg.reduce ins(%{{.+}} : tensor<2x3xf32>) outs(%[[F]] : tensor<f32>) dimensions = [0, 1]
// CHECK:           arith.maximumf
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[S]] [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
// CHECK:         return %[[R]]
// CHECK-LABEL: func.func @min(
// CHECK:         %[[INF:.+]] = arith.constant 0x7F800000 : f32
// CHECK:         linalg.fill ins(%[[INF]] : f32)
// CHECK:         linalg.reduce
// CHECK:           arith.minimumf
func.func @max_all(%x: tensor<2x3xf32>) -> tensor<1x1xf32> {
  %0 = qopt.reduce max %x {axes = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}
func.func @min(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = qopt.reduce min %x {axes = array<i64: 1>, keep_dims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
