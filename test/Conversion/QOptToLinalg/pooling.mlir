// convert-qopt-to-linalg: max_pool2d, avg_pool2d, global_avg_pool2d.
// RUN: qopt-opt %s --convert-qopt-to-linalg -split-input-file | FileCheck %s

// max_pool2d on floats pads with -inf (by `pads`, plus what ceil_mode's
// last window needs: none here) and is linalg.pooling_nchw_max from a
// -inf start, whatever the window (the CPU lowering calls the runtime's
// kernel for it, test/Conversion/LinalgToQOptRuntime/max-pool.mlir).
// CHECK-LABEL: func.func @max_pool(
// CHECK-SAME:    %[[X:.+]]: tensor<1x2x7x8xf32>)
// CHECK:         %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 0, 0] {
// CHECK:           tensor.yield %[[NINF]] : f32
// CHECK:         } : tensor<1x2x7x8xf32> to tensor<1x2x8x9xf32>
// CHECK:         %[[F:.+]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.+}} : tensor<1x2x4x3xf32>)
// CHECK:         %[[W:.+]] = tensor.empty() : tensor<2x3xf32>
// CHECK:         %[[R:.+]] = linalg.pooling_nchw_max {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME:      ins(%[[P]], %[[W]] : tensor<1x2x8x9xf32>, tensor<2x3xf32>) outs(%[[F]] : tensor<1x2x4x3xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[R]]
func.func @max_pool(%x: tensor<1x2x7x8xf32>) -> tensor<1x2x4x3xf32> {
  %0 = qopt.max_pool2d %x {kernel = array<i64: 2, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, dilations = array<i64: 1, 2>, ceil_mode = true} : (tensor<1x2x7x8xf32>) -> tensor<1x2x4x3xf32>
  return %0 : tensor<1x2x4x3xf32>
}

// -----

