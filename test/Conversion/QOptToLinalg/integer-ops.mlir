// convert-qopt-to-linalg: the integer-only ops become linalg ops computing
// docs/Numerics.md in i64 (rescale, int_add, pooling) or i32 with
// wrap-around (int_matmul, int_conv2d), and I-ViT's ops as integer
// reductions plus elementwise generics.
// RUN: qopt-opt %s --convert-qopt-to-linalg -split-input-file | FileCheck %s

// Per-channel rescale: multipliers and shifts are i64 vectors read at the
// channel; (x - zp)·m, the rounding shift, + output_zp, [qmin, qmax].
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @rescale_per_channel(
// CHECK-DAG:     %[[M:.+]] = arith.constant dense<[1073741824, 1518500250, 2147483647]> : tensor<3xi64>
// CHECK-DAG:     %[[S:.+]] = arith.constant dense<[31, 40, 0]> : tensor<3xi64>
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[ID]]]
// CHECK-SAME:      ins(%{{.+}}, %[[M]], %[[S]] : tensor<2x3xi32>, tensor<3xi64>, tensor<3xi64>)
// CHECK:         ^bb0(%[[X:.+]]: i32, %[[MV:.+]]: i64, %[[SV:.+]]: i64, %{{.+}}: i8):
// CHECK:           %[[W:.+]] = arith.extsi %[[X]] : i32 to i64
// CHECK:           %[[ZI:.+]] = arith.constant 3 : i64
// CHECK:           %[[C:.+]] = arith.subi %[[W]], %[[ZI]] : i64
// CHECK:           %[[V:.+]] = arith.muli %[[C]], %[[MV]] : i64
// The floor rounding is the arithmetic shift alone.
// CHECK:           %[[F:.+]] = arith.shrsi %[[V]], %[[SV]] : i64
// CHECK:           %[[ZO:.+]] = arith.constant -1 : i64
// CHECK:           %[[Y:.+]] = arith.addi %[[F]], %[[ZO]] : i64
// CHECK:           %[[LO:.+]] = arith.constant 0 : i64
// CHECK:           %[[A:.+]] = arith.maxsi %[[Y]], %[[LO]] : i64
// CHECK:           %[[HI:.+]] = arith.constant 100 : i64
// CHECK:           %[[B:.+]] = arith.minsi %[[A]], %[[HI]] : i64
// CHECK:           %[[T:.+]] = arith.trunci %[[B]] : i64 to i8
// CHECK:           linalg.yield %[[T]] : i8
func.func @rescale_per_channel(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  %0 = qopt.rescale %x {multiplier = array<i32: 1073741824, 1518500250, 2147483647>, shift = array<i32: 31, 40, 0>, axis = 1 : i64, input_zp = 3 : i64, output_zp = -1 : i64, rounding = #qopt<rounding floor>, qmin = 0 : i64, qmax = 100 : i64} : (tensor<2x3xi32>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// half_up: the floor plus the bit worth one half (none when the shift is 0).
// CHECK-LABEL: func.func @rescale_half_up(
// CHECK:           %[[V:.+]] = arith.muli
// CHECK:           %[[F:.+]] = arith.shrsi %[[V]], %[[S:.+]] : i64
// CHECK:           %[[SM1:.+]] = arith.subi %[[S]], %{{.+}} : i64
// CHECK:           %[[SH:.+]] = arith.maxsi %[[SM1]], %{{.+}} : i64
// CHECK:           %[[HB:.+]] = arith.shrsi %[[V]], %[[SH]] : i64
// CHECK:           %[[BIT:.+]] = arith.andi %[[HB]], %{{.+}} : i64
// CHECK:           %[[Z:.+]] = arith.cmpi eq, %[[S]], %{{.+}} : i64
// CHECK:           %[[HALF:.+]] = arith.select %[[Z]], %{{.+}}, %[[BIT]] : i64
// CHECK:           arith.addi %[[F]], %[[HALF]] : i64
// CHECK-NOT:       arith.ori
// CHECK:           linalg.yield
func.func @rescale_half_up(%x: tensor<4xi32>) -> tensor<4xi16> {
  %0 = qopt.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 33>} : (tensor<4xi32>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

// int_add: both inputs rescaled (numpy broadcasting), added, + output_zp,
// saturated to i8.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[BC:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @int_add(
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[BC]], #[[ID]]]
// CHECK:         ^bb0(%[[A:.+]]: i8, %[[B:.+]]: i8, %{{.+}}: i8):
// CHECK:           arith.extsi %[[A]] : i8 to i64
// CHECK:           arith.constant 1073741824 : i64
// CHECK:           %[[L:.+]] = arith.addi %{{.+}}, %{{.+}} : i64
// CHECK:           arith.extsi %[[B]] : i8 to i64
// CHECK:           arith.constant 1518500250 : i64
// CHECK:           %[[R:.+]] = arith.addi %{{.+}}, %{{.+}} : i64
// CHECK:           %[[SUM:.+]] = arith.addi %[[L]], %[[R]] : i64
// CHECK:           %[[ZO:.+]] = arith.constant 7 : i64
// CHECK:           arith.addi %[[SUM]], %[[ZO]] : i64
// CHECK:           arith.constant -128 : i64
// CHECK:           arith.maxsi
// CHECK:           arith.constant 127 : i64
// CHECK:           arith.minsi
// CHECK:           arith.trunci %{{.+}} : i64 to i8
func.func @int_add(%a: tensor<2x3xi8>, %b: tensor<3xi8>) -> tensor<2x3xi8> {
  %0 = qopt.int_add %a, %b {lhs_multiplier = 1073741824 : i32, lhs_shift = 31 : i32, rhs_multiplier = 1518500250 : i32, rhs_shift = 30 : i32, lhs_zp = 3 : i64, rhs_zp = -2 : i64, output_zp = 7 : i64} : (tensor<2x3xi8>, tensor<3xi8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// int_matmul of other than 8-bit operands (here a 16-bit lhs): one generic
// with the reduction dim last; the rank-2 rhs is broadcast over the batch;
// zero points subtracted in i32, i32 accumulation.
// CHECK-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @int_matmul(
// CHECK-SAME:    %[[A:.+]]: tensor<2x4x8xi16>, %[[B:.+]]: tensor<8x5xi8>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0 : i32
// CHECK:         %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : i32)
// CHECK:         linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<2x4x8xi16>, tensor<8x5xi8>) outs(%[[INIT]] : tensor<2x4x5xi32>)
// CHECK:         ^bb0(%[[L:.+]]: i16, %[[R:.+]]: i8, %[[ACC:.+]]: i32):
// CHECK:           %[[LW:.+]] = arith.extsi %[[L]] : i16 to i32
// CHECK:           %[[LZ:.+]] = arith.constant 3 : i32
// CHECK:           %[[LC:.+]] = arith.subi %[[LW]], %[[LZ]] : i32
// CHECK:           %[[RW:.+]] = arith.extsi %[[R]] : i8 to i32
// CHECK:           %[[RZ:.+]] = arith.constant -1 : i32
// CHECK:           %[[RC:.+]] = arith.subi %[[RW]], %[[RZ]] : i32
// CHECK:           %[[P:.+]] = arith.muli %[[LC]], %[[RC]] : i32
// CHECK:           %[[S:.+]] = arith.addi %[[ACC]], %[[P]] : i32
// CHECK:           linalg.yield %[[S]] : i32
func.func @int_matmul(%a: tensor<2x4x8xi16>, %b: tensor<8x5xi8>) -> tensor<2x4x5xi32> {
  %0 = qopt.int_matmul %a, %b {lhs_zp = 3 : i64, rhs_zp = -1 : i64} : (tensor<2x4x8xi16>, tensor<8x5xi8>) -> tensor<2x4x5xi32>
  return %0 : tensor<2x4x5xi32>
}

// -----

// int_matmul of 8-bit operands: linalg.quantized_matmul (the lhs batch
// folded into its rows) or quantized_batch_matmul (equal batch dims
// collapsed), the zero points as i32 scalars, an i32 zero accumulator.
// CHECK-LABEL: func.func @int_matmul_i8(
// CHECK-SAME:    %[[A:.+]]: tensor<2x4x8xi8>, %[[B:.+]]: tensor<8x5xi8>)
// CHECK-DAG:     %[[ZERO:.+]] = arith.constant 0 : i32
// CHECK-DAG:     %[[LZ:.+]] = arith.constant 3 : i32
// CHECK-DAG:     %[[RZ:.+]] = arith.constant -1 : i32
// CHECK:         %[[A2:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2]] : tensor<2x4x8xi8> into tensor<8x8xi8>
// CHECK:         %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : i32) outs(%{{.+}} : tensor<8x5xi32>)
// CHECK:         %[[P:.+]] = linalg.quantized_matmul ins(%[[A2]], %[[B]], %[[LZ]], %[[RZ]] : tensor<8x8xi8>, tensor<8x5xi8>, i32, i32) outs(%[[INIT]] : tensor<8x5xi32>)
// CHECK:         tensor.expand_shape %[[P]] {{\[}}[0, 1], [2]] output_shape [2, 4, 5] : tensor<8x5xi32> into tensor<2x4x5xi32>
func.func @int_matmul_i8(%a: tensor<2x4x8xi8>, %b: tensor<8x5xi8>) -> tensor<2x4x5xi32> {
  %0 = qopt.int_matmul %a, %b {lhs_zp = 3 : i64, rhs_zp = -1 : i64} : (tensor<2x4x8xi8>, tensor<8x5xi8>) -> tensor<2x4x5xi32>
  return %0 : tensor<2x4x5xi32>
}

// -----

// CHECK-LABEL: func.func @int_matmul_batched_i8(
// CHECK:         tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2], [3]] : tensor<1x4x16x8xi8> into tensor<4x16x8xi8>
// CHECK:         tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2], [3]] : tensor<1x4x8x16xi8> into tensor<4x8x16xi8>
// CHECK:         %[[P:.+]] = linalg.quantized_batch_matmul ins(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} : tensor<4x16x8xi8>, tensor<4x8x16xi8>, i32, i32) outs(%{{.+}} : tensor<4x16x16xi32>)
// CHECK:         tensor.expand_shape %[[P]]
func.func @int_matmul_batched_i8(%a: tensor<1x4x16x8xi8>, %b: tensor<1x4x8x16xi8>) -> tensor<1x4x16x16xi32> {
  %0 = qopt.int_matmul %a, %b {lhs_zp = -128 : i64, rhs_zp = 2 : i64} : (tensor<1x4x16x8xi8>, tensor<1x4x8x16xi8>) -> tensor<1x4x16x16xi32>
  return %0 : tensor<1x4x16x16xi32>
}

// -----

// Broadcast batch dims keep the generic form.
// CHECK-LABEL: func.func @int_matmul_broadcast_i8(
// CHECK-NOT:     linalg.quantized
// CHECK:         linalg.generic
func.func @int_matmul_broadcast_i8(%a: tensor<1x4x8xi8>, %b: tensor<2x8x5xi8>) -> tensor<2x4x5xi32> {
  %0 = qopt.int_matmul %a, %b {lhs_zp = 3 : i64} : (tensor<1x4x8xi8>, tensor<2x8x5xi8>) -> tensor<2x4x5xi32>
  return %0 : tensor<2x4x5xi32>
}

// -----

// An ungrouped 8-bit int_conv2d: the accumulator holds the bias, then the
// input padded with its zero point (right before the convolution), then
// linalg.conv_2d_nchw_fchw_q with both zero points.
// CHECK-LABEL: func.func @int_conv2d_i8(
// CHECK-SAME:    %[[X:.+]]: tensor<1x4x8x8xi8>, %[[WT:.+]]: tensor<6x4x3x3xi8>, %[[B:.+]]: tensor<6xi32>)
// CHECK:         %[[INIT:.+]] = linalg.generic
// CHECK-SAME:      ins(%[[B]] : tensor<6xi32>)
// CHECK:         %[[ZP:.+]] = arith.constant -5 : i8
// CHECK:         %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           tensor.yield %[[ZP]] : i8
// CHECK-DAG:     %[[IZ:.+]] = arith.constant -5 : i32
// CHECK-DAG:     %[[WZ:.+]] = arith.constant 2 : i32
// CHECK:         linalg.conv_2d_nchw_fchw_q {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%[[P]], %[[WT]], %[[IZ]], %[[WZ]] : tensor<1x4x10x10xi8>, tensor<6x4x3x3xi8>, i32, i32) outs(%[[INIT]] : tensor<1x6x4x8xi32>)
func.func @int_conv2d_i8(%x: tensor<1x4x8x8xi8>, %w: tensor<6x4x3x3xi8>, %b: tensor<6xi32>) -> tensor<1x6x4x8xi32> {
  %0 = qopt.int_conv2d %x, %w, %b {strides = array<i64: 2, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, input_zp = -5 : i64, weight_zp = 2 : i64} : (tensor<1x4x8x8xi8>, tensor<6x4x3x3xi8>, tensor<6xi32>) -> tensor<1x6x4x8xi32>
  return %0 : tensor<1x6x4x8xi32>
}

// -----

// A grouped int_conv2d: the accumulator initialised with the bias, the
// input padded with its zero point, groups in the input channel expression
// of one generic.
// CHECK-DAG: #[[BIAS:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (d1 floordiv 3) * 2 + d4, d2 * 2 + d5, d3 + d6)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
// CHECK-LABEL: func.func @int_conv2d(
// CHECK-SAME:    %[[X:.+]]: tensor<1x4x8x8xi8>, %[[WT:.+]]: tensor<6x2x3x3xi8>, %[[B:.+]]: tensor<6xi32>)
// CHECK:         %[[INIT:.+]] = linalg.generic {indexing_maps = [#[[BIAS]], #{{.+}}]
// CHECK-SAME:      ins(%[[B]] : tensor<6xi32>)
// CHECK:         %[[ZP:.+]] = arith.constant -5 : i8
// CHECK:         %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           tensor.yield %[[ZP]] : i8
// CHECK:         linalg.generic {indexing_maps = [#[[IN]], #[[W]], #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME:      ins(%[[P]], %[[WT]] : tensor<1x4x10x10xi8>, tensor<6x2x3x3xi8>) outs(%[[INIT]] : tensor<1x6x4x8xi32>)
// CHECK:           arith.constant -5 : i32
// CHECK:           arith.constant 2 : i32
// CHECK:           arith.muli
// CHECK:           arith.addi
func.func @int_conv2d(%x: tensor<1x4x8x8xi8>, %w: tensor<6x2x3x3xi8>, %b: tensor<6xi32>) -> tensor<1x6x4x8xi32> {
  %0 = qopt.int_conv2d %x, %w, %b {strides = array<i64: 2, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64, input_zp = -5 : i64, weight_zp = 2 : i64} : (tensor<1x4x8x8xi8>, tensor<6x2x3x3xi8>, tensor<6xi32>) -> tensor<1x6x4x8xi32>
  return %0 : tensor<1x6x4x8xi32>
}

// -----

// int_avg_pool2d: the window sum of x - zp in i64 (padding holds the zero
// point), then per position the in-bounds count from linalg.index and
// ⌊(2S + count) / (2·count)⌋ by a truncating division corrected to floor.
// CHECK-DAG: #[[WIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-LABEL: func.func @int_avg_pool2d(
// CHECK:         %[[ZP:.+]] = arith.constant 3 : i8
// CHECK:         %[[P:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           tensor.yield %[[ZP]] : i8
// CHECK:         %[[K:.+]] = tensor.empty() : tensor<3x3xi64>
// CHECK:         %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[WIN]], #{{.+}}, #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME:      ins(%[[P]], %[[K]] : tensor<1x2x7x7xi8>, tensor<3x3xi64>)
// CHECK:           arith.extsi %{{.+}} : i8 to i64
// CHECK:           arith.subi
// CHECK:           arith.addi
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[SUM]] : tensor<1x2x3x3xi64>) outs(%{{.+}} : tensor<1x2x3x3xi8>)
// CHECK:           linalg.index 2 : index
// CHECK:           arith.minsi
// CHECK:           arith.maxsi
// CHECK:           linalg.index 3 : index
// CHECK:           arith.minsi
// CHECK:           arith.maxsi
// CHECK:           %[[CW:.+]] = arith.subi
// CHECK:           %[[C:.+]] = arith.muli %{{.+}}, %[[CW]] : i64
// CHECK:           %[[CNT:.+]] = arith.maxsi %[[C]], %{{.+}} : i64
// CHECK:           %[[TWICE:.+]] = arith.addi %[[S:.+]], %[[S]] : i64
// CHECK:           %[[NUM:.+]] = arith.addi %[[TWICE]], %[[CNT]] : i64
// CHECK:           %[[DEN:.+]] = arith.addi %[[CNT]], %[[CNT]] : i64
// CHECK:           arith.divsi %[[NUM]], %[[DEN]] : i64
// CHECK:           arith.cmpi slt
// CHECK:           arith.trunci %{{.+}} : i64 to i8
func.func @int_avg_pool2d(%x: tensor<1x2x5x5xi8>) -> tensor<1x2x3x3xi8> {
  %0 = qopt.int_avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, input_zp = 3 : i64, output_zp = -1 : i64} : (tensor<1x2x5x5xi8>) -> tensor<1x2x3x3xi8>
  return %0 : tensor<1x2x3x3xi8>
}

// -----

// shiftmax: max over the axis (i64), ShiftExp of x - max with x0 = -16 and
// n = 15 (clamp at n·x0 = -240, 2·x0 = -32), a saturating sum, then
// (e·⌊(2^31-1)/Σ⌋) >> 24 capped at 127.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @shiftmax(
// CHECK-SAME:    %[[X:.+]]: tensor<2x5x7xi8>)
// CHECK:         %[[MAX:.+]] = linalg.reduce ins(%[[X]] : tensor<2x5x7xi8>) outs(%{{.+}} : tensor<2x7xi64>) dimensions = [1]
// CHECK:           arith.maxsi
// CHECK:         %[[E:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]]
// CHECK-SAME:      ins(%[[X]], %[[MAX]] : tensor<2x5x7xi8>, tensor<2x7xi64>)
// CHECK:           arith.constant -240 : i64
// CHECK:           arith.divsi
// CHECK:           arith.constant -32 : i64
// CHECK:           arith.shli
// CHECK:         %[[SUM:.+]] = linalg.reduce ins(%[[E]] : tensor<2x5x7xi64>) outs(%{{.+}} : tensor<2x7xi64>) dimensions = [1]
// CHECK:           arith.constant 2147483647 : i64
// CHECK:           arith.minsi
// CHECK:           arith.addi
// CHECK:           arith.minsi
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]]
// CHECK-SAME:      ins(%[[E]], %[[SUM]] : tensor<2x5x7xi64>, tensor<2x7xi64>) outs(%{{.+}} : tensor<2x5x7xi8>)
// CHECK:           arith.divsi
// CHECK:           arith.constant 24 : i64
// CHECK:           arith.shrsi
// CHECK:           arith.constant 127 : i64
// CHECK:           arith.minsi
// CHECK:           arith.trunci %{{.+}} : i64 to i8
func.func @shiftmax(%x: tensor<2x5x7xi8>) -> tensor<2x5x7xi8> {
  %0 = qopt.shiftmax %x {axis = 1 : i64, x0 = -16 : i64} : (tensor<2x5x7xi8>) -> tensor<2x5x7xi8>
  return %0 : tensor<2x5x7xi8>
}

