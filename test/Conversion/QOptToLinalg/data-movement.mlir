// convert-qopt-to-linalg: data movement, cast and constant (on float and
// signless integer tensors).
// RUN: qopt-opt %s --convert-qopt-to-linalg -split-input-file | FileCheck %s

// Reshapes that regroup dims are one collapse_shape or expand_shape; others
// go through a 1-D tensor. flatten is a reshape to 2-D (axis 0: 1×N).
// CHECK-LABEL: func.func @reshapes(
// CHECK-SAME:    %[[X:.+]]: tensor<2x3x4xf32>)
// CHECK:         %[[C:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2]] : tensor<2x3x4xf32> into tensor<2x12xf32>
// CHECK:         %[[E:.+]] = tensor.expand_shape %[[X]] {{\[}}[0], [1], [2, 3]] output_shape [2, 3, 2, 2] : tensor<2x3x4xf32> into tensor<2x3x2x2xf32>
// CHECK:         %[[F:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK:         %[[G:.+]] = tensor.expand_shape %[[F]] {{\[}}[0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
// CHECK:         %[[H:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK:         %[[I0:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK:         %[[I:.+]] = tensor.expand_shape %[[I0]] {{\[}}[0, 1]] output_shape [1, 24] : tensor<24xf32> into tensor<1x24xf32>
// CHECK:         return %[[C]], %[[E]], %[[G]], %[[H]], %[[I]]
func.func @reshapes(%x: tensor<2x3x4xf32>) -> (tensor<2x12xf32>, tensor<2x3x2x2xf32>, tensor<4x6xf32>, tensor<6x4xf32>, tensor<1x24xf32>) {
  %0 = qopt.reshape %x : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %1 = qopt.reshape %x : (tensor<2x3x4xf32>) -> tensor<2x3x2x2xf32>
  %2 = qopt.reshape %x : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
  %3 = qopt.flatten %x {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %4 = qopt.flatten %x {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
  return %0, %1, %2, %3, %4 : tensor<2x12xf32>, tensor<2x3x2x2xf32>, tensor<4x6xf32>, tensor<6x4xf32>, tensor<1x24xf32>
}

// -----

// Integer tensors move too (here i8 and i64).
// CHECK-LABEL: func.func @integer_reshape(
// CHECK:         tensor.collapse_shape %{{.+}} {{\[}}[0, 1]] : tensor<2x3xi8> into tensor<6xi8>
// CHECK:         linalg.transpose ins(%{{.+}} : tensor<2x3xi64>) outs(%{{.+}} : tensor<3x2xi64>) permutation = [1, 0]
func.func @integer_reshape(%x: tensor<2x3xi8>, %y: tensor<2x3xi64>) -> (tensor<6xi8>, tensor<3x2xi64>) {
  %0 = qopt.reshape %x : (tensor<2x3xi8>) -> tensor<6xi8>
  %1 = qopt.transpose %y {perm = array<i64: 1, 0>} : (tensor<2x3xi64>) -> tensor<3x2xi64>
  return %0, %1 : tensor<6xi8>, tensor<3x2xi64>
}

// -----

// CHECK-LABEL: func.func @transpose(
// CHECK-SAME:    %[[X:.+]]: tensor<2x3x4xf32>)
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK:         %[[T:.+]] = linalg.transpose ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK:         return %[[T]]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = qopt.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat(
// CHECK-SAME:    %[[X:.+]]: tensor<2x3xf32>, %[[Y:.+]]: tensor<2x1xf32>)
// CHECK:         %[[C:.+]] = tensor.concat dim(1) %[[X]], %[[Y]], %[[X]] : (tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x7xf32>
// CHECK:         return %[[C]], %[[X]]
func.func @concat(%x: tensor<2x3xf32>, %y: tensor<2x1xf32>) -> (tensor<2x7xf32>, tensor<2x3xf32>) {
  %0 = qopt.concat %x, %y, %x {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x7xf32>
  %1 = qopt.concat %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x7xf32>, tensor<2x3xf32>
}

// -----

// split: one extract_slice per result, at increasing offsets along the axis.
// CHECK-LABEL: func.func @split(
// CHECK-SAME:    %[[X:.+]]: tensor<2x7xf32>)
// CHECK:         %[[A:.+]] = tensor.extract_slice %[[X]][0, 0] [2, 3] [1, 1] : tensor<2x7xf32> to tensor<2x3xf32>
// CHECK:         %[[B:.+]] = tensor.extract_slice %[[X]][0, 3] [2, 4] [1, 1] : tensor<2x7xf32> to tensor<2x4xf32>
// CHECK:         return %[[A]], %[[B]]
func.func @split(%x: tensor<2x7xf32>) -> (tensor<2x3xf32>, tensor<2x4xf32>) {
  %0, %1 = qopt.split %x {axis = 1 : i64} : (tensor<2x7xf32>) -> (tensor<2x3xf32>, tensor<2x4xf32>)
  return %0, %1 : tensor<2x3xf32>, tensor<2x4xf32>
}

// -----

// slice with positive steps: a strided extract_slice.
// CHECK-LABEL: func.func @slice(
// CHECK-SAME:    %[[X:.+]]: tensor<4x10xf32>)
// CHECK:         %[[S:.+]] = tensor.extract_slice %[[X]][1, 2] [2, 3] [1, 3] : tensor<4x10xf32> to tensor<2x3xf32>
// CHECK:         return %[[S]]
func.func @slice(%x: tensor<4x10xf32>) -> tensor<2x3xf32> {
  %0 = qopt.slice %x {starts = array<i64: 1, 2>, ends = array<i64: 3, 10>, steps = array<i64: 1, 3>} : (tensor<4x10xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// slice with a negative step: a linalg.generic that extracts
// input[start + i·step] (dims with step 1 from 0 read the index as it is).
// CHECK-LABEL: func.func @slice_negative(
// CHECK-SAME:    %[[X:.+]]: tensor<4x5xf32>)
// CHECK:         %[[R:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<2x5xf32>)
// CHECK:           %[[I:.+]] = linalg.index 0 : index
// CHECK:           %[[J:.+]] = linalg.index 1 : index
// CHECK:           %[[STEP:.+]] = arith.constant -2 : index
// CHECK:           %[[IS:.+]] = arith.muli %[[I]], %[[STEP]] : index
// CHECK:           %[[START:.+]] = arith.constant 3 : index
// CHECK:           %[[SRC:.+]] = arith.addi %[[IS]], %[[START]] : index
// CHECK:           %[[V:.+]] = tensor.extract %[[X]][%[[SRC]], %[[J]]] : tensor<4x5xf32>
// CHECK:           linalg.yield %[[V]] : f32
// CHECK:         return %[[R]]
func.func @slice_negative(%x: tensor<4x5xf32>) -> tensor<2x5xf32> {
  %0 = qopt.slice %x {starts = array<i64: 3, 0>, ends = array<i64: 0, 5>, steps = array<i64: -2, 1>} : (tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// Constant mode: negative pads crop with extract_slice first, then
// tensor.pad yields the pad value (converted to the element type).
// CHECK-LABEL: func.func @pad_constant(
// CHECK-SAME:    %[[X:.+]]: tensor<4x5xi64>)
// CHECK:         %[[C:.+]] = tensor.extract_slice %[[X]][0, 1] [4, 4] [1, 1] : tensor<4x5xi64> to tensor<4x4xi64>
// CHECK:         %[[V:.+]] = arith.constant 7 : i64
// CHECK:         %[[P:.+]] = tensor.pad %[[C]] low[1, 0] high[0, 2] {
// CHECK:           tensor.yield %[[V]] : i64
// CHECK:         } : tensor<4x4xi64> to tensor<5x6xi64>
// CHECK:         return %[[P]]
// CHECK-LABEL: func.func @pad_constant_float(
// CHECK-NOT:     tensor.extract_slice
// CHECK:         %[[V:.+]] = arith.constant -2.500000e+00 : f32
// CHECK:         tensor.pad %{{.+}} low[0, 1] high[2, 0] {
// CHECK:           tensor.yield %[[V]] : f32
func.func @pad_constant(%x: tensor<4x5xi64>) -> tensor<5x6xi64> {
  %0 = qopt.pad %x {pads = array<i64: 1, -1, 0, 2>, value = 7.0 : f64} : (tensor<4x5xi64>) -> tensor<5x6xi64>
  return %0 : tensor<5x6xi64>
}
func.func @pad_constant_float(%x: tensor<4x5xf32>) -> tensor<6x6xf32> {
  %0 = qopt.pad %x {pads = array<i64: 0, 1, 2, 0>, value = -2.5 : f64} : (tensor<4x5xf32>) -> tensor<6x6xf32>
  return %0 : tensor<6x6xf32>
}

// -----

// Reflect mode: source index s = j - padBegin reflected as
// (n-1) - |(n-1) - |s||; unpadded dims read the index as it is.
// CHECK-LABEL: func.func @pad_reflect(
// CHECK-SAME:    %[[X:.+]]: tensor<4x5xf32>)
// CHECK:         linalg.generic {{.+}} outs(%{{.+}} : tensor<4x8xf32>)
// CHECK:           %[[I:.+]] = linalg.index 0 : index
// CHECK:           %[[J:.+]] = linalg.index 1 : index
// CHECK:           %[[PB:.+]] = arith.constant 2 : index
// CHECK:           %[[S:.+]] = arith.subi %[[J]], %[[PB]] : index
// CHECK:           %[[ZERO:.+]] = arith.constant 0 : index
// CHECK:           %[[LAST:.+]] = arith.constant 4 : index
// CHECK:           %[[NS:.+]] = arith.subi %[[ZERO]], %[[S]] : index
// CHECK:           %[[AS:.+]] = arith.maxsi %[[S]], %[[NS]] : index
// CHECK:           %[[T:.+]] = arith.subi %[[LAST]], %[[AS]] : index
// CHECK:           %[[NT:.+]] = arith.subi %[[ZERO]], %[[T]] : index
// CHECK:           %[[AT:.+]] = arith.maxsi %[[T]], %[[NT]] : index
// CHECK:           %[[SRC:.+]] = arith.subi %[[LAST]], %[[AT]] : index
// CHECK:           %[[V:.+]] = tensor.extract %[[X]][%[[I]], %[[SRC]]] : tensor<4x5xf32>
// CHECK:           linalg.yield %[[V]]
func.func @pad_reflect(%x: tensor<4x5xf32>) -> tensor<4x8xf32> {
  %0 = qopt.pad %x {pads = array<i64: 0, 2, 0, 1>, mode = #qopt<pad_mode reflect>} : (tensor<4x5xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Edge mode: the source index is clamped to [0, n-1].
// CHECK-LABEL: func.func @pad_edge(
// CHECK-SAME:    %[[X:.+]]: tensor<4x5xf32>)
// CHECK:           %[[I:.+]] = linalg.index 0 : index
// CHECK:           %[[J:.+]] = linalg.index 1 : index
// CHECK:           %[[S:.+]] = arith.subi %[[J]], %{{.+}} : index
// CHECK:           %[[ZERO:.+]] = arith.constant 0 : index
// CHECK:           %[[LAST:.+]] = arith.constant 4 : index
// CHECK:           %[[LO:.+]] = arith.maxsi %[[S]], %[[ZERO]] : index
// CHECK:           %[[SRC:.+]] = arith.minsi %[[LO]], %[[LAST]] : index
// CHECK:           tensor.extract %[[X]][%[[I]], %[[SRC]]] : tensor<4x5xf32>
func.func @pad_edge(%x: tensor<4x5xf32>) -> tensor<4x8xf32> {
  %0 = qopt.pad %x {pads = array<i64: 0, 2, 0, 1>, mode = #qopt<pad_mode edge>} : (tensor<4x5xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// gather: a linalg.generic over the result reads the index through a map on
// the index dims, wraps a negative one by the axis size and extracts.
// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @gather(
// CHECK-SAME:    %[[X:.+]]: tensor<4x5x6xf32>, %[[I:.+]]: tensor<2x3xi32>)
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[IDX]], #[[ID]]]
// CHECK-SAME:      ins(%[[I]] : tensor<2x3xi32>) outs(%{{.+}} : tensor<4x2x3x6xf32>)
// CHECK:         ^bb0(%[[IV:.+]]: i32, %{{.+}}: f32):
// CHECK:           %[[K:.+]] = arith.index_cast %[[IV]] : i32 to index
// CHECK:           %[[ZERO:.+]] = arith.constant 0 : index
// CHECK:           %[[NEG:.+]] = arith.cmpi slt, %[[K]], %[[ZERO]] : index
// CHECK:           %[[N:.+]] = arith.constant 5 : index
// CHECK:           %[[W:.+]] = arith.addi %[[K]], %[[N]] : index
// CHECK:           %[[SEL:.+]] = arith.select %[[NEG]], %[[W]], %[[K]] : index
// CHECK:           %[[D0:.+]] = linalg.index 0 : index
// CHECK:           %[[D3:.+]] = linalg.index 3 : index
// CHECK:           %[[V:.+]] = tensor.extract %[[X]][%[[D0]], %[[SEL]], %[[D3]]] : tensor<4x5x6xf32>
// CHECK:           linalg.yield %[[V]] : f32
// CHECK:         return %[[R]]
func.func @gather(%x: tensor<4x5x6xf32>, %i: tensor<2x3xi32>) -> tensor<4x2x3x6xf32> {
  %0 = qopt.gather %x, %i {axis = 1 : i64} : (tensor<4x5x6xf32>, tensor<2x3xi32>) -> tensor<4x2x3x6xf32>
  return %0 : tensor<4x2x3x6xf32>
}

// -----

// A scalar index drops the axis; the index is read through the empty map.
// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @gather_scalar(
// CHECK:         linalg.generic {indexing_maps = [#[[IDX]], #{{.+}}]
// CHECK-SAME:      ins(%{{.+}} : tensor<i64>) outs(%{{.+}} : tensor<4x5xf32>)
// CHECK:           tensor.extract %{{.+}}[%{{.+}}, %{{.+}}, %{{.+}}] : tensor<4x5x6xf32>
func.func @gather_scalar(%x: tensor<4x5x6xf32>, %i: tensor<i64>) -> tensor<4x5xf32> {
  %0 = qopt.gather %x, %i {axis = 2 : i64} : (tensor<4x5x6xf32>, tensor<i64>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// cast: float <-> float by extf/truncf, float -> int truncates (fptosi),
// int -> float rounds (sitofp), int <-> int by extsi/trunci, bool (i1) is
// "!= 0" one way and unsigned the other.
// CHECK-LABEL: func.func @casts(
// CHECK:         arith.extf %{{.+}} : f16 to f32
// CHECK:         arith.truncf %{{.+}} : f32 to f16
// CHECK:         arith.fptosi %{{.+}} : f32 to i32
// CHECK:         arith.sitofp %{{.+}} : i32 to f32
// CHECK:         arith.extsi %{{.+}} : i32 to i64
// CHECK:         arith.trunci %{{.+}} : i64 to i8
// CHECK:         %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         arith.cmpf une, %{{.+}}, %[[Z]] : f32
// CHECK:         arith.uitofp %{{.+}} : i1 to f32
// CHECK:         %[[ZI:.+]] = arith.constant 0 : i8
// CHECK:         arith.cmpi ne, %{{.+}}, %[[ZI]] : i8
// CHECK:         arith.extui %{{.+}} : i1 to i32
// CHECK:         %[[W:.+]] = arith.extf %{{.+}} : bf16 to f32
// CHECK:         arith.truncf %[[W]] : f32 to f16
func.func @casts(%h: tensor<4xf16>, %f: tensor<4xf32>, %bf: tensor<4xbf16>) -> (tensor<4xf32>, tensor<4xf16>, tensor<4xi8>, tensor<4xf32>, tensor<4xi1>, tensor<4xi32>, tensor<4xf16>) {
  %0 = qopt.cast %h : (tensor<4xf16>) -> tensor<4xf32>
  %1 = qopt.cast %0 : (tensor<4xf32>) -> tensor<4xf16>
  %2 = qopt.cast %f : (tensor<4xf32>) -> tensor<4xi32>
  %3 = qopt.cast %2 : (tensor<4xi32>) -> tensor<4xf32>
  %4 = qopt.cast %2 : (tensor<4xi32>) -> tensor<4xi64>
  %5 = qopt.cast %4 : (tensor<4xi64>) -> tensor<4xi8>
  %6 = qopt.cast %f : (tensor<4xf32>) -> tensor<4xi1>
  %7 = qopt.cast %6 : (tensor<4xi1>) -> tensor<4xf32>
  %8 = qopt.cast %5 : (tensor<4xi8>) -> tensor<4xi1>
  %9 = qopt.cast %8 : (tensor<4xi1>) -> tensor<4xi32>
  %10 = qopt.cast %bf : (tensor<4xbf16>) -> tensor<4xf16>
  return %3, %1, %5, %7, %6, %9, %10 : tensor<4xf32>, tensor<4xf16>, tensor<4xi8>, tensor<4xf32>, tensor<4xi1>, tensor<4xi32>, tensor<4xf16>
}

// -----

// constant: arith.constant with the same attribute; dense_resource blobs
// stay blobs.
// CHECK-LABEL: func.func @constants(
// CHECK:         %[[A:.+]] = arith.constant dense_resource<weights> : tensor<4xf32>
// CHECK:         %[[B:.+]] = arith.constant dense<[1, -2]> : tensor<2xi64>
// CHECK:         return %[[A]], %[[B]]
// CHECK:       dialect_resources
// CHECK:         weights: "0x04000000
func.func @constants() -> (tensor<4xf32>, tensor<2xi64>) {
  %0 = qopt.constant dense_resource<weights> : tensor<4xf32>
  %1 = qopt.constant dense<[1, -2]> : tensor<2xi64>
  return %0, %1 : tensor<4xf32>, tensor<2xi64>
}
{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}