// So is a window of more than 16 elements (5x4).
// CHECK-LABEL: func.func @max_pool_large_window(
// CHECK:         %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[F:.+]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.+}} : tensor<1x2x2x3xf32>)
// CHECK:         %[[W:.+]] = tensor.empty() : tensor<5x4xf32>
// CHECK:         %[[R:.+]] = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
// CHECK-SAME:      ins(%{{.+}}, %[[W]] : tensor<1x2x6x6xf32>, tensor<5x4xf32>) outs(%[[F]] : tensor<1x2x2x3xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[R]]
func.func @max_pool_large_window(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x2x3xf32> {
  %0 = qopt.max_pool2d %x {kernel = array<i64: 5, 4>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x6x6xf32>) -> tensor<1x2x2x3xf32>
  return %0 : tensor<1x2x2x3xf32>
}

// -----

// ceil_mode: the last window (rows 4..6 of 6) needs one more row of padding
// than `pads` gives.
// CHECK-LABEL: func.func @max_pool_ceil(
// CHECK:         tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK:         } : tensor<1x1x6x6xf32> to tensor<1x1x7x7xf32>
// CHECK:         linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME:      -> tensor<1x1x3x3xf32>
func.func @max_pool_ceil(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x3x3xf32> {
  %0 = qopt.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true} : (tensor<1x1x6x6xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// avg_pool2d whose windows all have the full count (count_include_pad with
// symmetric pads): a sum pool divided by the constant kernel size.
// CHECK-LABEL: func.func @avg_pool_include_pad(
// CHECK-SAME:    %[[X:.+]]: tensor<1x2x4x4xf32>)
// CHECK:         %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1] {
// CHECK:           tensor.yield %[[Z]] : f32
// CHECK:         %[[S:.+]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
// CHECK-SAME:      ins(%[[P]], %{{.+}} : tensor<1x2x6x6xf32>, tensor<3x3xf32>)
// CHECK:         %[[R:.+]] = linalg.generic {{.+}} ins(%[[S]] : tensor<1x2x4x4xf32>)
// CHECK:           %[[N:.+]] = arith.constant 9.000000e+00 : f32
// CHECK:           arith.divf %{{.+}}, %[[N]] : f32
// CHECK:         return %[[R]]
func.func @avg_pool_include_pad(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %0 = qopt.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// count_include_pad = false with pads: each output divides by the number of
// its window's positions inside the input, computed from linalg.index:
// (min(o·s - pad + k, size) - max(o·s - pad, 0)) per spatial dim.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @avg_pool_exclude_pad(
// CHECK:         %[[S:.+]] = linalg.pooling_nchw_sum
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%[[S]] : tensor<1x2x4x4xf32>)
// CHECK:         ^bb0(%[[SUM:.+]]: f32):
// CHECK:           %[[OH:.+]] = linalg.index 2 : index
// CHECK:           %[[SH:.+]] = arith.constant 1 : index
// CHECK:           %[[HS0:.+]] = arith.muli %[[OH]], %[[SH]] : index
// CHECK:           %[[PH:.+]] = arith.constant 1 : index
// CHECK:           %[[HS:.+]] = arith.subi %[[HS0]], %[[PH]] : index
// CHECK:           %[[KH:.+]] = arith.constant 3 : index
// CHECK:           %[[HE:.+]] = arith.addi %[[HS]], %[[KH]] : index
// CHECK:           %[[LO:.+]] = arith.constant 0 : index
// CHECK:           %[[HF:.+]] = arith.maxsi %[[HS]], %[[LO]] : index
// CHECK:           %[[HI:.+]] = arith.constant 4 : index
// CHECK:           %[[HL:.+]] = arith.minsi %[[HE]], %[[HI]] : index
// CHECK:           %[[CH:.+]] = arith.subi %[[HL]], %[[HF]] : index
// CHECK:           %[[OW:.+]] = linalg.index 3 : index
// CHECK:           arith.minsi
// CHECK:           %[[CW:.+]] = arith.subi
// CHECK:           %[[C:.+]] = arith.muli %[[CH]], %[[CW]] : index
// CHECK:           %[[C64:.+]] = arith.index_cast %[[C]] : index to i64
// CHECK:           %[[CF:.+]] = arith.sitofp %[[C64]] : i64 to f32
// CHECK:           %[[AVG:.+]] = arith.divf %[[SUM]], %[[CF]] : f32
// CHECK:           linalg.yield %[[AVG]]
// CHECK:         return %[[R]]
func.func @avg_pool_exclude_pad(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %0 = qopt.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = false} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// ceil_mode with count_include_pad: the rows padded for ceil_mode (past the
// bottom pad) do not count, the explicit pads do. Along H the counted range
// is [-1, 7) (a variable count), along W every window is full (constant 2).
// CHECK-LABEL: func.func @avg_pool_ceil_include_pad(
// CHECK:         tensor.pad %{{.+}} low[0, 0, 1, 0] high[0, 0, 1, 1]
// CHECK:         } : tensor<1x2x7x8xf32> to tensor<1x2x9x9xf32>
// CHECK:         linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 3]> : tensor<2xi64>}
// CHECK:         linalg.generic
// CHECK:           linalg.index 2 : index
// CHECK:           %[[LO:.+]] = arith.constant -1 : index
// CHECK:           arith.maxsi %{{.+}}, %[[LO]] : index
// CHECK:           %[[HI:.+]] = arith.constant 7 : index
// CHECK:           arith.minsi %{{.+}}, %[[HI]] : index
// CHECK:           %[[CH:.+]] = arith.subi
// CHECK-NOT:       linalg.index 3
// CHECK:           %[[KW:.+]] = arith.constant 2 : index
// CHECK:           arith.muli %[[CH]], %[[KW]] : index
func.func @avg_pool_ceil_include_pad(%x: tensor<1x2x7x8xf32>) -> tensor<1x2x4x3xf32> {
  %0 = qopt.avg_pool2d %x {kernel = array<i64: 3, 2>, strides = array<i64: 2, 3>, pads = array<i64: 1, 0, 0, 1>, ceil_mode = true, count_include_pad = true} : (tensor<1x2x7x8xf32>) -> tensor<1x2x4x3xf32>
  return %0 : tensor<1x2x4x3xf32>
}

// -----

// global_avg_pool2d: linalg.reduce over H and W, divided by H·W, expanded
// to N×C×1×1.
// CHECK-LABEL: func.func @global_avg_pool(
// CHECK-SAME:    %[[X:.+]]: tensor<1x2x7x8xf32>)
// CHECK:         %[[S:.+]] = linalg.reduce ins(%[[X]] : tensor<1x2x7x8xf32>) outs(%{{.+}} : tensor<1x2xf32>) dimensions = [2, 3]
// CHECK:           arith.addf
// CHECK:         %[[M:.+]] = linalg.generic {{.+}} ins(%[[S]] : tensor<1x2xf32>)
// CHECK:           %[[N:.+]] = arith.constant 5.600000e+01 : f32
// CHECK:           arith.divf %{{.+}}, %[[N]]
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[M]] {{\[}}[0], [1, 2, 3]] output_shape [1, 2, 1, 1] : tensor<1x2xf32> into tensor<1x2x1x1xf32>
// CHECK:         return %[[R]]
func.func @global_avg_pool(%x: tensor<1x2x7x8xf32>) -> tensor<1x2x1x1xf32> {
  %0 = qopt.global_avg_pool2d %x : (tensor<1x2x7x8xf32>) -> tensor<1x2x1x1xf32>
  return %0 : tensor<1x2x1x1xf32>
}

// -----

// max_pool2d of a signed per-tensor quantized tensor into the same type
// pools the storage integers (max commutes with the affine dequantization),
// padding with the storage minimum -128; the 3x3 window is unrolled with
// arith.maxsi.
// CHECK-LABEL: func.func @max_pool_quantized(
// CHECK-SAME:    %[[X:.+]]: tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01:3>>)
// CHECK:         %[[S:.+]] = quant.scast %[[X]] : tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01:3>> to tensor<1x2x4x4xi8>
// CHECK:         %[[MIN:.+]] = arith.constant -128 : i8
// CHECK:         %[[P:.+]] = tensor.pad %[[S]] low[0, 0, 1, 1] high[0, 0, 1, 1] {
// CHECK:           tensor.yield %[[MIN]] : i8
// CHECK-COUNT-9: tensor.extract_slice %[[P]]{{.+}} [1, 2, 2, 2] [1, 1, 2, 2] : tensor<1x2x6x6xi8> to tensor<1x2x2x2xi8>
// CHECK:         %[[R:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<1x2x2x2xi8>)
// CHECK-COUNT-8:   arith.maxsi %{{.+}}, %{{.+}} : i8
// CHECK:         } -> tensor<1x2x2x2xi8>
// CHECK:         %[[Q:.+]] = quant.scast %[[R]] : tensor<1x2x2x2xi8> to tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-01:3>>
// CHECK:         return %[[Q]]
func.func @max_pool_quantized(%x: tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5:3>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.5:3>> {
  %0 = qopt.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5:3>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.5:3>>
  return %0 : tensor<1x2x2x2x!quant.uniform<i8:f32, 0.5:3>>
}