// -----

// shift_gelu: M = max(0, row max); ShiftExp of x - M and of -M (n = 23,
// x0 = -12: clamp at -276), σ from their sum, x·σ truncated to i32.
// CHECK-LABEL: func.func @shift_gelu(
// CHECK:         %[[MAX:.+]] = linalg.reduce
// CHECK-SAME:      dimensions = [1]
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%{{.+}}, %[[MAX]] : tensor<2x7xi8>, tensor<2xi64>) outs(%{{.+}} : tensor<2x7xi32>)
// CHECK:         ^bb0(%[[XV:.+]]: i8, %[[MV:.+]]: i64, %{{.+}}: i32):
// CHECK:           %[[XW:.+]] = arith.extsi %[[XV]] : i8 to i64
// CHECK:           %[[ZERO:.+]] = arith.constant 0 : i64
// CHECK:           %[[M:.+]] = arith.maxsi %[[MV]], %[[ZERO]] : i64
// CHECK:           arith.subi %[[XW]], %[[M]] : i64
// CHECK:           arith.constant -276 : i64
// CHECK:           %[[E:.+]] = arith.shrsi
// CHECK:           arith.subi %[[ZERO]], %[[M]] : i64
// CHECK:           %[[S:.+]] = arith.addi %[[E]], %{{.+}} : i64
// CHECK:           %[[SC:.+]] = arith.minsi %[[S]], %{{.+}} : i64
// CHECK:           %[[F:.+]] = arith.divsi %{{.+}}, %[[SC]] : i64
// CHECK:           arith.muli %[[E]], %[[F]] : i64
// CHECK:           %[[SIG:.+]] = arith.minsi
// CHECK:           %[[Y:.+]] = arith.muli %[[XW]], %[[SIG]] : i64
// CHECK:           arith.trunci %[[Y]] : i64 to i32
func.func @shift_gelu(%x: tensor<2x7xi8>) -> tensor<2x7xi32> {
  %0 = qopt.shift_gelu %x {x0 = -12 : i64} : (tensor<2x7xi8>) -> tensor<2x7xi32>
  return %0 : tensor<2x7xi32>
}

