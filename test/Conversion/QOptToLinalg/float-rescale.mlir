// qopt.float_rescale -> one elementwise linalg.generic of f32 operations in
// ONNX Runtime's order (docs/Numerics.md): x - input_zp exact in i64,
// converted to f32, times the channel's multiplier, divided by the divisor,
// rounded half to even, + output_zp, clamped in f32 and then exactly in
// i64. The f32 multiply keeps it apart from the dyadic rescale.
// RUN: qopt-opt %s --convert-qopt-to-linalg -split-input-file | FileCheck %s

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @per_channel(
// CHECK:         %[[M:.+]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 2.000000e+00]> : tensor<3xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[ID]]]
// CHECK-SAME:      ins(%{{.+}}, %[[M]] : tensor<2x3xi32>, tensor<3xf32>)
// CHECK:         ^bb0(%[[X:.+]]: i32, %[[MV:.+]]: f32, %{{.+}}: i8):
// CHECK:           %[[W:.+]] = arith.extsi %[[X]] : i32 to i64
// CHECK:           %[[ZI:.+]] = arith.constant 3 : i64
// CHECK:           %[[C:.+]] = arith.subi %[[W]], %[[ZI]] : i64
// CHECK:           %[[F:.+]] = arith.sitofp %[[C]] : i64 to f32
// CHECK:           %[[P:.+]] = arith.mulf %[[F]], %[[MV]] : f32
// CHECK:           %[[D:.+]] = arith.constant 7.500000e-01 : f32
// CHECK:           %[[Q:.+]] = arith.divf %[[P]], %[[D]] : f32
// CHECK:           %[[R:.+]] = math.roundeven %[[Q]] : f32
// CHECK:           %[[ZO:.+]] = arith.constant -1.000000e+00 : f32
// CHECK:           %[[Y:.+]] = arith.addf %[[R]], %[[ZO]] : f32
// CHECK:           %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[A:.+]] = arith.maxnumf %[[Y]], %[[LO]] : f32
// CHECK:           %[[HI:.+]] = arith.constant 1.000000e+02 : f32
// CHECK:           %[[B:.+]] = arith.minnumf %[[A]], %[[HI]] : f32
// CHECK:           %[[I:.+]] = arith.fptosi %[[B]] : f32 to i64
// CHECK:           arith.maxsi %[[I]], %{{.+}} : i64
// CHECK:           arith.minsi
// CHECK:           %[[T:.+]] = arith.trunci %{{.+}} : i64 to i8
// CHECK:           linalg.yield %[[T]] : i8
func.func @per_channel(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  %0 = qopt.float_rescale %x {multiplier = array<f32: 0.5, 0.25, 2.0>, divisor = 0.75 : f32, axis = 1 : i64, input_zp = 3 : i64, output_zp = -1 : i64, qmin = 0 : i64, qmax = 100 : i64} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// Per tensor, no divisor (QLinearConv/QLinearMatMul): the multiplier is a
// scalar constant, no division; the default bounds are the i8 range.
// CHECK-LABEL: func.func @per_tensor(
// CHECK:         linalg.generic
// CHECK:           %[[M:.+]] = arith.constant 0.166666672 : f32
// CHECK:           %[[F:.+]] = arith.sitofp %{{.+}} : i64 to f32
// CHECK-NEXT:      %[[P:.+]] = arith.mulf %[[F]], %[[M]] : f32
// CHECK-NOT:       arith.divf
// CHECK:           math.roundeven %[[P]] : f32
// CHECK:           arith.constant -1.280000e+02 : f32
// CHECK:           arith.constant 1.270000e+02 : f32
func.func @per_tensor(%x: tensor<4xi32>) -> tensor<4xi8> {
  %0 = qopt.float_rescale %x {multiplier = array<f32: 0.166666672>} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}
