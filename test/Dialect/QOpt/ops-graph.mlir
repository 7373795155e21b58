// Round trip of every qopt graph op through the custom printer and parser,
// and through the generic form. Optional operands are tested present and
// absent, defaulted attributes at their default (elided when printed) and
// set, and every enum value once.
// RUN: qopt-opt %s | qopt-opt | FileCheck %s
// RUN: qopt-opt %s -mlir-print-op-generic | qopt-opt | FileCheck %s

//===----------------------------------------------------------------------===//
// constant
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @constant_float(
// CHECK-SAME:    ) -> tensor<4xf32>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK:         return %[[V0]] : tensor<4xf32>
func.func @constant_float() -> tensor<4xf32> {
  %0 = qopt.constant dense<1.0> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @constant_int(
// CHECK-SAME:    ) -> tensor<2x2xi32>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.constant dense<{{\[\[}}1, 2], [3, 4]]> : tensor<2x2xi32>
// CHECK:         return %[[V0]] : tensor<2x2xi32>
func.func @constant_int() -> tensor<2x2xi32> {
  %0 = qopt.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// A quantized constant prints its storage values and `-> <result type>`.
// CHECK-LABEL: func.func @constant_quant(
// CHECK-SAME:    ) -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.constant dense<[1, -2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK:         return %[[V0]] : tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
func.func @constant_quant() -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>> {
  %0 = qopt.constant dense<[1, -2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
  return %0 : tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
}

// CHECK-LABEL: func.func @constant_quant_per_axis(
// CHECK-SAME:    ) -> tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.constant dense<{{\[\[}}1, 2, 3], [-4, -5, -6]]> : tensor<2x3xi8> -> tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
// CHECK:         return %[[V0]] : tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
func.func @constant_quant_per_axis() -> tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>> {
  %0 = qopt.constant dense<[[1, 2, 3], [-4, -5, -6]]> : tensor<2x3xi8> -> tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  return %0 : tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
}

// Discardable attributes print before the value.
// CHECK-LABEL: func.func @constant_resource(
// CHECK-SAME:    ) -> tensor<3xf16>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.constant {qopt.bits = 8 : i64} dense_resource<blob1> : tensor<3xf16>
// CHECK:         return %[[V0]] : tensor<3xf16>
func.func @constant_resource() -> tensor<3xf16> {
  %0 = qopt.constant {qopt.bits = 8 : i64} dense_resource<blob1> : tensor<3xf16>
  return %0 : tensor<3xf16>
}

//===----------------------------------------------------------------------===//
// Convolutions and matrix products
//===----------------------------------------------------------------------===//

// Without and with the optional bias.
// CHECK-LABEL: func.func @conv2d(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x4x8x8xf32>, %[[W:[a-zA-Z0-9_]+]]: tensor<6x2x3x3xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<6xf32>) -> (tensor<1x6x4x4xf32>, tensor<1x6x4x4xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.conv2d %[[X]], %[[W]] {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.conv2d %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
// CHECK:         return %[[V0]], %[[V1]] : tensor<1x6x4x4xf32>, tensor<1x6x4x4xf32>
func.func @conv2d(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> (tensor<1x6x4x4xf32>, tensor<1x6x4x4xf32>) {
  %0 = qopt.conv2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32>
  %1 = qopt.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  return %0, %1 : tensor<1x6x4x4xf32>, tensor<1x6x4x4xf32>
}

// group = 1 is the default and is elided.
// CHECK-LABEL: func.func @conv2d_default_group(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x3x5x5xf32>, %[[W:[a-zA-Z0-9_]+]]: tensor<2x3x3x3xf32>) -> tensor<1x2x1x1xf32>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.conv2d %[[X]], %[[W]] {dilations = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x5x5xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x1x1xf32>
// CHECK:         return %[[V0]] : tensor<1x2x1x1xf32>
func.func @conv2d_default_group(%x: tensor<1x3x5x5xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x1x1xf32> {
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 2, 2>, group = 1} : (tensor<1x3x5x5xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x1x1xf32>
  return %0 : tensor<1x2x1x1xf32>
}

// Quantized operands with different parameters, per-axis weights and bias.
// CHECK-LABEL: func.func @conv2d_quant(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x4x4x!quant.uniform<u8:f32, 1.000000e-01:128>>, %[[W:[a-zA-Z0-9_]+]]: tensor<2x2x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, %[[B:[a-zA-Z0-9_]+]]: tensor<2x!quant.uniform<i32:f32:0, {5.000000e-02,2.500000e-02}>>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 2.000000e-01:-3>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.conv2d %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<2x2x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, tensor<2x!quant.uniform<i32:f32:0, {5.000000e-02,2.500000e-02}>>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 2.000000e-01:-3>>
// CHECK:         return %[[V0]] : tensor<1x2x4x4x!quant.uniform<i8:f32, 2.000000e-01:-3>>
func.func @conv2d_quant(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:128>>, %w: tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.5, 0.25}>>, %b: tensor<2x!quant.uniform<i32:f32:0, {0.05, 0.025}>>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.2:-3>> {
  %0 = qopt.conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:128>>, tensor<2x2x1x1x!quant.uniform<i8:f32:0, {0.5, 0.25}>>, tensor<2x!quant.uniform<i32:f32:0, {0.05, 0.025}>>) -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.2:-3>>
  return %0 : tensor<1x2x4x4x!quant.uniform<i8:f32, 0.2:-3>>
}

// CHECK-LABEL: func.func @conv_transpose2d(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x4x3x3xf32>, %[[W:[a-zA-Z0-9_]+]]: tensor<4x3x3x3xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<6xf32>) -> (tensor<1x6x6x6xf32>, tensor<1x6x6x6xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.conv_transpose2d %[[X]], %[[W]] {dilations = array<i64: 1, 1>, group = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x6xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.conv_transpose2d %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, group = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
// CHECK:         return %[[V0]], %[[V1]] : tensor<1x6x6x6xf32>, tensor<1x6x6x6xf32>
func.func @conv_transpose2d(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<6xf32>) -> (tensor<1x6x6x6xf32>, tensor<1x6x6x6xf32>) {
  %0 = qopt.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 1>, group = 2} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x6xf32>
  %1 = qopt.conv_transpose2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 1>, group = 2} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
  return %0, %1 : tensor<1x6x6x6xf32>, tensor<1x6x6x6xf32>
}

// CHECK-LABEL: func.func @conv_transpose2d_quant(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-01>>, %[[W:[a-zA-Z0-9_]+]]: tensor<2x3x2x2x!quant.uniform<i8:f32:1, {5.000000e-01,2.500000e-01,1.250000e-01}>>) -> tensor<1x3x3x3x!quant.uniform<i8:f32, 2.500000e-01:1>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.conv_transpose2d %[[X]], %[[W]] {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<2x3x2x2x!quant.uniform<i8:f32:1, {5.000000e-01,2.500000e-01,1.250000e-01}>>) -> tensor<1x3x3x3x!quant.uniform<i8:f32, 2.500000e-01:1>>
// CHECK:         return %[[V0]] : tensor<1x3x3x3x!quant.uniform<i8:f32, 2.500000e-01:1>>
func.func @conv_transpose2d_quant(%x: tensor<1x2x2x2x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x3x2x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>) -> tensor<1x3x3x3x!quant.uniform<i8:f32, 0.25:1>> {
  %0 = qopt.conv_transpose2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x2x2x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x3x2x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>) -> tensor<1x3x3x3x!quant.uniform<i8:f32, 0.25:1>>
  return %0 : tensor<1x3x3x3x!quant.uniform<i8:f32, 0.25:1>>
}

// CHECK-LABEL: func.func @matmul(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<2x1x3x4xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.matmul %[[A]], %[[B]] : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
// CHECK:         return %[[V0]] : tensor<2x5x3x6xf32>
func.func @matmul(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32> {
  %0 = qopt.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  return %0 : tensor<2x5x3x6xf32>
}

// CHECK-LABEL: func.func @matmul_quant(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<3x4x!quant.uniform<i8:f32, 5.000000e-01>>, %[[B:[a-zA-Z0-9_]+]]: tensor<4x6x!quant.uniform<i8:f32, 2.500000e-01>>) -> tensor<3x6x!quant.uniform<i8:f32, 1.000000e+00:2>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.matmul %[[A]], %[[B]] : (tensor<3x4x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<4x6x!quant.uniform<i8:f32, 2.500000e-01>>) -> tensor<3x6x!quant.uniform<i8:f32, 1.000000e+00:2>>
// CHECK:         return %[[V0]] : tensor<3x6x!quant.uniform<i8:f32, 1.000000e+00:2>>
func.func @matmul_quant(%a: tensor<3x4x!quant.uniform<i8:f32, 0.5>>, %b: tensor<4x6x!quant.uniform<i8:f32, 0.25>>) -> tensor<3x6x!quant.uniform<i8:f32, 1.0:2>> {
  %0 = qopt.matmul %a, %b : (tensor<3x4x!quant.uniform<i8:f32, 0.5>>, tensor<4x6x!quant.uniform<i8:f32, 0.25>>) -> tensor<3x6x!quant.uniform<i8:f32, 1.0:2>>
  return %0 : tensor<3x6x!quant.uniform<i8:f32, 1.0:2>>
}

// CHECK-LABEL: func.func @batch_matmul(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<2x3x4xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<2x4x5xbf16>) -> tensor<2x3x5xbf16>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.batch_matmul %[[A]], %[[B]] : (tensor<2x3x4xbf16>, tensor<2x4x5xbf16>) -> tensor<2x3x5xbf16>
// CHECK:         return %[[V0]] : tensor<2x3x5xbf16>
func.func @batch_matmul(%a: tensor<2x3x4xbf16>, %b: tensor<2x4x5xbf16>) -> tensor<2x3x5xbf16> {
  %0 = qopt.batch_matmul %a, %b : (tensor<2x3x4xbf16>, tensor<2x4x5xbf16>) -> tensor<2x3x5xbf16>
  return %0 : tensor<2x3x5xbf16>
}

// Without and with `c`; alpha = beta = 1 are defaults and are elided.
// CHECK-LABEL: func.func @gemm(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<4x3xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<5x4xf32>, %[[C:[a-zA-Z0-9_]+]]: tensor<5xf32>) -> (tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.gemm %[[A]], %[[B]] {trans_a = true, trans_b = true} : (tensor<4x3xf32>, tensor<5x4xf32>) -> tensor<3x5xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.gemm %[[A]], %[[B]], %[[C]] {alpha = 2.000000e+00 : f32, beta = 5.000000e-01 : f32, trans_a = true, trans_b = true} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.gemm %[[A]], %[[B]], %[[C]] {trans_a = true, trans_b = true} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]] : tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>
func.func @gemm(%a: tensor<4x3xf32>, %b: tensor<5x4xf32>, %c: tensor<5xf32>) -> (tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>) {
  %0 = qopt.gemm %a, %b {trans_a = true, trans_b = true} : (tensor<4x3xf32>, tensor<5x4xf32>) -> tensor<3x5xf32>
  %1 = qopt.gemm %a, %b, %c {alpha = 2.0 : f32, beta = 0.5 : f32, trans_a = true, trans_b = true} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  %2 = qopt.gemm %a, %b, %c {alpha = 1.0 : f32, beta = 1.0 : f32, trans_a = true, trans_b = true} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return %0, %1, %2 : tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>
}

// CHECK-LABEL: func.func @gemm_no_trans(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<3x4xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<4x5xf32>, %[[C:[a-zA-Z0-9_]+]]: tensor<3x1xf32>) -> tensor<3x5xf32>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.gemm %[[A]], %[[B]], %[[C]] : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<3x1xf32>) -> tensor<3x5xf32>
// CHECK:         return %[[V0]] : tensor<3x5xf32>
func.func @gemm_no_trans(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<3x1xf32>) -> tensor<3x5xf32> {
  %0 = qopt.gemm %a, %b, %c {trans_a = false, trans_b = false} : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<3x1xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @binary(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.add %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.sub %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.mul %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V3:[a-zA-Z0-9_]+]] = qopt.div %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V4:[a-zA-Z0-9_]+]] = qopt.pow %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V5:[a-zA-Z0-9_]+]] = qopt.max %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V6:[a-zA-Z0-9_]+]] = qopt.min %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]], %[[V6]] : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
