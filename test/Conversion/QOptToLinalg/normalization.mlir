// convert-qopt-to-linalg: softmax, layer_norm, batch_norm.
// RUN: qopt-opt %s --convert-qopt-to-linalg -split-input-file | FileCheck %s

// softmax: max over the axis, exp(x - max), sum over the axis, divide; the
// reduced tensors are read back through a map that drops the axis.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @softmax(
// CHECK-SAME:    %[[X:.+]]: tensor<2x5x7xf32>)
// CHECK:         %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[F:.+]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.+}} : tensor<2x7xf32>)
// CHECK:         %[[MAX:.+]] = linalg.reduce ins(%[[X]] : tensor<2x5x7xf32>) outs(%[[F]] : tensor<2x7xf32>) dimensions = [1]
// CHECK:           arith.maximumf
// CHECK:         %[[EXP:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]]
// CHECK-SAME:      ins(%[[X]], %[[MAX]] : tensor<2x5x7xf32>, tensor<2x7xf32>)
// CHECK:         ^bb0(%[[XV:.+]]: f32, %[[MV:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[D:.+]] = arith.subf %[[XV]], %[[MV]] : f32
// CHECK:           %[[E:.+]] = math.exp %[[D]] : f32
// CHECK:           linalg.yield %[[E]]
// CHECK:         %[[SUM:.+]] = linalg.reduce ins(%[[EXP]] : tensor<2x5x7xf32>) outs(%{{.+}} : tensor<2x7xf32>) dimensions = [1]
// CHECK:           arith.addf
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]]
// CHECK-SAME:      ins(%[[EXP]], %[[SUM]] : tensor<2x5x7xf32>, tensor<2x7xf32>)
// CHECK:           arith.divf
// CHECK:         return %[[R]]
func.func @softmax(%x: tensor<2x5x7xf32>) -> tensor<2x5x7xf32> {
  %0 = qopt.softmax %x {axis = 1 : i64} : (tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  return %0 : tensor<2x5x7xf32>
}

// -----

// layer_norm over dims 1..2: mean, centred values, biased variance (sum of
// squares divided by n), then d / sqrt(var + eps) · scale + bias, with scale
// and bias read over the normalised dims.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[INNER:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME:    %[[X:.+]]: tensor<2x3x8xf32>, %[[G:.+]]: tensor<3x8xf32>, %[[B:.+]]: tensor<3x8xf32>)
// CHECK:         %[[S:.+]] = linalg.reduce ins(%[[X]] : tensor<2x3x8xf32>) outs(%{{.+}} : tensor<2xf32>) dimensions = [1, 2]
// CHECK:         %[[MEAN:.+]] = linalg.generic {{.+}} ins(%[[S]] : tensor<2xf32>)
// CHECK:           arith.constant 2.400000e+01 : f32
// CHECK:         %[[D:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]]
// CHECK-SAME:      ins(%[[X]], %[[MEAN]] : tensor<2x3x8xf32>, tensor<2xf32>)
// CHECK:           arith.subf
// CHECK:         %[[SQ:.+]] = linalg.reduce ins(%[[D]] : tensor<2x3x8xf32>) outs(%{{.+}} : tensor<2xf32>) dimensions = [1, 2]
// CHECK:           (%[[IN:.+]]: f32, %[[ACC:.+]]: f32) {
// CHECK:             %[[SQV:.+]] = arith.mulf %[[IN]], %[[IN]] : f32
// CHECK:             arith.addf %[[SQV]], %[[ACC]] : f32
// CHECK:         %[[VAR:.+]] = linalg.generic {{.+}} ins(%[[SQ]] : tensor<2xf32>)
// CHECK:           arith.constant 2.400000e+01 : f32
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[INNER]], #[[INNER]], #[[ID]]]
// CHECK-SAME:      ins(%[[D]], %[[VAR]], %[[G]], %[[B]] : tensor<2x3x8xf32>, tensor<2xf32>, tensor<3x8xf32>, tensor<3x8xf32>)
// CHECK:         ^bb0(%[[DV:.+]]: f32, %[[VV:.+]]: f32, %[[GV:.+]]: f32, %[[BV:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[EPS:.+]] = arith.constant 9.99999974E-6 : f32
// CHECK:           %[[VE:.+]] = arith.addf %[[VV]], %[[EPS]] : f32
// CHECK:           %[[SD:.+]] = math.sqrt %[[VE]] : f32
// CHECK:           %[[N:.+]] = arith.divf %[[DV]], %[[SD]] : f32
// CHECK:           %[[SC:.+]] = arith.mulf %[[N]], %[[GV]] : f32
// CHECK:           %[[Y:.+]] = arith.addf %[[SC]], %[[BV]] : f32
// CHECK:           linalg.yield %[[Y]]
// CHECK:         return %[[R]]
func.func @layer_norm(%x: tensor<2x3x8xf32>, %g: tensor<3x8xf32>, %b: tensor<3x8xf32>) -> tensor<2x3x8xf32> {
  %0 = qopt.layer_norm %x, %g, %b {axis = 1 : i64} : (tensor<2x3x8xf32>, tensor<3x8xf32>, tensor<3x8xf32>) -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// Without bias: no addition after the scale.
// CHECK-LABEL: func.func @layer_norm_no_bias(
// CHECK:         ^bb0(%{{.+}}: f32, %{{.+}}: f32, %{{.+}}: f32, %{{.+}}: f32):
// CHECK:           arith.constant 1.000000e-03 : f32
// CHECK:           math.sqrt
// CHECK:           arith.divf
// CHECK:           %[[Y:.+]] = arith.mulf
// CHECK-NEXT:      linalg.yield %[[Y]]
func.func @layer_norm_no_bias(%x: tensor<4x8xf32>, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = qopt.layer_norm %x, %g {axis = 1 : i64, epsilon = 1.0e-3 : f32} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// batch_norm: one linalg.generic reading the parameters along dim 1.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm(
// CHECK-SAME:    %[[X:.+]]: tensor<1x3x4x4xf32>, %[[S:.+]]: tensor<3xf32>, %[[B:.+]]: tensor<3xf32>, %[[M:.+]]: tensor<3xf32>, %[[V:.+]]: tensor<3xf32>)
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[ID]]]
// CHECK-SAME:      ins(%[[X]], %[[M]], %[[V]], %[[S]], %[[B]] :
// CHECK:         ^bb0(%[[XV:.+]]: f32, %[[MV:.+]]: f32, %[[VV:.+]]: f32, %[[SV:.+]]: f32, %[[BV:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[D:.+]] = arith.subf %[[XV]], %[[MV]] : f32
// CHECK:           %[[EPS:.+]] = arith.constant 1.000000e-03 : f32
// CHECK:           %[[VE:.+]] = arith.addf %[[VV]], %[[EPS]] : f32
// CHECK:           %[[SD:.+]] = math.sqrt %[[VE]] : f32
// CHECK:           %[[N:.+]] = arith.divf %[[D]], %[[SD]] : f32
// CHECK:           %[[SC:.+]] = arith.mulf %[[N]], %[[SV]] : f32
// CHECK:           %[[Y:.+]] = arith.addf %[[SC]], %[[BV]] : f32
// CHECK:           linalg.yield %[[Y]]
// CHECK:         return %[[R]]
func.func @batch_norm(%x: tensor<1x3x4x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
  %0 = qopt.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f32} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}
