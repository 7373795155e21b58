// convert-qopt-to-linalg: qopt.resize is one linalg.generic over the result
// that computes source coordinates from linalg.index (in f32, as ONNX
// Runtime does) and extracts from the input.
// RUN: qopt-opt %s --convert-qopt-to-linalg -split-input-file | FileCheck %s

// nearest, half_pixel, round_prefer_floor: x = (i + 0.5) / scale - 0.5,
// ceil(x - 0.5), clamped to [0, in-1]; dims that keep their size read the
// index as it is.
// CHECK-LABEL: func.func @nearest(
// CHECK-SAME:    %[[X:.+]]: tensor<1x1x4x6xf32>)
// CHECK:         linalg.generic {{.+}} outs(%{{.+}} : tensor<1x1x2x3xf32>)
// CHECK:           %[[N:.+]] = linalg.index 0 : index
// CHECK:           %[[C:.+]] = linalg.index 1 : index
// CHECK:           %[[H:.+]] = linalg.index 2 : index
// CHECK:           %[[W:.+]] = linalg.index 3 : index
// CHECK:           %[[HI:.+]] = arith.index_cast %[[H]] : index to i64
// CHECK:           %[[HF:.+]] = arith.sitofp %[[HI]] : i64 to f32
// CHECK:           %[[HALF:.+]] = arith.constant 5.000000e-01 : f32
// CHECK:           %[[SH:.+]] = arith.addf %[[HF]], %[[HALF]] : f32
// CHECK:           %[[SCALE:.+]] = arith.constant 5.000000e-01 : f32
// CHECK:           %[[DV:.+]] = arith.divf %[[SH]], %[[SCALE]] : f32
// CHECK:           %[[XO:.+]] = arith.subf %[[DV]], %{{.+}} : f32
// CHECK:           %[[XM:.+]] = arith.subf %[[XO]], %{{.+}} : f32
// CHECK:           %[[R:.+]] = math.ceil %[[XM]] : f32
// CHECK:           %[[RI:.+]] = arith.fptosi %[[R]] : f32 to i64
// CHECK:           %[[RX:.+]] = arith.index_cast %[[RI]] : i64 to index
// CHECK:           %[[LO:.+]] = arith.maxsi %[[RX]], %{{.+}} : index
// CHECK:           %[[HIDX:.+]] = arith.minsi %[[LO]], %{{.+}} : index
// CHECK:           %[[WIDX:.+]] = arith.minsi
// CHECK:           %[[V:.+]] = tensor.extract %[[X]][%[[N]], %[[C]], %[[HIDX]], %[[WIDX]]] : tensor<1x1x4x6xf32>
// CHECK:           linalg.yield %[[V]] : f32
func.func @nearest(%x: tensor<1x1x4x6xf32>) -> tensor<1x1x2x3xf32> {
  %0 = qopt.resize %x {mode = #qopt<resize_mode nearest>} : (tensor<1x1x4x6xf32>) -> tensor<1x1x2x3xf32>
  return %0 : tensor<1x1x2x3xf32>
}

// -----

// The other nearest modes: round_prefer_ceil is floor(x + 0.5); asymmetric
// is i / scale.
// CHECK-LABEL: func.func @nearest_modes(
// CHECK:         %[[S:.+]] = arith.constant 2.000000e+00 : f32
// CHECK:         %[[X:.+]] = arith.divf %{{.+}}, %[[S]] : f32
// CHECK:         %[[A:.+]] = arith.addf %[[X]], %{{.+}} : f32
// CHECK:         math.floor %[[A]] : f32
// CHECK-LABEL: func.func @nearest_floor(
// CHECK:         math.floor
// CHECK-LABEL: func.func @nearest_ceil(
// CHECK:         math.ceil
func.func @nearest_modes(%x: tensor<4xf32>) -> tensor<8xf32> {
  %0 = qopt.resize %x {mode = #qopt<resize_mode nearest>, coordinate_transform = #qopt<coordinate_transform asymmetric>, nearest_mode = #qopt<nearest_mode round_prefer_ceil>} : (tensor<4xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
func.func @nearest_floor(%x: tensor<4xf32>) -> tensor<8xf32> {
  %0 = qopt.resize %x {nearest_mode = #qopt<nearest_mode floor>} : (tensor<4xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
func.func @nearest_ceil(%x: tensor<4xf32>) -> tensor<8xf32> {
  %0 = qopt.resize %x {nearest_mode = #qopt<nearest_mode ceil>} : (tensor<4xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// linear, align_corners along W only: x = i·(in-1)/(out-1) clamped to
// [0, in-1], neighbours floor(x) and min(floor(x)+1, in-1) blended with
// (1 - t, t).
// CHECK-LABEL: func.func @linear(
// CHECK-SAME:    %[[X:.+]]: tensor<1x1x4x6xf32>)
// CHECK:           %[[N:.+]] = linalg.index 0 : index
// CHECK:           %[[C:.+]] = linalg.index 1 : index
// CHECK:           %[[H:.+]] = linalg.index 2 : index
// CHECK:           %[[W:.+]] = linalg.index 3 : index
// CHECK:           %[[WF:.+]] = arith.sitofp
// CHECK:           %[[INM1:.+]] = arith.constant 5.000000e+00 : f32
// CHECK:           %[[M:.+]] = arith.mulf %[[WF]], %[[INM1]] : f32
// CHECK:           %[[OUTM1:.+]] = arith.constant 1.100000e+01 : f32
// CHECK:           %[[XO:.+]] = arith.divf %[[M]], %[[OUTM1]] : f32
// CHECK:           %[[XL:.+]] = arith.maximumf %[[XO]], %{{.+}} : f32
// CHECK:           %[[XC:.+]] = arith.minimumf %[[XL]], %{{.+}} : f32
// CHECK:           %[[FL:.+]] = math.floor %[[XC]] : f32
// CHECK:           %[[T:.+]] = arith.subf %[[XC]], %[[FL]] : f32
// CHECK:           %[[LOI:.+]] = arith.fptosi %[[FL]] : f32 to i64
// CHECK:           %[[LO:.+]] = arith.index_cast %[[LOI]] : i64 to index
// CHECK:           %[[LO1:.+]] = arith.addi %[[LO]], %{{.+}} : index
// CHECK:           %[[HI:.+]] = arith.minsi %[[LO1]], %{{.+}} : index
// CHECK:           %[[OMT:.+]] = arith.subf %{{.+}}, %[[T]] : f32
// CHECK:           %[[A:.+]] = tensor.extract %[[X]][%[[N]], %[[C]], %[[H]], %[[LO]]] : tensor<1x1x4x6xf32>
// CHECK:           %[[WA:.+]] = arith.mulf %[[OMT]], %[[A]] : f32
// CHECK:           %[[B:.+]] = tensor.extract %[[X]][%[[N]], %[[C]], %[[H]], %[[HI]]] : tensor<1x1x4x6xf32>
// CHECK:           %[[WB:.+]] = arith.mulf %[[T]], %[[B]] : f32
// CHECK:           %[[S:.+]] = arith.addf %[[WA]], %[[WB]] : f32
// CHECK:           linalg.yield %[[S]] : f32
func.func @linear(%x: tensor<1x1x4x6xf32>) -> tensor<1x1x4x12xf32> {
  %0 = qopt.resize %x {mode = #qopt<resize_mode linear>, coordinate_transform = #qopt<coordinate_transform align_corners>} : (tensor<1x1x4x6xf32>) -> tensor<1x1x4x12xf32>
  return %0 : tensor<1x1x4x12xf32>
}

// -----

// Bilinear: four neighbours, weights multiplied per corner.
// CHECK-LABEL: func.func @bilinear(
// CHECK-COUNT-4:   tensor.extract
// CHECK-NOT:       tensor.extract
// CHECK:           linalg.yield
func.func @bilinear(%x: tensor<1x1x4x6xf32>) -> tensor<1x1x8x9xf32> {
  %0 = qopt.resize %x {mode = #qopt<resize_mode linear>} : (tensor<1x1x4x6xf32>) -> tensor<1x1x8x9xf32>
  return %0 : tensor<1x1x8x9xf32>
}
