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

// -----

// prod: linalg.reduce from 1 with mulf.
// CHECK-LABEL: func.func @prod(
// CHECK:         %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK:         %[[F:.+]] = linalg.fill ins(%[[ONE]] : f32) outs(%{{.+}} : tensor<2xf32>)
// CHECK:         linalg.reduce ins(%{{.+}} : tensor<2x3xf32>) outs(%[[F]] : tensor<2xf32>) dimensions = [1]
// CHECK:           arith.mulf
func.func @prod(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = qopt.reduce prod %x {axes = array<i64: 1>, keep_dims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// arg_reduce: one linalg.generic with the value and the index as outputs;
// strict ogt keeps the first maximal index, the i64 index from linalg.index.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @arg_max(
// CHECK-SAME:    %[[X:.+]]: tensor<2x3xf32>)
// CHECK:         %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[V:.+]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.+}} : tensor<2xf32>)
// CHECK:         %[[Z:.+]] = arith.constant 0 : i64
// CHECK:         %[[I:.+]] = linalg.fill ins(%[[Z]] : i64) outs(%{{.+}} : tensor<2xi64>)
// CHECK:         %[[G:.+]]:2 = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[RED]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3xf32>) outs(%[[V]], %[[I]] : tensor<2xf32>, tensor<2xi64>)
// CHECK:         ^bb0(%[[IN:.+]]: f32, %[[BEST:.+]]: f32, %[[BI:.+]]: i64):
// CHECK:           %[[IDX:.+]] = linalg.index 1 : index
// CHECK:           %[[IDX64:.+]] = arith.index_cast %[[IDX]] : index to i64
// CHECK:           %[[C:.+]] = arith.cmpf ogt, %[[IN]], %[[BEST]] : f32
// CHECK:           %[[NB:.+]] = arith.select %[[C]], %[[IN]], %[[BEST]] : f32
// CHECK:           %[[NI:.+]] = arith.select %[[C]], %[[IDX64]], %[[BI]] : i64
// CHECK:           linalg.yield %[[NB]], %[[NI]] : f32, i64
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[G]]#1 {{\[}}[0, 1]] output_shape [2, 1] : tensor<2xi64> into tensor<2x1xi64>
// CHECK:         return %[[R]]
func.func @arg_max(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  %0 = qopt.arg_reduce max %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

// arg_reduce min with select_last_index: ole lets ties replace the best.
// CHECK-LABEL: func.func @arg_min_last(
// CHECK:         arith.constant 0x7F800000 : f32
// CHECK:         linalg.generic
// CHECK:           arith.cmpf ole
// CHECK-NOT:     tensor.expand_shape
func.func @arg_min_last(%x: tensor<2x3xf32>) -> tensor<3xi64> {
  %0 = qopt.arg_reduce min %x {axis = 0 : i64, keep_dims = false, select_last_index = true} : (tensor<2x3xf32>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}