// -----

// int_layernorm: row sum, mean rounded half to even, centred values, sum of
// squares, the Newton iterations unrolled (here 2, from 2^16), the factor
// ⌊(2^31-1)/k⌋, then (y·f) >> 1 saturated to i32.
// CHECK-LABEL: func.func @int_layernorm(
// CHECK:         %[[SUM:.+]] = linalg.reduce ins(%{{.+}} : tensor<2x8xi8>)
// CHECK:           arith.addi
// CHECK:         %[[MEAN:.+]] = linalg.generic
// CHECK-SAME:      ins(%[[SUM]] : tensor<2xi64>)
// CHECK:           arith.divsi
// CHECK:           arith.cmpi sgt
// CHECK:           arith.cmpi eq
// CHECK:         %[[Y:.+]] = linalg.generic
// CHECK-SAME:      ins(%{{.+}}, %[[MEAN]] : tensor<2x8xi8>, tensor<2xi64>)
// CHECK:           arith.subi
// CHECK:         %[[VAR:.+]] = linalg.reduce ins(%[[Y]] : tensor<2x8xi64>)
// CHECK:           arith.muli
// CHECK:           arith.addi
// CHECK:         %[[F:.+]] = linalg.generic
// CHECK-SAME:      ins(%[[VAR]] : tensor<2xi64>)
// CHECK:           arith.constant 65536 : i64
// CHECK-COUNT-2:   arith.divsi %{{.+}}, %{{.+}} : i64
// CHECK:           arith.constant 2147483647 : i64
// CHECK:           arith.divsi
// CHECK-NOT:       arith.divsi
// CHECK:           linalg.yield
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[Y]], %[[F]] : tensor<2x8xi64>, tensor<2xi64>) outs(%{{.+}} : tensor<2x8xi32>)
// CHECK:           arith.muli
// CHECK:           arith.shrsi
// CHECK:           arith.constant -2147483648 : i64
// CHECK:           arith.trunci %{{.+}} : i64 to i32
func.func @int_layernorm(%x: tensor<2x8xi8>) -> tensor<2x8xi32> {
  %0 = qopt.int_layernorm %x {sqrt_iterations = 2 : i64} : (tensor<2x8xi8>) -> tensor<2x8xi32>
  return %0 : tensor<2x8xi32>
}
