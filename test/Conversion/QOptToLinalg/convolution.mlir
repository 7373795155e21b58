// convert-qopt-to-linalg: conv2d.
// RUN: qopt-opt %s --convert-qopt-to-linalg -split-input-file | FileCheck %s

// One group: zero padding by tensor.pad ([top, left] low, [bottom, right]
// high), linalg.conv_2d_nchw_fchw with the strides and dilations, and the
// bias added in place by a linalg.generic that reads it along dim 1.
// CHECK-DAG: #[[BIAS:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv(
// CHECK-SAME:    %[[X:.+]]: tensor<1x3x8x8xf32>, %[[W:.+]]: tensor<4x3x3x3xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK:         %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 2] high[0, 0, 0, 1] {
// CHECK:           tensor.yield %[[Z]] : f32
// CHECK:         } : tensor<1x3x8x8xf32> to tensor<1x3x9x11xf32>
// CHECK:         %[[F:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.+}} : tensor<1x4x4x4xf32>)
// CHECK:         %[[C:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME:      ins(%[[P]], %[[W]] : tensor<1x3x9x11xf32>, tensor<4x3x3x3xf32>) outs(%[[F]] : tensor<1x4x4x4xf32>)
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[BIAS]], #[[ID]]]
// CHECK-SAME:      ins(%[[B]] : tensor<4xf32>) outs(%[[C]] : tensor<1x4x4x4xf32>)
// CHECK:         ^bb0(%[[BV:.+]]: f32, %[[O:.+]]: f32):
// CHECK:           %[[S:.+]] = arith.addf %[[O]], %[[BV]] : f32
// CHECK:           linalg.yield %[[S]]
// CHECK:         return %[[R]]
func.func @conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = qopt.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 2, 0, 1>, dilations = array<i64: 1, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// No pads, no bias: the convolution alone.
// CHECK-LABEL: func.func @conv_plain(
// CHECK-SAME:    %[[X:.+]]: tensor<1x3x8x8xf32>, %[[W:.+]]: tensor<4x3x1x1xf32>)
// CHECK-NOT:     tensor.pad
// CHECK:         %[[R:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X]], %[[W]] :
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[R]]
func.func @conv_plain(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x1x1xf32>) -> tensor<1x4x8x8xf32> {
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

// Grouped: the input channels split into (group, C/group), the filters into
// (group, F/group), linalg.conv_2d_ngchw_gfchw, and the result's (group,
// F/group) dims collapse back.
// CHECK-LABEL: func.func @conv_grouped(
// CHECK-SAME:    %[[X:.+]]: tensor<2x6x7x7xf32>, %[[W:.+]]: tensor<4x3x3x3xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK:         %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK-DAG:     %[[XG:.+]] = tensor.expand_shape %[[P]] {{\[}}[0], [1, 2], [3], [4]] output_shape [2, 2, 3, 9, 9] : tensor<2x6x9x9xf32> into tensor<2x2x3x9x9xf32>
// CHECK-DAG:     %[[WG:.+]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 2, 3, 3, 3] : tensor<4x3x3x3xf32> into tensor<2x2x3x3x3xf32>
// CHECK:         %[[F:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<2x2x2x4x4xf32>)
// CHECK:         %[[C:.+]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME:      ins(%[[XG]], %[[WG]] : tensor<2x2x3x9x9xf32>, tensor<2x2x3x3x3xf32>) outs(%[[F]] : tensor<2x2x2x4x4xf32>)
// CHECK:         %[[CC:.+]] = tensor.collapse_shape %[[C]] {{\[}}[0], [1, 2], [3], [4]] : tensor<2x2x2x4x4xf32> into tensor<2x4x4x4xf32>
// CHECK:         %[[R:.+]] = linalg.generic
// CHECK-SAME:      ins(%[[B]] : tensor<4xf32>) outs(%[[CC]] : tensor<2x4x4x4xf32>)
// CHECK:         return %[[R]]
func.func @conv_grouped(%x: tensor<2x6x7x7xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<2x4x4x4xf32> {
  %0 = qopt.conv2d %x, %w, %b {group = 2 : i64, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<2x6x7x7xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<2x4x4x4xf32>
  return %0 : tensor<2x4x4x4xf32>
}

// -----

// Depthwise (group = channels, with a channel multiplier of 2).
// CHECK-LABEL: func.func @conv_depthwise(
// CHECK-DAG:     tensor.expand_shape %{{.+}} {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 3, 1, 5, 5] : tensor<1x3x5x5xf32> into tensor<1x3x1x5x5xf32>
// CHECK-DAG:     tensor.expand_shape %{{.+}} {{\[}}[0, 1], [2], [3], [4]] output_shape [3, 2, 1, 3, 3] : tensor<6x1x3x3xf32> into tensor<3x2x1x3x3xf32>
// CHECK:         linalg.conv_2d_ngchw_gfchw
// CHECK-SAME:      -> tensor<1x3x2x3x3xf32>
// CHECK:         tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2], [3], [4]] : tensor<1x3x2x3x3xf32> into tensor<1x6x3x3xf32>
func.func @conv_depthwise(%x: tensor<1x3x5x5xf32>, %w: tensor<6x1x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %0 = qopt.conv2d %x, %w {group = 3 : i64, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x5x5xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x3x3xf32>
  return %0 : tensor<1x6x3x3xf32>
}

// -----

// conv_transpose2d: the input is spread by the stride into a zero tensor
// with dilation·(k-1) zeros around it (+ output_padding at the end), cropped
// by the pads, and convolved (stride 1) with the weights flipped spatially
// and regrouped from C×(F/G)×KH×KW to G×(F/G)×(C/G)×KH×KW.
// CHECK-DAG: #[[FLIP:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, -d3 + 2, -d4 + 2)>
// CHECK-LABEL: func.func @conv_transpose(
// CHECK-SAME:    %[[X:.+]]: tensor<1x4x3x3xf32>, %[[W:.+]]: tensor<4x1x3x3xf32>, %[[B:.+]]: tensor<2xf32>)
// CHECK:         %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[ZT:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.+}} : tensor<1x4x10x9xf32>)
// CHECK:         %[[S:.+]] = tensor.insert_slice %[[X]] into %[[ZT]][0, 0, 2, 2] [1, 4, 3, 3] [1, 1, 2, 2] : tensor<1x4x3x3xf32> into tensor<1x4x10x9xf32>
// CHECK:         %[[C:.+]] = tensor.extract_slice %[[S]][0, 0, 1, 1] [1, 4, 9, 7] [1, 1, 1, 1] : tensor<1x4x10x9xf32> to tensor<1x4x9x7xf32>
// CHECK:         %[[WG:.+]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 2, 1, 3, 3] : tensor<4x1x3x3xf32> into tensor<2x2x1x3x3xf32>
// CHECK:         %[[WF:.+]] = linalg.generic {indexing_maps = [#[[FLIP]], #{{.+}}]
// CHECK-SAME:      ins(%[[WG]] : tensor<2x2x1x3x3xf32>) outs(%{{.+}} : tensor<2x1x2x3x3xf32>)
// CHECK:         %[[XG:.+]] = tensor.expand_shape %[[C]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 9, 7]
// CHECK:         %[[CONV:.+]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
// CHECK-SAME:      ins(%[[XG]], %[[WF]] : tensor<1x2x2x9x7xf32>, tensor<2x1x2x3x3xf32>)
// CHECK:         %[[Y:.+]] = tensor.collapse_shape %[[CONV]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x1x7x5xf32> into tensor<1x2x7x5xf32>
// CHECK:         %[[R:.+]] = linalg.generic
// CHECK-SAME:      ins(%[[B]] : tensor<2xf32>) outs(%[[Y]] : tensor<1x2x7x5xf32>)
// CHECK:         return %[[R]]
func.func @conv_transpose(%x: tensor<1x4x3x3xf32>, %w: tensor<4x1x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x7x5xf32> {
  %0 = qopt.conv_transpose2d %x, %w, %b {group = 2 : i64, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 1>, dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 0>} : (tensor<1x4x3x3xf32>, tensor<4x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x7x5xf32>
  return %0 : tensor<1x2x7x5xf32>
}

// -----

// One group, no pads: no crop; the flipped weights collapse to F×C×KH×KW
// for linalg.conv_2d_nchw_fchw with the dilation.
// CHECK-LABEL: func.func @conv_transpose_plain(
// CHECK:         tensor.insert_slice %{{.+}} into %{{.+}}[0, 0, 2, 2] [1, 2, 3, 3] [1, 1, 1, 1] : tensor<1x2x3x3xf32> into tensor<1x2x7x7xf32>
// CHECK-NOT:     tensor.extract_slice
// CHECK:         %[[WF:.+]] = linalg.generic
// CHECK-SAME:      outs(%{{.+}} : tensor<1x4x2x2x2xf32>)
// CHECK:         %[[W4:.+]] = tensor.collapse_shape %[[WF]] {{\[}}[0, 1], [2], [3], [4]] : tensor<1x4x2x2x2xf32> into tensor<4x2x2x2xf32>
// CHECK:         linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%{{.+}}, %[[W4]] : tensor<1x2x7x7xf32>, tensor<4x2x2x2xf32>)
// CHECK-SAME:      -> tensor<1x4x5x5xf32>
func.func @conv_transpose_plain(%x: tensor<1x2x3x3xf32>, %w: tensor<2x4x2x2xf32>) -> tensor<1x4x5x5xf32> {
  %0 = qopt.conv_transpose2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 2, 2>, output_padding = array<i64: 0, 0>} : (tensor<1x2x3x3xf32>, tensor<2x4x2x2xf32>) -> tensor<1x4x5x5xf32>
  return %0 : tensor<1x4x5x5xf32>
}