func.func @binary(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = qopt.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = qopt.sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = qopt.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %3 = qopt.div %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %4 = qopt.pow %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %5 = qopt.max %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %6 = qopt.min %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @binary_broadcast_both(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<4x1xf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<1x5xf16>) -> tensor<4x5xf16>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.add %[[A]], %[[B]] : (tensor<4x1xf16>, tensor<1x5xf16>) -> tensor<4x5xf16>
// CHECK:         return %[[V0]] : tensor<4x5xf16>
func.func @binary_broadcast_both(%a: tensor<4x1xf16>, %b: tensor<1x5xf16>) -> tensor<4x5xf16> {
  %0 = qopt.add %a, %b : (tensor<4x1xf16>, tensor<1x5xf16>) -> tensor<4x5xf16>
  return %0 : tensor<4x5xf16>
}

// CHECK-LABEL: func.func @binary_scalar(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<f32>, %[[B:[a-zA-Z0-9_]+]]: tensor<f32>) -> tensor<f32>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.mul %[[A]], %[[B]] : (tensor<f32>, tensor<f32>) -> tensor<f32>
// CHECK:         return %[[V0]] : tensor<f32>
func.func @binary_scalar(%a: tensor<f32>, %b: tensor<f32>) -> tensor<f32> {
  %0 = qopt.mul %a, %b : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// Quantized operands and result with different scales and zero points.
// CHECK-LABEL: func.func @binary_quant(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>, %[[B:[a-zA-Z0-9_]+]]: tensor<2x3x!quant.uniform<i8:f32, 2.500000e-01:-1>>) -> (tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00:3>>, tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00:3>>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.add %[[A]], %[[B]] : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<2x3x!quant.uniform<i8:f32, 2.500000e-01:-1>>) -> tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00:3>>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.mul %[[A]], %[[B]] : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<2x3x!quant.uniform<i8:f32, 2.500000e-01:-1>>) -> tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00:3>>
// CHECK:         return %[[V0]], %[[V1]] : tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00:3>>, tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00:3>>
func.func @binary_quant(%a: tensor<2x3x!quant.uniform<i8:f32, 0.5>>, %b: tensor<2x3x!quant.uniform<i8:f32, 0.25:-1>>) -> (tensor<2x3x!quant.uniform<i8:f32, 1.0:3>>, tensor<2x3x!quant.uniform<i8:f32, 1.0:3>>) {
  %0 = qopt.add %a, %b : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>, tensor<2x3x!quant.uniform<i8:f32, 0.25:-1>>) -> tensor<2x3x!quant.uniform<i8:f32, 1.0:3>>
  %1 = qopt.mul %a, %b : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>, tensor<2x3x!quant.uniform<i8:f32, 0.25:-1>>) -> tensor<2x3x!quant.uniform<i8:f32, 1.0:3>>
  return %0, %1 : tensor<2x3x!quant.uniform<i8:f32, 1.0:3>>, tensor<2x3x!quant.uniform<i8:f32, 1.0:3>>
}

