// convert-qopt-to-linalg: quantize, dequantize and requantize become one
// elementwise linalg.generic each on the storage integers (docs/Numerics.md);
// quant.scast joins the quantized and storage views.
// RUN: qopt-opt %s --convert-qopt-to-linalg -split-input-file | FileCheck %s
// RUN: qopt-opt %s --convert-qopt-to-linalg --canonicalize -split-input-file | FileCheck %s --check-prefix=CANON

// quantize: divide, round half to even, add the zero point, saturate (NaN
// to the minimum through maxnumf) in f32, then convert.
// CHECK-LABEL: func.func @quantize(
// CHECK-SAME:    %[[X:.+]]: tensor<2x3xf32>)
// CHECK:         %[[G:.+]] = linalg.generic
// CHECK-SAME:      ins(%[[X]] : tensor<2x3xf32>) outs(%{{.+}} : tensor<2x3xi8>)
// CHECK:         ^bb0(%[[IN:.+]]: f32, %{{.+}}: i8):
// CHECK-DAG:       %[[S:.+]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG:       %[[ZP:.+]] = arith.constant -3.000000e+00 : f32
// CHECK:           %[[D:.+]] = arith.divf %[[IN]], %[[S]] : f32
// CHECK:           %[[R:.+]] = math.roundeven %[[D]] : f32
// CHECK:           %[[A:.+]] = arith.addf %[[R]], %[[ZP]] : f32
// CHECK:           %[[LO:.+]] = arith.constant -1.280000e+02 : f32
// CHECK:           %[[M:.+]] = arith.maxnumf %[[A]], %[[LO]] : f32
// CHECK:           %[[HI:.+]] = arith.constant 1.270000e+02 : f32
// CHECK:           %[[N:.+]] = arith.minnumf %[[M]], %[[HI]] : f32
// CHECK:           %[[Q:.+]] = arith.fptosi %[[N]] : f32 to i8
// CHECK:           linalg.yield %[[Q]] : i8
// CHECK:         %[[C:.+]] = quant.scast %[[G]] : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK:         return %[[C]]
func.func @quantize(%x: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>> {
  %0 = qopt.quantize %x : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>
  return %0 : tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>
}

// -----

// Per axis: the scales and zero points are vectors read at the channel;
// unsigned storage saturates to [0, 255] and converts with fptoui into i8.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @quantize_per_axis_u8(
// CHECK-DAG:     %[[SC:.+]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 2.000000e+00]> : tensor<3xf32>
// CHECK-DAG:     %[[ZP:.+]] = arith.constant dense<[1.280000e+02, 0.000000e+00, 2.550000e+02]> : tensor<3xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[ID]]]
// CHECK-SAME:      ins(%{{.+}}, %[[SC]], %[[ZP]] : tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK:         ^bb0(%[[IN:.+]]: f32, %[[S:.+]]: f32, %[[Z:.+]]: f32, %{{.+}}: i8):
// CHECK:           arith.divf %[[IN]], %[[S]] : f32
// CHECK:           math.roundeven
// CHECK:           arith.addf %{{.+}}, %[[Z]] : f32
// CHECK:           arith.constant 0.000000e+00 : f32
// CHECK:           arith.maxnumf
// CHECK:           arith.constant 2.550000e+02 : f32
// CHECK:           arith.minnumf
// CHECK:           arith.fptoui %{{.+}} : f32 to i8
// The two casts cancel after canonicalization.
// CANON-LABEL: func.func @quantize_per_axis_u8(
// CANON-NOT:     quant.scast
// CANON:         return
func.func @quantize_per_axis_u8(%x: tensor<2x3xf32>) -> tensor<2x3xi8> {
  %0 = qopt.quantize %x : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<u8:f32:1, {0.5:128, 0.25:0, 2.0:255}>>
  %1 = quant.scast %0 : tensor<2x3x!quant.uniform<u8:f32:1, {0.5:128, 0.25:0, 2.0:255}>> to tensor<2x3xi8>
  return %1 : tensor<2x3xi8>
}

// -----

// dequantize: (q - zp) in i32, to f32, times the scale.
// CHECK-LABEL: func.func @dequantize(
// CHECK:         %[[ST:.+]] = quant.scast %{{.+}} : tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>> to tensor<2x3xi8>
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[ST]] : tensor<2x3xi8>) outs(%{{.+}} : tensor<2x3xf32>)
// CHECK:         ^bb0(%[[IN:.+]]: i8, %{{.+}}: f32):
// CHECK-DAG:       %[[S:.+]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG:       %[[ZP:.+]] = arith.constant -3 : i32
// CHECK:           %[[W:.+]] = arith.extsi %[[IN]] : i8 to i32
// CHECK:           %[[C:.+]] = arith.subi %[[W]], %[[ZP]] : i32
// CHECK:           %[[F:.+]] = arith.sitofp %[[C]] : i32 to f32
// CHECK:           %[[R:.+]] = arith.mulf %[[F]], %[[S]] : f32
// CHECK:           linalg.yield %[[R]] : f32
// CANON-LABEL: func.func @dequantize(
// CANON-SAME:    %[[ARG:.+]]: tensor<2x3xi8>)
// CANON-NOT:     quant.scast
// CANON:         linalg.generic {{.*}} ins(%[[ARG]] : tensor<2x3xi8>)
func.func @dequantize(%q: tensor<2x3xi8>) -> tensor<2x3xf32> {
  %0 = quant.scast %q : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>
  %1 = qopt.dequantize %0 : (tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// requantize: the dyadic form of 0.5/1 = 2^30/2^31 applied in i64 with
// half-to-even rounding, the zero points, and the i8 range.
// CHECK-LABEL: func.func @requantize(
// CHECK:         %[[ST:.+]] = quant.scast %{{.+}} : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:1>> to tensor<4xi8>
// CHECK:         %[[G:.+]] = linalg.generic
// CHECK-SAME:      ins(%[[ST]] : tensor<4xi8>) outs(%{{.+}} : tensor<4xi8>)
// CHECK:           %[[W:.+]] = arith.extsi %{{.+}} : i8 to i64
// CHECK:           %[[ZI:.+]] = arith.constant 1 : i64
// CHECK:           %[[C:.+]] = arith.subi %[[W]], %[[ZI]] : i64
// CHECK:           %[[M:.+]] = arith.constant 1073741824 : i64
// CHECK:           %[[V:.+]] = arith.muli %[[C]], %[[M]] : i64
// CHECK:           %[[S:.+]] = arith.constant 31 : i64
// CHECK:           %[[FL:.+]] = arith.shrsi %[[V]], %[[S]] : i64
// CHECK:           arith.ori
// CHECK:           %[[UP:.+]] = arith.extui %{{.+}} : i1 to i64
// CHECK:           %[[RD:.+]] = arith.addi %[[FL]], %[[UP]] : i64
// CHECK:           %[[ZO:.+]] = arith.constant -2 : i64
// CHECK:           %[[Y:.+]] = arith.addi %[[RD]], %[[ZO]] : i64
// CHECK:           arith.maxsi %[[Y]], %{{.+}} : i64
// CHECK:           arith.minsi
// CHECK:           arith.trunci %{{.+}} : i64 to i8
// CHECK:         quant.scast %[[G]] : tensor<4xi8> to tensor<4x!quant.uniform<i8:f32, 1.000000e+00:-2>>
func.func @requantize(%q: tensor<4x!quant.uniform<i8:f32, 0.5:1>>) -> tensor<4x!quant.uniform<i8:f32, 1.0:-2>> {
  %0 = qopt.requantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5:1>>) -> tensor<4x!quant.uniform<i8:f32, 1.0:-2>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 1.0:-2>>
}

// -----

// A per-axis input into a per-tensor result: one multiplier/shift per
// channel of the input's axis (0.5 → shift 31, 0.25 → shift 32).
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @requantize_per_axis(
// CHECK-DAG:     %[[M:.+]] = arith.constant dense<1073741824> : tensor<2xi64>
// CHECK-DAG:     %[[S:.+]] = arith.constant dense<[31, 32]> : tensor<2xi64>
// CHECK:         linalg.generic {indexing_maps = [#{{.+}}, #[[CH]], #[[CH]], #[[CH]], #[[CH]], #{{.+}}]
// CHECK-SAME:      ins(%{{.+}}, %{{.+}}, %[[M]], %[[S]], %{{.+}} : tensor<2x2xi8>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>)
func.func @requantize_per_axis(%q: tensor<2x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<2x2x!quant.uniform<i8:f32, 1.0>> {
  %0 = qopt.requantize %q : (tensor<2x2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<2x2x!quant.uniform<i8:f32, 1.0>>
  return %0 : tensor<2x2x!quant.uniform<i8:f32, 1.0>>
}
