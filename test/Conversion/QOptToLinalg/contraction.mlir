// convert-qopt-to-linalg: matmul, batch_matmul and gemm.
// RUN: qopt-opt %s --convert-qopt-to-linalg -split-input-file | FileCheck %s

// 2-D: linalg.matmul into a zero-filled accumulator.
// CHECK-LABEL: func.func @matmul_2d(
// CHECK-SAME:    %[[A:.+]]: tensor<3x4xf32>, %[[B:.+]]: tensor<4x5xf32>)
// CHECK:         %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<3x5xf32>
// CHECK:         %[[F:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<3x5xf32>)
// CHECK:         %[[R:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<3x4xf32>, tensor<4x5xf32>) outs(%[[F]] : tensor<3x5xf32>)
// CHECK:         return %[[R]]
func.func @matmul_2d(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %0 = qopt.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// Batched lhs, 2-D rhs: the batch dims fold into the rows of one
// linalg.matmul; the rhs is used as it is.
// CHECK-LABEL: func.func @matmul_rows(
// CHECK-SAME:    %[[A:.+]]: tensor<2x3x4xf32>, %[[B:.+]]: tensor<4x5xf32>)
// CHECK:         %[[A2:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK:         %[[M:.+]] = linalg.matmul ins(%[[A2]], %[[B]] : tensor<6x4xf32>, tensor<4x5xf32>)
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[M]] {{\[}}[0, 1], [2]] output_shape [2, 3, 5] : tensor<6x5xf32> into tensor<2x3x5xf32>
// CHECK:         return %[[R]]
func.func @matmul_rows(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = qopt.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Broadcast batch dims: each operand is materialised at the result's batch
// shape by a linalg.generic (size-1 dims read at 0), the batch dims collapse
// into one, linalg.batch_matmul, and the result expands back.
// CHECK-DAG: #[[LHSMAP:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
// CHECK-DAG: #[[RHSMAP:.+]] = affine_map<(d0, d1, d2, d3) -> (0, d1, d2, d3)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_broadcast(
// CHECK-SAME:    %[[A:.+]]: tensor<2x1x3x4xf32>, %[[B:.+]]: tensor<1x5x4x6xf32>)
// CHECK:         %[[AB:.+]] = linalg.generic {indexing_maps = [#[[LHSMAP]], #[[ID]]]
// CHECK-SAME:      ins(%[[A]] : tensor<2x1x3x4xf32>) outs(%{{.+}} : tensor<2x5x3x4xf32>)
// CHECK:         %[[BB:.+]] = linalg.generic {indexing_maps = [#[[RHSMAP]], #[[ID]]]
// CHECK-SAME:      ins(%[[B]] : tensor<1x5x4x6xf32>) outs(%{{.+}} : tensor<2x5x4x6xf32>)
// CHECK:         %[[A3:.+]] = tensor.collapse_shape %[[AB]] {{\[}}[0, 1], [2], [3]] : tensor<2x5x3x4xf32> into tensor<10x3x4xf32>
// CHECK:         %[[B3:.+]] = tensor.collapse_shape %[[BB]] {{\[}}[0, 1], [2], [3]] : tensor<2x5x4x6xf32> into tensor<10x4x6xf32>
// CHECK:         %[[M:.+]] = linalg.batch_matmul ins(%[[A3]], %[[B3]] : tensor<10x3x4xf32>, tensor<10x4x6xf32>) outs(%{{.+}} : tensor<10x3x6xf32>)
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[M]] {{\[}}[0, 1], [2], [3]] output_shape [2, 5, 3, 6]
// CHECK:         return %[[R]]
func.func @matmul_broadcast(%a: tensor<2x1x3x4xf32>, %b: tensor<1x5x4x6xf32>) -> tensor<2x5x3x6xf32> {
  %0 = qopt.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<1x5x4x6xf32>) -> tensor<2x5x3x6xf32>
  return %0 : tensor<2x5x3x6xf32>
}

// -----

// A 2-D lhs against a batched rhs: the lhs is broadcast over the batch, the
// rhs is already 3-D.
// CHECK-DAG: #[[LHSMAP:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @matmul_lhs_2d(
// CHECK-SAME:    %[[A:.+]]: tensor<3x4xf32>, %[[B:.+]]: tensor<5x4x2xf32>)
// CHECK:         %[[AB:.+]] = linalg.generic {indexing_maps = [#[[LHSMAP]], #{{.+}}]
// CHECK-SAME:      ins(%[[A]] : tensor<3x4xf32>) outs(%{{.+}} : tensor<5x3x4xf32>)
// CHECK:         %[[R:.+]] = linalg.batch_matmul ins(%[[AB]], %[[B]] : tensor<5x3x4xf32>, tensor<5x4x2xf32>)
// CHECK:         return %[[R]]
func.func @matmul_lhs_2d(%a: tensor<3x4xf32>, %b: tensor<5x4x2xf32>) -> tensor<5x3x2xf32> {
  %0 = qopt.matmul %a, %b : (tensor<3x4xf32>, tensor<5x4x2xf32>) -> tensor<5x3x2xf32>
  return %0 : tensor<5x3x2xf32>
}