// A quantized and a float operand over the same expressed type.
// CHECK-LABEL: func.func @binary_mixed(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>, %[[B:[a-zA-Z0-9_]+]]: tensor<3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.sub %[[A]], %[[B]] : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[V0]] : tensor<2x3xf32>
func.func @binary_mixed(%a: tensor<2x3x!quant.uniform<i8:f32, 0.5>>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = qopt.sub %a, %b : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops and activations
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.neg %[[X]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.abs %[[V0]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.sqrt %[[V1]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V3:[a-zA-Z0-9_]+]] = qopt.exp %[[V2]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V4:[a-zA-Z0-9_]+]] = qopt.log %[[V3]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V5:[a-zA-Z0-9_]+]] = qopt.reciprocal %[[V4]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V6:[a-zA-Z0-9_]+]] = qopt.relu %[[V5]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V7:[a-zA-Z0-9_]+]] = qopt.sigmoid %[[V6]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V8:[a-zA-Z0-9_]+]] = qopt.tanh %[[V7]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V9:[a-zA-Z0-9_]+]] = qopt.erf %[[V8]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V10:[a-zA-Z0-9_]+]] = qopt.hard_swish %[[V9]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[V10]] : tensor<2x3xf32>
func.func @unary(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = qopt.neg %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qopt.abs %0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = qopt.sqrt %1 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = qopt.exp %2 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = qopt.log %3 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = qopt.reciprocal %4 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = qopt.relu %5 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %7 = qopt.sigmoid %6 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %8 = qopt.tanh %7 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %9 = qopt.erf %8 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %10 = qopt.hard_swish %9 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %10 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @unary_quant(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x3x!quant.uniform<u8:f32, 2.500000e-01:10>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.relu %[[X]] : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x3x!quant.uniform<u8:f32, 2.500000e-01:10>>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.sigmoid %[[V0]] : (tensor<2x3x!quant.uniform<u8:f32, 2.500000e-01:10>>) -> tensor<2x3x!quant.uniform<u8:f32, 3.906250e-03>>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.clamp %[[V1]] {max = 5.000000e-01 : f32, min = 0.000000e+00 : f32} : (tensor<2x3x!quant.uniform<u8:f32, 3.906250e-03>>) -> tensor<2x3xf32>
// CHECK:         %[[V3:[a-zA-Z0-9_]+]] = qopt.gelu %[[V2]] {approximation = #qopt<gelu_approximation tanh>} : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32, 1.250000e-01:-4>>
// CHECK:         %[[V4:[a-zA-Z0-9_]+]] = qopt.leaky_relu %[[V3]] {alpha = 5.000000e-01 : f32} : (tensor<2x3x!quant.uniform<i8:f32, 1.250000e-01:-4>>) -> tensor<2x3x!quant.uniform<u8:f32, 2.500000e-01:10>>
// CHECK:         return %[[V4]] : tensor<2x3x!quant.uniform<u8:f32, 2.500000e-01:10>>
func.func @unary_quant(%x: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3x!quant.uniform<u8:f32, 0.25:10>> {
  %0 = qopt.relu %x : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3x!quant.uniform<u8:f32, 0.25:10>>
  %1 = qopt.sigmoid %0 : (tensor<2x3x!quant.uniform<u8:f32, 0.25:10>>) -> tensor<2x3x!quant.uniform<u8:f32, 0.00390625>>
  %2 = qopt.clamp %1 {min = 0.0 : f32, max = 0.5 : f32} : (tensor<2x3x!quant.uniform<u8:f32, 0.00390625>>) -> tensor<2x3xf32>
  %3 = qopt.gelu %2 {approximation = #qopt<gelu_approximation tanh>} : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32, 0.125:-4>>
  %4 = qopt.leaky_relu %3 {alpha = 0.5 : f32} : (tensor<2x3x!quant.uniform<i8:f32, 0.125:-4>>) -> tensor<2x3x!quant.uniform<u8:f32, 0.25:10>>
  return %4 : tensor<2x3x!quant.uniform<u8:f32, 0.25:10>>
}

// -inf prints in hex form.
// CHECK-LABEL: func.func @clamp(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.clamp %[[X]] {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.clamp %[[X]] {max = 1.000000e+00 : f32, min = 0xFF800000 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.clamp %[[X]] {max = 2.500000e+00 : f32, min = 2.500000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]] : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
func.func @clamp(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = qopt.clamp %x {min = 0.0 : f32, max = 6.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qopt.clamp %x {min = 0xFF800000 : f32, max = 1.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = qopt.clamp %x {min = 2.5 : f32, max = 2.5 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// alpha = 0.2 and beta = 0.5 are defaults and are elided.
// CHECK-LABEL: func.func @hard_sigmoid(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.hard_sigmoid %[[X]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.hard_sigmoid %[[X]] {alpha = 2.500000e-01 : f32, beta = 7.500000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[V0]], %[[V1]] : tensor<2x3xf32>, tensor<2x3xf32>
func.func @hard_sigmoid(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = qopt.hard_sigmoid %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qopt.hard_sigmoid %x {alpha = 0.25 : f32, beta = 0.75 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @leaky_relu(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.leaky_relu %[[X]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.leaky_relu %[[X]] {alpha = 1.250000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[V0]], %[[V1]] : tensor<2x3xf32>, tensor<2x3xf32>
func.func @leaky_relu(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = qopt.leaky_relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qopt.leaky_relu %x {alpha = 0.125 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// approximation = none is the default and is elided.
// CHECK-LABEL: func.func @gelu(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.gelu %[[X]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.gelu %[[X]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.gelu %[[X]] {approximation = #qopt<gelu_approximation tanh>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]] : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
func.func @gelu(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = qopt.gelu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qopt.gelu %x {approximation = #qopt<gelu_approximation none>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = qopt.gelu %x {approximation = #qopt<gelu_approximation tanh>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// Normalisations and softmax
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @softmax(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[Q:[a-zA-Z0-9_]+]]: tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>) -> (tensor<2x3xf32>, tensor<2x3x!quant.uniform<u8:f32, 3.906250e-03>>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.softmax %[[X]] {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.softmax %[[Q]] {axis = 0 : i64} : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x3x!quant.uniform<u8:f32, 3.906250e-03>>
// CHECK:         return %[[V0]], %[[V1]] : tensor<2x3xf32>, tensor<2x3x!quant.uniform<u8:f32, 3.906250e-03>>
func.func @softmax(%x: tensor<2x3xf32>, %q: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> (tensor<2x3xf32>, tensor<2x3x!quant.uniform<u8:f32, 0.00390625>>) {
  %0 = qopt.softmax %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qopt.softmax %q {axis = 0 : i64} : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3x!quant.uniform<u8:f32, 0.00390625>>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3x!quant.uniform<u8:f32, 0.00390625>>
}

// With and without the optional bias.
// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>, %[[S:[a-zA-Z0-9_]+]]: tensor<3x4xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x4xf32>, %[[S1:[a-zA-Z0-9_]+]]: tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.layer_norm %[[X]], %[[S]], %[[B]] {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.layer_norm %[[X]], %[[S1]] {axis = 2 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
// CHECK:         return %[[V0]], %[[V1]] : tensor<2x3x4xf32>, tensor<2x3x4xf32>
func.func @layer_norm(%x: tensor<2x3x4xf32>, %s: tensor<3x4xf32>, %b: tensor<3x4xf32>, %s1: tensor<4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %0 = qopt.layer_norm %x, %s, %b {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  %1 = qopt.layer_norm %x, %s1 {axis = 2 : i64, epsilon = 1.0e-6 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %0, %1 : tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @batch_norm(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x4x4xf32>, %[[S:[a-zA-Z0-9_]+]]: tensor<2xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<2xf32>, %[[M:[a-zA-Z0-9_]+]]: tensor<2xf32>, %[[V:[a-zA-Z0-9_]+]]: tensor<2xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.batch_norm %[[X]], %[[S]], %[[B]], %[[M]], %[[V]] : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.batch_norm %[[X]], %[[S]], %[[B]], %[[M]], %[[V]] {epsilon = 1.000000e-03 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK:         return %[[V0]], %[[V1]] : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
func.func @batch_norm(%x: tensor<1x2x4x4xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %0 = qopt.batch_norm %x, %s, %b, %m, %v : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = qopt.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0, %1 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// CHECK-LABEL: func.func @batch_norm_rank2(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<3x2xf64>, %[[P:[a-zA-Z0-9_]+]]: tensor<2xf64>) -> tensor<3x2xf64>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.batch_norm %[[X]], %[[P]], %[[P]], %[[P]], %[[P]] {epsilon = 0.000000e+00 : f32} : (tensor<3x2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>) -> tensor<3x2xf64>
// CHECK:         return %[[V0]] : tensor<3x2xf64>
func.func @batch_norm_rank2(%x: tensor<3x2xf64>, %p: tensor<2xf64>) -> tensor<3x2xf64> {
  %0 = qopt.batch_norm %x, %p, %p, %p, %p {epsilon = 0.0 : f32} : (tensor<3x2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>) -> tensor<3x2xf64>
  return %0 : tensor<3x2xf64>
}

// compare, logical and select on i1 tensors, with broadcasting.
// CHECK-LABEL: func.func @compare_logical_select(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<3xf32>, %[[I:[a-zA-Z0-9_]+]]: tensor<3xi32>)
// CHECK:         %[[C0:[a-zA-Z0-9_]+]] = qopt.compare lt %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK:         %[[C1:[a-zA-Z0-9_]+]] = qopt.compare eq %[[I]], %[[I]] : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi1>
// CHECK:         %[[L:[a-zA-Z0-9_]+]] = qopt.logical xor %[[C0]], %[[C1]] : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
// CHECK:         %[[S:[a-zA-Z0-9_]+]] = qopt.select %[[L]], %[[A]], %[[B]] : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[S]] : tensor<2x3xf32>
func.func @compare_logical_select(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %i: tensor<3xi32>) -> tensor<2x3xf32> {
  %0 = qopt.compare lt %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %1 = qopt.compare eq %i, %i : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi1>
  %2 = qopt.logical xor %0, %1 : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  %3 = qopt.select %2, %a, %b : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %3 : tensor<2x3xf32>
}

// qopt.unary: one function per op, parameters only where the function has them.
// CHECK-LABEL: func.func @unary_math(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.unary sin %[[X]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.unary round %[[V0]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.unary elu %[[V1]] {alpha = 2.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V3:[a-zA-Z0-9_]+]] = qopt.unary selu %[[V2]] {alpha = 1.500000e+00 : f32, gamma = 2.500000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V4:[a-zA-Z0-9_]+]] = qopt.unary thresholded_relu %[[V3]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[V4]] : tensor<2x3xf32>
func.func @unary_math(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = qopt.unary sin %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qopt.unary round %0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = qopt.unary elu %1 {alpha = 2.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = qopt.unary selu %2 {alpha = 1.5 : f32, gamma = 2.5 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = qopt.unary thresholded_relu %3 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %4 : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// Reductions and pooling
//===----------------------------------------------------------------------===//

// Every reduce_kind; keep_dims = true is the default and is elided.
// CHECK-LABEL: func.func @reduce(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x8x4x4xf32>) -> (tensor<1x8x1x1xf32>, tensor<1x8xf32>, tensor<1x8x1x4xf32>, tensor<8x4x4xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.reduce mean %[[X]] {axes = array<i64: 2, 3>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.reduce sum %[[X]] {axes = array<i64: 2, 3>, keep_dims = false} : (tensor<1x8x4x4xf32>) -> tensor<1x8xf32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.reduce max %[[X]] {axes = array<i64: 2>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x4xf32>
// CHECK:         %[[V3:[a-zA-Z0-9_]+]] = qopt.reduce min %[[X]] {axes = array<i64: 0>, keep_dims = false} : (tensor<1x8x4x4xf32>) -> tensor<8x4x4xf32>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]], %[[V3]] : tensor<1x8x1x1xf32>, tensor<1x8xf32>, tensor<1x8x1x4xf32>, tensor<8x4x4xf32>
func.func @reduce(%x: tensor<1x8x4x4xf32>) -> (tensor<1x8x1x1xf32>, tensor<1x8xf32>, tensor<1x8x1x4xf32>, tensor<8x4x4xf32>) {
  %0 = qopt.reduce mean %x {axes = array<i64: 2, 3>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  %1 = qopt.reduce sum %x {axes = array<i64: 2, 3>, keep_dims = false} : (tensor<1x8x4x4xf32>) -> tensor<1x8xf32>
  %2 = qopt.reduce max %x {axes = array<i64: 2>, keep_dims = true} : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x4xf32>
  %3 = qopt.reduce min %x {axes = array<i64: 0>, keep_dims = false} : (tensor<1x8x4x4xf32>) -> tensor<8x4x4xf32>
  return %0, %1, %2, %3 : tensor<1x8x1x1xf32>, tensor<1x8xf32>, tensor<1x8x1x4xf32>, tensor<8x4x4xf32>
}

// CHECK-LABEL: func.func @reduce_quant(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x!quant.uniform<i8:f32, 1.250000e-01>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.reduce mean %[[X]] {axes = array<i64: 1>, keep_dims = false} : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x!quant.uniform<i8:f32, 1.250000e-01>>
// CHECK:         return %[[V0]] : tensor<2x!quant.uniform<i8:f32, 1.250000e-01>>
func.func @reduce_quant(%x: tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x!quant.uniform<i8:f32, 0.125>> {
  %0 = qopt.reduce mean %x {axes = array<i64: 1>, keep_dims = false} : (tensor<2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x!quant.uniform<i8:f32, 0.125>>
  return %0 : tensor<2x!quant.uniform<i8:f32, 0.125>>
}

// The prod kind.
// CHECK-LABEL: func.func @reduce_prod(
// CHECK:         qopt.reduce prod %{{.+}} {axes = array<i64: 1>, keep_dims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
func.func @reduce_prod(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = qopt.reduce prod %x {axes = array<i64: 1>, keep_dims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// arg_reduce: keep_dims = true and select_last_index = false are elided.
// CHECK-LABEL: func.func @arg_reduce(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>) -> (tensor<2x1xi64>, tensor<3xi64>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.arg_reduce max %[[X]] {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.arg_reduce min %[[X]] {axis = 0 : i64, keep_dims = false, select_last_index = true} : (tensor<2x3xf32>) -> tensor<3xi64>
// CHECK:         return %[[V0]], %[[V1]]
func.func @arg_reduce(%x: tensor<2x3xf32>) -> (tensor<2x1xi64>, tensor<3xi64>) {
  %0 = qopt.arg_reduce max %x {axis = 1 : i64, keep_dims = true} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  %1 = qopt.arg_reduce min %x {axis = 0 : i64, keep_dims = false, select_last_index = true} : (tensor<2x3xf32>) -> tensor<3xi64>
  return %0, %1 : tensor<2x1xi64>, tensor<3xi64>
}

// ceil_mode = false is the default and is elided.
// CHECK-LABEL: func.func @max_pool2d(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x5x5xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x3x3xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.max_pool2d %[[X]] {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.max_pool2d %[[X]] {ceil_mode = true, dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
// CHECK:         return %[[V0]], %[[V1]] : tensor<1x2x2x2xf32>, tensor<1x2x3x3xf32>
func.func @max_pool2d(%x: tensor<1x2x5x5xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x3x3xf32>) {
  %0 = qopt.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32>
  %1 = qopt.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  return %0, %1 : tensor<1x2x2x2xf32>, tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func.func @max_pool2d_quant(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01:-2>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-01:-2>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.max_pool2d %[[X]] {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01:-2>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-01:-2>>
// CHECK:         return %[[V0]] : tensor<1x2x2x2x!quant.uniform<i8:f32, 5.000000e-01:-2>>
func.func @max_pool2d_quant(%x: tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5:-2>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.5:-2>> {
  %0 = qopt.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = false} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5:-2>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.5:-2>>
  return %0 : tensor<1x2x2x2x!quant.uniform<i8:f32, 0.5:-2>>
}

// CHECK-LABEL: func.func @avg_pool2d(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x5x5xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.avg_pool2d %[[X]] {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.avg_pool2d %[[X]] {ceil_mode = true, count_include_pad = true, kernel = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
// CHECK:         return %[[V0]], %[[V1]] : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
func.func @avg_pool2d(%x: tensor<1x2x5x5xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %0 = qopt.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  %1 = qopt.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true, count_include_pad = true} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  return %0, %1 : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func.func @global_avg_pool2d(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x5x5xf32>, %[[Q:[a-zA-Z0-9_]+]]: tensor<1x2x5x5x!quant.uniform<i8:f32, 5.000000e-01>>) -> (tensor<1x2x1x1xf32>, tensor<1x2x1x1x!quant.uniform<i8:f32, 2.500000e-01>>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.global_avg_pool2d %[[X]] : (tensor<1x2x5x5xf32>) -> tensor<1x2x1x1xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.global_avg_pool2d %[[Q]] : (tensor<1x2x5x5x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<1x2x1x1x!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK:         return %[[V0]], %[[V1]] : tensor<1x2x1x1xf32>, tensor<1x2x1x1x!quant.uniform<i8:f32, 2.500000e-01>>
func.func @global_avg_pool2d(%x: tensor<1x2x5x5xf32>, %q: tensor<1x2x5x5x!quant.uniform<i8:f32, 0.5>>) -> (tensor<1x2x1x1xf32>, tensor<1x2x1x1x!quant.uniform<i8:f32, 0.25>>) {
  %0 = qopt.global_avg_pool2d %x : (tensor<1x2x5x5xf32>) -> tensor<1x2x1x1xf32>
  %1 = qopt.global_avg_pool2d %q : (tensor<1x2x5x5x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x1x1x!quant.uniform<i8:f32, 0.25>>
  return %0, %1 : tensor<1x2x1x1xf32>, tensor<1x2x1x1x!quant.uniform<i8:f32, 0.25>>
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reshape(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>, %[[I:[a-zA-Z0-9_]+]]: tensor<6xi64>, %[[Q:[a-zA-Z0-9_]+]]: tensor<2x2x!quant.uniform<i8:f32, 5.000000e-01>>) -> (tensor<6x4xf32>, tensor<3x2xi64>, tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.reshape %[[X]] : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.reshape %[[I]] : (tensor<6xi64>) -> tensor<3x2xi64>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.reshape %[[Q]] : (tensor<2x2x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]] : tensor<6x4xf32>, tensor<3x2xi64>, tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>
func.func @reshape(%x: tensor<2x3x4xf32>, %i: tensor<6xi64>, %q: tensor<2x2x!quant.uniform<i8:f32, 0.5>>) -> (tensor<6x4xf32>, tensor<3x2xi64>, tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  %0 = qopt.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %1 = qopt.reshape %i : (tensor<6xi64>) -> tensor<3x2xi64>
  %2 = qopt.reshape %q : (tensor<2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %0, %1, %2 : tensor<6x4xf32>, tensor<3x2xi64>, tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// CHECK-LABEL: func.func @flatten(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>) -> (tensor<1x24xf32>, tensor<6x4xf32>, tensor<24x1xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.flatten %[[X]] {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.flatten %[[X]] {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.flatten %[[X]] {axis = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]] : tensor<1x24xf32>, tensor<6x4xf32>, tensor<24x1xf32>
func.func @flatten(%x: tensor<2x3x4xf32>) -> (tensor<1x24xf32>, tensor<6x4xf32>, tensor<24x1xf32>) {
  %0 = qopt.flatten %x {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
  %1 = qopt.flatten %x {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %2 = qopt.flatten %x {axis = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
  return %0, %1, %2 : tensor<1x24xf32>, tensor<6x4xf32>, tensor<24x1xf32>
}

// A per-axis quantized tensor whose quantized dim stays in place.
// CHECK-LABEL: func.func @transpose(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>, %[[Q:[a-zA-Z0-9_]+]]: tensor<2x3x4x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>) -> (tensor<4x2x3xf32>, tensor<2x4x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.transpose %[[X]] {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.transpose %[[Q]] {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>) -> tensor<2x4x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
// CHECK:         return %[[V0]], %[[V1]] : tensor<4x2x3xf32>, tensor<2x4x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
func.func @transpose(%x: tensor<2x3x4xf32>, %q: tensor<2x3x4x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> (tensor<4x2x3xf32>, tensor<2x4x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) {
  %0 = qopt.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = qopt.transpose %q {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<2x4x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  return %0, %1 : tensor<4x2x3xf32>, tensor<2x4x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
}

// One input is allowed; quantized inputs share the result type.
// CHECK-LABEL: func.func @concat(
// CHECK-SAME:    %[[A:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[B:[a-zA-Z0-9_]+]]: tensor<2x5xf32>, %[[Q:[a-zA-Z0-9_]+]]: tensor<1x3x!quant.uniform<i8:f32, 5.000000e-01>>) -> (tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.concat %[[A]], %[[B]] {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.concat %[[A]] {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.concat %[[Q]], %[[Q]] {axis = 0 : i64} : (tensor<1x3x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<1x3x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]] : tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>, %q: tensor<1x3x!quant.uniform<i8:f32, 0.5>>) -> (tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x3x!quant.uniform<i8:f32, 0.5>>) {
  %0 = qopt.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  %1 = qopt.concat %a {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = qopt.concat %q, %q {axis = 0 : i64} : (tensor<1x3x!quant.uniform<i8:f32, 0.5>>, tensor<1x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.5>>
  return %0, %1, %2 : tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x3x!quant.uniform<i8:f32, 0.5>>
}

// Several results and a single one.
// CHECK-LABEL: func.func @split(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x8xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]]:2 = qopt.split %[[X]] {axis = 1 : i64} : (tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>)
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.split %[[X]] {axis = 0 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
// CHECK:         return %[[V0]]#0, %[[V0]]#1, %[[V1]] : tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x8xf32>
func.func @split(%x: tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x8xf32>) {
  %0:2 = qopt.split %x {axis = 1 : i64} : (tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>)
  %1 = qopt.split %x {axis = 0 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0#0, %0#1, %1 : tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x8xf32>
}

// Positive and negative steps, and an empty result.
// CHECK-LABEL: func.func @slice(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<4x6xf32>) -> (tensor<2x2xf32>, tensor<4x6xf32>, tensor<0x6xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.slice %[[X]] {ends = array<i64: 3, 6>, starts = array<i64: 1, 0>, steps = array<i64: 1, 3>} : (tensor<4x6xf32>) -> tensor<2x2xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.slice %[[X]] {ends = array<i64: -1, -1>, starts = array<i64: 3, 5>, steps = array<i64: -1, -1>} : (tensor<4x6xf32>) -> tensor<4x6xf32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.slice %[[X]] {ends = array<i64: 1, 6>, starts = array<i64: 3, 0>, steps = array<i64: 1, 1>} : (tensor<4x6xf32>) -> tensor<0x6xf32>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]] : tensor<2x2xf32>, tensor<4x6xf32>, tensor<0x6xf32>
func.func @slice(%x: tensor<4x6xf32>) -> (tensor<2x2xf32>, tensor<4x6xf32>, tensor<0x6xf32>) {
  %0 = qopt.slice %x {starts = array<i64: 1, 0>, ends = array<i64: 3, 6>, steps = array<i64: 1, 3>} : (tensor<4x6xf32>) -> tensor<2x2xf32>
  %1 = qopt.slice %x {starts = array<i64: 3, 5>, ends = array<i64: -1, -1>, steps = array<i64: -1, -1>} : (tensor<4x6xf32>) -> tensor<4x6xf32>
  %2 = qopt.slice %x {starts = array<i64: 3, 0>, ends = array<i64: 1, 6>, steps = array<i64: 1, 1>} : (tensor<4x6xf32>) -> tensor<0x6xf32>
  return %0, %1, %2 : tensor<2x2xf32>, tensor<4x6xf32>, tensor<0x6xf32>
}

// Every pad_mode (constant is the default and is elided); negative pads crop.
// CHECK-LABEL: func.func @pad(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<3x4xf32>) -> (tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<2x3xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.pad %[[X]] {pads = array<i64: 1, 2, 1, 1>} : (tensor<3x4xf32>) -> tensor<5x7xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.pad %[[X]] {pads = array<i64: 1, 2, 1, 1>, value = 1.500000e+00 : f64} : (tensor<3x4xf32>) -> tensor<5x7xf32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.pad %[[X]] {mode = #qopt<pad_mode reflect>, pads = array<i64: 1, 2, 1, 1>} : (tensor<3x4xf32>) -> tensor<5x7xf32>
// CHECK:         %[[V3:[a-zA-Z0-9_]+]] = qopt.pad %[[X]] {mode = #qopt<pad_mode edge>, pads = array<i64: 1, 2, 1, 1>} : (tensor<3x4xf32>) -> tensor<5x7xf32>
// CHECK:         %[[V4:[a-zA-Z0-9_]+]] = qopt.pad %[[X]] {pads = array<i64: -1, 0, 0, -1>} : (tensor<3x4xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]] : tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<2x3xf32>
func.func @pad(%x: tensor<3x4xf32>) -> (tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<2x3xf32>) {
  %0 = qopt.pad %x {pads = array<i64: 1, 2, 1, 1>} : (tensor<3x4xf32>) -> tensor<5x7xf32>
  %1 = qopt.pad %x {pads = array<i64: 1, 2, 1, 1>, mode = #qopt<pad_mode constant>, value = 1.5 : f64} : (tensor<3x4xf32>) -> tensor<5x7xf32>
  %2 = qopt.pad %x {pads = array<i64: 1, 2, 1, 1>, mode = #qopt<pad_mode reflect>} : (tensor<3x4xf32>) -> tensor<5x7xf32>
  %3 = qopt.pad %x {pads = array<i64: 1, 2, 1, 1>, mode = #qopt<pad_mode edge>} : (tensor<3x4xf32>) -> tensor<5x7xf32>
  %4 = qopt.pad %x {pads = array<i64: -1, 0, 0, -1>} : (tensor<3x4xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4 : tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<5x7xf32>, tensor<2x3xf32>
}

// Rank-2 and scalar indices, i64 and i32.
// CHECK-LABEL: func.func @gather(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<3x4x5xf32>, %[[I:[a-zA-Z0-9_]+]]: tensor<2x2xi64>, %[[J:[a-zA-Z0-9_]+]]: tensor<i32>) -> (tensor<3x2x2x5xf32>, tensor<4x5xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.gather %[[X]], %[[I]] {axis = 1 : i64} : (tensor<3x4x5xf32>, tensor<2x2xi64>) -> tensor<3x2x2x5xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.gather %[[X]], %[[J]] {axis = 0 : i64} : (tensor<3x4x5xf32>, tensor<i32>) -> tensor<4x5xf32>
// CHECK:         return %[[V0]], %[[V1]] : tensor<3x2x2x5xf32>, tensor<4x5xf32>
func.func @gather(%x: tensor<3x4x5xf32>, %i: tensor<2x2xi64>, %j: tensor<i32>) -> (tensor<3x2x2x5xf32>, tensor<4x5xf32>) {
  %0 = qopt.gather %x, %i {axis = 1 : i64} : (tensor<3x4x5xf32>, tensor<2x2xi64>) -> tensor<3x2x2x5xf32>
  %1 = qopt.gather %x, %j {axis = 0 : i64} : (tensor<3x4x5xf32>, tensor<i32>) -> tensor<4x5xf32>
  return %0, %1 : tensor<3x2x2x5xf32>, tensor<4x5xf32>
}

// Defaults are elided; the remaining enum values follow in @resize_enums.
// CHECK-LABEL: func.func @resize(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x4x4xf32>) -> (tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.resize %[[X]] : (tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.resize %[[X]] {coordinate_transform = #qopt<coordinate_transform align_corners>, mode = #qopt<resize_mode linear>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.resize %[[X]] {coordinate_transform = #qopt<coordinate_transform asymmetric>, nearest_mode = #qopt<nearest_mode floor>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]] : tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>
func.func @resize(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>) {
  %0 = qopt.resize %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32>
  %1 = qopt.resize %x {mode = #qopt<resize_mode linear>, coordinate_transform = #qopt<coordinate_transform align_corners>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32>
  %2 = qopt.resize %x {mode = #qopt<resize_mode nearest>, coordinate_transform = #qopt<coordinate_transform asymmetric>, nearest_mode = #qopt<nearest_mode floor>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32>
  return %0, %1, %2 : tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>
}

// CHECK-LABEL: func.func @resize_enums(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x4x4xf32>, %[[Q:[a-zA-Z0-9_]+]]: tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> (tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x2x2xf32>, tensor<1x2x8x8x!quant.uniform<i8:f32, 5.000000e-01>>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.resize %[[X]] : (tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.resize %[[X]] {coordinate_transform = #qopt<coordinate_transform pytorch_half_pixel>, nearest_mode = #qopt<nearest_mode round_prefer_ceil>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.resize %[[X]] {nearest_mode = #qopt<nearest_mode ceil>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
// CHECK:         %[[V3:[a-zA-Z0-9_]+]] = qopt.resize %[[Q]] {mode = #qopt<resize_mode linear>} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<1x2x8x8x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]], %[[V3]] : tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x2x2xf32>, tensor<1x2x8x8x!quant.uniform<i8:f32, 5.000000e-01>>
func.func @resize_enums(%x: tensor<1x2x4x4xf32>, %q: tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>) -> (tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x2x2xf32>, tensor<1x2x8x8x!quant.uniform<i8:f32, 0.5>>) {
  %0 = qopt.resize %x {mode = #qopt<resize_mode nearest>, coordinate_transform = #qopt<coordinate_transform half_pixel>, nearest_mode = #qopt<nearest_mode round_prefer_floor>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32>
  %1 = qopt.resize %x {coordinate_transform = #qopt<coordinate_transform pytorch_half_pixel>, nearest_mode = #qopt<nearest_mode round_prefer_ceil>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32>
  %2 = qopt.resize %x {nearest_mode = #qopt<nearest_mode ceil>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %3 = qopt.resize %q {mode = #qopt<resize_mode linear>} : (tensor<1x2x4x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x8x8x!quant.uniform<i8:f32, 0.5>>
  return %0, %1, %2, %3 : tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x2x2xf32>, tensor<1x2x8x8x!quant.uniform<i8:f32, 0.5>>
}

// float -> int, int -> float, int -> int, and an identity cast.
// CHECK-LABEL: func.func @cast(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[I:[a-zA-Z0-9_]+]]: tensor<2x3xi8>) -> (tensor<2x3xi32>, tensor<2x3xf16>, tensor<2x3xi64>, tensor<2x3xf32>)
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.cast %[[X]] : (tensor<2x3xf32>) -> tensor<2x3xi32>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.cast %[[I]] : (tensor<2x3xi8>) -> tensor<2x3xf16>
// CHECK:         %[[V2:[a-zA-Z0-9_]+]] = qopt.cast %[[I]] : (tensor<2x3xi8>) -> tensor<2x3xi64>
// CHECK:         %[[V3:[a-zA-Z0-9_]+]] = qopt.cast %[[X]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[V0]], %[[V1]], %[[V2]], %[[V3]] : tensor<2x3xi32>, tensor<2x3xf16>, tensor<2x3xi64>, tensor<2x3xf32>
func.func @cast(%x: tensor<2x3xf32>, %i: tensor<2x3xi8>) -> (tensor<2x3xi32>, tensor<2x3xf16>, tensor<2x3xi64>, tensor<2x3xf32>) {
  %0 = qopt.cast %x : (tensor<2x3xf32>) -> tensor<2x3xi32>
  %1 = qopt.cast %i : (tensor<2x3xi8>) -> tensor<2x3xf16>
  %2 = qopt.cast %i : (tensor<2x3xi8>) -> tensor<2x3xi64>
  %3 = qopt.cast %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xi32>, tensor<2x3xf16>, tensor<2x3xi64>, tensor<2x3xf32>
}

// The discardable qopt.bits and qopt.calib attributes survive.
// CHECK-LABEL: func.func @discardable_attrs(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.relu %[[X]] {qopt.bits = 8 : i64, qopt.calib = {max = 1.000000e+00 : f32, min = -1.000000e+00 : f32}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[V0]] : tensor<2x3xf32>
func.func @discardable_attrs(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = qopt.relu %x {qopt.bits = 8 : i64, qopt.calib = {min = -1.0 : f32, max = 1.0 : f32}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// The f16 blob (alignment 2, values 1.0, 2.0, 3.0) round-trips unchanged.
// CHECK:       dialect_resources: {
// CHECK-NEXT:    builtin: {
// CHECK-NEXT:      blob1: "0x02000000003C00400042"
{-#
  dialect_resources: {
    builtin: {
      blob1: "0x02000000003C00400042"
    }
  }
#-}