// -----

// CHECK-LABEL: func.func @batch_matmul(
// CHECK-SAME:    %[[A:.+]]: tensor<3x4x5xf32>, %[[B:.+]]: tensor<3x5x2xf32>)
// CHECK:         %[[F:.+]] = linalg.fill
// CHECK:         %[[R:.+]] = linalg.batch_matmul ins(%[[A]], %[[B]] : tensor<3x4x5xf32>, tensor<3x5x2xf32>) outs(%[[F]] : tensor<3x4x2xf32>)
// CHECK:         return %[[R]]
func.func @batch_matmul(%a: tensor<3x4x5xf32>, %b: tensor<3x5x2xf32>) -> tensor<3x4x2xf32> {
  %0 = qopt.batch_matmul %a, %b : (tensor<3x4x5xf32>, tensor<3x5x2xf32>) -> tensor<3x4x2xf32>
  return %0 : tensor<3x4x2xf32>
}

// -----

// gemm with both transposes: linalg.matmul reads A as (k, m) and B as
// (n, k); the epilogue computes alpha·AB + beta·C with C broadcast.
// CHECK-DAG: #[[AT:.+]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[BT:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[CMAP:.+]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @gemm(
// CHECK-SAME:    %[[A:.+]]: tensor<4x3xf32>, %[[B:.+]]: tensor<5x4xf32>, %[[C:.+]]: tensor<1x5xf32>)
// CHECK:         %[[M:.+]] = linalg.matmul indexing_maps = [#[[AT]], #[[BT]], #[[OUT]]] ins(%[[A]], %[[B]] : tensor<4x3xf32>, tensor<5x4xf32>)
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID2]], #[[CMAP]], #[[ID2]]]
// CHECK-SAME:      ins(%[[M]], %[[C]] : tensor<3x5xf32>, tensor<1x5xf32>)
// CHECK:         ^bb0(%[[P:.+]]: f32, %[[CV:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[AL:.+]] = arith.constant 5.000000e-01 : f32
// CHECK:           %[[AP:.+]] = arith.mulf %[[AL]], %[[P]]
// CHECK:           %[[BE:.+]] = arith.constant 2.000000e+00 : f32
// CHECK:           %[[BC:.+]] = arith.mulf %[[BE]], %[[CV]]
// CHECK:           %[[S:.+]] = arith.addf %[[AP]], %[[BC]]
// CHECK:           linalg.yield %[[S]]
// CHECK:         return %[[R]]
func.func @gemm(%a: tensor<4x3xf32>, %b: tensor<5x4xf32>, %c: tensor<1x5xf32>) -> tensor<3x5xf32> {
  %0 = qopt.gemm %a, %b, %c {trans_a = true, trans_b = true, alpha = 0.5 : f32, beta = 2.0 : f32} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<1x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// gemm with trans_b only (a Linear layer) and a bias: no scaling.
// CHECK-DAG: #[[A:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[BT:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[BIAS:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gemm_linear(
// CHECK:         linalg.matmul indexing_maps = [#[[A]], #[[BT]], #{{.+}}]
// CHECK:         linalg.generic {indexing_maps = [#{{.+}}, #[[BIAS]], #{{.+}}]
// CHECK:         ^bb0(%[[P:.+]]: f32, %[[CV:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT:      %[[S:.+]] = arith.addf %[[P]], %[[CV]]
// CHECK-NEXT:      linalg.yield %[[S]]
func.func @gemm_linear(%a: tensor<2x8xf32>, %w: tensor<3x8xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = qopt.gemm %a, %w, %b {trans_b = true} : (tensor<2x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// gemm without C and with alpha = 1 is the matmul alone.
// CHECK-LABEL: func.func @gemm_plain(
// CHECK:         %[[R:.+]] = linalg.matmul ins(
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[R]]
func.func @gemm_plain(%a: tensor<2x8xf32>, %w: tensor<8x3xf32>) -> tensor<2x3xf32> {
  %0 = qopt.gemm %a, %w : (tensor<2x8xf32>, tensor<8x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
