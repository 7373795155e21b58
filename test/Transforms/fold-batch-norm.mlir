// qopt-fold-batch-norm: batch_norm(conv2d(x, W, b)) -> conv2d(x, W', b') with
//   k[f] = scale[f] / sqrt(var[f] + eps),  W'[f] = W[f]·k[f],
//   b'[f] = (b[f] - mean[f])·k[f] + bias[f].
// Folded weights go to dense_resource blobs: a blob is a 4-byte alignment
// header (0x08000000, alignment 8) followed by the little-endian f32 values.
// The expected values below are computed by hand from that formula.
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-fold-batch-norm))' -split-input-file | FileCheck %s

// Conv without bias (examples/mlir/conv_bn_relu.mlir), eps = 0:
//   k = [3 / sqrt(4), 0.5 / sqrt(0.25)] = [1.5, 1.0]
//   W' = [[1.0, 0.5]·1.5, [-1.0, 2.0]·1.0] = [1.5, 0.75, -1.0, 2.0]
//        = 0x3FC00000, 0x3F400000, 0xBF800000, 0x40000000
//   b' = [(0 - 1)·1.5 + 0.1, (0 - 0)·1.0 - 0.2] = [-1.4, -0.2]
//        = 0xBFB33333, 0xBE4CCCCD (each rounded once to f32)
// CHECK-LABEL: func.func @conv_no_bias(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x4x4xf32>)
// CHECK-DAG:     %[[W:.+]] = qopt.constant dense_resource<[[WBLOB:folded_weight[_0-9]*]]> : tensor<2x2x1x1xf32>
// CHECK-DAG:     %[[B:.+]] = qopt.constant dense_resource<[[BBLOB:folded_bias[_0-9]*]]> : tensor<2xf32>
// CHECK:         %[[C:.+]] = qopt.conv2d %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NOT:     qopt.batch_norm
// CHECK:         %[[R:.+]] = qopt.relu %[[C]] : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK:         return %[[R]]
// CHECK:       dialect_resources: {
// CHECK-DAG:     [[WBLOB]]: "0x080000000000C03F0000403F000080BF00000040"
// CHECK-DAG:     [[BBLOB]]: "0x080000003333B3BFCDCC4CBE"
func.func @conv_no_bias(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = qopt.constant dense<[[[[1.0]], [[0.5]]], [[[-1.0]], [[2.0]]]]> : tensor<2x2x1x1xf32>
  %scale = qopt.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %bias = qopt.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %mean = qopt.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = qopt.constant dense<[4.0, 0.25]> : tensor<2xf32>
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = qopt.batch_norm %0, %scale, %bias, %mean, %var {epsilon = 0.0 : f32}
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %2 = qopt.relu %1 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// Conv with bias, eps = 1, strides and pads kept:
//   k = [1 / sqrt(3 + 1), -3 / sqrt(8 + 1)] = [0.5, -1.0]
//   W' = [[1, 2, 3, 4]·0.5, [-2, 0.5, 0.25, 8]·-1]
//      = [0.5, 1.0, 1.5, 2.0, 2.0, -0.5, -0.25, -8.0]
//      = 0x3F000000 0x3F800000 0x3FC00000 0x40000000
//        0x40000000 0xBF000000 0xBE800000 0xC1000000
//   b' = [(1 - 3)·0.5 + 0.25, (-2 - 0.5)·-1 + 4] = [-0.75, 6.5]
//      = 0xBF400000 0x40D00000
// CHECK-LABEL: func.func @conv_with_bias(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x1x3x3xf32>)
// CHECK-DAG:     %[[W:.+]] = qopt.constant dense_resource<[[WBLOB:folded_weight[_0-9]*]]> : tensor<2x1x2x2xf32>
// CHECK-DAG:     %[[B:.+]] = qopt.constant dense_resource<[[BBLOB:folded_bias[_0-9]*]]> : tensor<2xf32>
// CHECK:         %[[C:.+]] = qopt.conv2d %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT:    return %[[C]]
// CHECK:       dialect_resources: {
// CHECK-DAG:     [[WBLOB]]: "0x080000000000003F0000803F0000C03F0000004000000040000000BF000080BE000000C1"
// CHECK-DAG:     [[BBLOB]]: "0x08000000000040BF0000D040"
func.func @conv_with_bias(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x2x2xf32> {
  %w = qopt.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]], [[[-2.0, 0.5], [0.25, 8.0]]]]> : tensor<2x1x2x2xf32>
  %b = qopt.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %scale = qopt.constant dense<[1.0, -3.0]> : tensor<2xf32>
  %shift = qopt.constant dense<[0.25, 4.0]> : tensor<2xf32>
  %mean = qopt.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %var = qopt.constant dense<[3.0, 8.0]> : tensor<2xf32>
  %0 = qopt.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %1 = qopt.batch_norm %0, %scale, %shift, %mean, %var {epsilon = 1.0 : f32}
      : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %1 : tensor<1x2x2x2xf32>
}

// -----

// Grouped (depthwise) conv whose weights come from a dense_resource blob
// (W = [1.0, -2.0]), with splat batch norm parameters, eps = 0:
//   k = 3 / sqrt(2.25) = 2 for both channels
//   W' = [2.0, -4.0] = 0x40000000 0xC0800000
//   b' = (0 - 0)·2 + 0.5 = 0.5 = 0x3F000000 for both channels
// CHECK-LABEL: func.func @depthwise_resource_weights(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x3x3xf32>)
// CHECK-DAG:     %[[W:.+]] = qopt.constant dense_resource<[[WBLOB:folded_weight[_0-9]*]]> : tensor<2x1x1x1xf32>
// CHECK-DAG:     %[[B:.+]] = qopt.constant dense_resource<[[BBLOB:folded_bias[_0-9]*]]> : tensor<2xf32>
// CHECK:         %[[C:.+]] = qopt.conv2d %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
// CHECK-NEXT:    return %[[C]]
// CHECK:       dialect_resources: {
// CHECK-DAG:     [[WBLOB]]: "0x0800000000000040000080C0"
// CHECK-DAG:     [[BBLOB]]: "0x080000000000003F0000003F"
func.func @depthwise_resource_weights(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = qopt.constant dense_resource<weights> : tensor<2x1x1x1xf32>
  %scale = qopt.constant dense<3.0> : tensor<2xf32>
  %shift = qopt.constant dense<0.5> : tensor<2xf32>
  %mean = qopt.constant dense<0.0> : tensor<2xf32>
  %var = qopt.constant dense<2.25> : tensor<2xf32>
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2}
      : (tensor<1x2x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %1 = qopt.batch_norm %0, %scale, %shift, %mean, %var {epsilon = 0.0 : f32}
      : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}
{-#
  dialect_resources: {
    builtin: {
      weights: "0x080000000000803F000000C0"
    }
  }
#-}

// -----

// The default epsilon is the f32 nearest to 1e-5, 9.99999974737875e-06; the
// fold computes in double and rounds once to f32:
//   k = 1 / sqrt(1 + 9.99999974737875e-06) = 0.9999950000376...
//   W' = 2·k = 1.99999000007...  -> f32 1.99998998641967 = 0x3FFFFFAC
//   b' = (0.5 - 0)·k + 0 = 0.49999750001... -> f32 0.49999749660 = 0x3EFFFFAC
// CHECK-LABEL: func.func @default_epsilon(
// CHECK-DAG:     qopt.constant dense_resource<[[WBLOB:folded_weight[_0-9]*]]> : tensor<1x1x1x1xf32>
// CHECK-DAG:     qopt.constant dense_resource<[[BBLOB:folded_bias[_0-9]*]]> : tensor<1xf32>
// CHECK:       dialect_resources: {
// CHECK-DAG:     [[WBLOB]]: "0x08000000ACFFFF3F"
// CHECK-DAG:     [[BBLOB]]: "0x08000000ACFFFF3E"
func.func @default_epsilon(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = qopt.constant dense<2.0> : tensor<1x1x1x1xf32>
  %b = qopt.constant dense<0.5> : tensor<1xf32>
  %one = qopt.constant dense<1.0> : tensor<1xf32>
  %zero = qopt.constant dense<0.0> : tensor<1xf32>
  %0 = qopt.conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %1 = qopt.batch_norm %0, %one, %zero, %zero, %one
      : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %1 : tensor<1x1x2x2xf32>
}

// -----

// Two folds in one function get distinct blobs.
//   First:  k = 2 / sqrt(4) = 1: W' = W = [1.0, 2.0], b' = (0 - 1)·1 + 0 = -1
//   Second: k = 1 / sqrt(0.25) = 2: W' = [0.5, -1.0]·2 = [1.0, -2.0],
//           b' = [(0 - 0)·2 + 3, (0 - 0)·2 + 3] = [3.0, 3.0]
// CHECK-LABEL: func.func @two_folds(
// CHECK-DAG:     qopt.constant dense_resource<[[W1:folded_weight[_0-9]*]]> : tensor<1x2x1x1xf32>
// CHECK-DAG:     qopt.constant dense_resource<[[B1:folded_bias[_0-9]*]]> : tensor<1xf32>
// CHECK-DAG:     qopt.constant dense_resource<[[W2:folded_weight[_0-9]*]]> : tensor<2x1x1x1xf32>
// CHECK-DAG:     qopt.constant dense_resource<[[B2:folded_bias[_0-9]*]]> : tensor<2xf32>
// CHECK-NOT:     qopt.batch_norm
// CHECK:       dialect_resources: {
// CHECK-DAG:     [[W1]]: "0x080000000000803F00000040"
// CHECK-DAG:     [[B1]]: "0x08000000000080BF"
// CHECK-DAG:     [[W2]]: "0x080000000000803F000000C0"
// CHECK-DAG:     [[B2]]: "0x080000000000404000004040"
func.func @two_folds(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w1 = qopt.constant dense<[[[[1.0]], [[2.0]]]]> : tensor<1x2x1x1xf32>
  %s1 = qopt.constant dense<2.0> : tensor<1xf32>
  %z1 = qopt.constant dense<0.0> : tensor<1xf32>
  %m1 = qopt.constant dense<1.0> : tensor<1xf32>
  %v1 = qopt.constant dense<4.0> : tensor<1xf32>
  %0 = qopt.conv2d %x, %w1 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<1x1x2x2xf32>
  %1 = qopt.batch_norm %0, %s1, %z1, %m1, %v1 {epsilon = 0.0 : f32}
      : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %w2 = qopt.constant dense<[[[[0.5]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %s2 = qopt.constant dense<1.0> : tensor<2xf32>
  %b2 = qopt.constant dense<3.0> : tensor<2xf32>
  %z2 = qopt.constant dense<0.0> : tensor<2xf32>
  %v2 = qopt.constant dense<0.25> : tensor<2xf32>
  %2 = qopt.conv2d %1, %w2 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %3 = qopt.batch_norm %2, %s2, %b2, %z2, %v2 {epsilon = 0.0 : f32}
      : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %3 : tensor<1x2x2x2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Match failures: the batch norm stays.
//===----------------------------------------------------------------------===//

// The conv has a second user.
// CHECK-LABEL: func.func @conv_second_user(
// CHECK:         %[[C:.+]] = qopt.conv2d
// CHECK:         %[[BN:.+]] = qopt.batch_norm %[[C]],
// CHECK:         return %[[BN]], %[[C]]
func.func @conv_second_user(%x: tensor<1x1x2x2xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = qopt.constant dense<1.0> : tensor<1x1x1x1xf32>
  %p = qopt.constant dense<1.0> : tensor<1xf32>
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %1 = qopt.batch_norm %0, %p, %p, %p, %p : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %1, %0 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}

// -----

// The input is not a conv2d.
// CHECK-LABEL: func.func @not_a_conv(
// CHECK:         qopt.relu
// CHECK-NEXT:    qopt.batch_norm
func.func @not_a_conv(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %p = qopt.constant dense<1.0> : tensor<1xf32>
  %0 = qopt.relu %x : (tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %1 = qopt.batch_norm %0, %p, %p, %p, %p : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %1 : tensor<1x1x2x2xf32>
}

// -----

// The weight is not a constant.
// CHECK-LABEL: func.func @non_constant_weight(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x1x2x2xf32>, %[[W:[a-zA-Z0-9_]+]]: tensor<1x1x1x1xf32>)
// CHECK:         %[[C:.+]] = qopt.conv2d %[[X]], %[[W]] {
// CHECK-NEXT:    qopt.batch_norm %[[C]],
func.func @non_constant_weight(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32> {
  %p = qopt.constant dense<1.0> : tensor<1xf32>
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %1 = qopt.batch_norm %0, %p, %p, %p, %p : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %1 : tensor<1x1x2x2xf32>
}

// -----

// A batch norm parameter is not a constant.
// CHECK-LABEL: func.func @non_constant_variance(
// CHECK:         %[[C:.+]] = qopt.conv2d
// CHECK-NEXT:    qopt.batch_norm %[[C]],
func.func @non_constant_variance(%x: tensor<1x1x2x2xf32>, %v: tensor<1xf32>) -> tensor<1x1x2x2xf32> {
  %w = qopt.constant dense<1.0> : tensor<1x1x1x1xf32>
  %p = qopt.constant dense<1.0> : tensor<1xf32>
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %1 = qopt.batch_norm %0, %p, %p, %p, %v : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %1 : tensor<1x1x2x2xf32>
}

// -----

// The conv bias is not a constant.
// CHECK-LABEL: func.func @non_constant_bias(
// CHECK:         %[[C:.+]] = qopt.conv2d
// CHECK-NEXT:    qopt.batch_norm %[[C]],
func.func @non_constant_bias(%x: tensor<1x1x2x2xf32>, %b: tensor<1xf32>) -> tensor<1x1x2x2xf32> {
  %w = qopt.constant dense<1.0> : tensor<1x1x1x1xf32>
  %p = qopt.constant dense<1.0> : tensor<1xf32>
  %0 = qopt.conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %1 = qopt.batch_norm %0, %p, %p, %p, %p : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %1 : tensor<1x1x2x2xf32>
}

// -----

// A dense_resource weight whose blob is not available is not a constant the
// pass can read.
// CHECK-LABEL: func.func @missing_blob(
// CHECK:         %[[C:.+]] = qopt.conv2d
// CHECK-NEXT:    qopt.batch_norm %[[C]],
func.func @missing_blob(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = qopt.constant dense_resource<absent> : tensor<1x1x1x1xf32>
  %p = qopt.constant dense<1.0> : tensor<1xf32>
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %1 = qopt.batch_norm %0, %p, %p, %p, %p : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %1 : tensor<1x1x2x2xf32>
}

// -----

// Quantized conv and batch norm.
// CHECK-LABEL: func.func @quant_types(
// CHECK:         %[[C:.+]] = qopt.conv2d
// CHECK-NEXT:    qopt.batch_norm %[[C]],
func.func @quant_types(%x: tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>> {
  %w = qopt.constant dense<3> : tensor<1x1x1x1xi8> -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5>>
  %p = qopt.constant dense<1.0> : tensor<1xf32>
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>>, tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>
  %1 = qopt.batch_norm %0, %p, %p, %p, %p : (tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>
  return %1 : tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>
}

// -----

// Float weights but quantized activations: folding would drop the conv's
// output quantization, so only all-float convs are folded.
// CHECK-LABEL: func.func @quant_activations_float_weights(
// CHECK:         %[[C:.+]] = qopt.conv2d
// CHECK-NEXT:    qopt.batch_norm %[[C]],
func.func @quant_activations_float_weights(%x: tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>> {
  %w = qopt.constant dense<1.0> : tensor<1x1x1x1xf32>
  %p = qopt.constant dense<1.0> : tensor<1xf32>
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>
  %1 = qopt.batch_norm %0, %p, %p, %p, %p : (tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>
  return %1 : tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>
}

// -----

// The batch norm quantizes a float conv: the types differ.
// CHECK-LABEL: func.func @bn_changes_type(
// CHECK:         %[[C:.+]] = qopt.conv2d
// CHECK-NEXT:    qopt.batch_norm %[[C]],
func.func @bn_changes_type(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>> {
  %w = qopt.constant dense<1.0> : tensor<1x1x1x1xf32>
  %p = qopt.constant dense<1.0> : tensor<1xf32>
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %1 = qopt.batch_norm %0, %p, %p, %p, %p : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>
  return %1 : tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>
}

// -----

// A conv with no filters (and a batch norm over no channels) is left alone
// (this used to divide by zero).
// CHECK-LABEL: func.func @no_filters(
// CHECK:         %[[C:.+]] = qopt.conv2d
// CHECK-NEXT:    qopt.batch_norm %[[C]],
func.func @no_filters(%x: tensor<1x2x4x4xf32>) -> tensor<1x0x4x4xf32> {
  %w = qopt.constant dense<1.0> : tensor<0x2x1x1xf32>
  %p = qopt.constant dense<1.0> : tensor<0xf32>
  %0 = qopt.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x2x4x4xf32>, tensor<0x2x1x1xf32>) -> tensor<1x0x4x4xf32>
  %1 = qopt.batch_norm %0, %p, %p, %p, %p : (tensor<1x0x4x4xf32>, tensor<0xf32>, tensor<0xf32>, tensor<0xf32>, tensor<0xf32>) -> tensor<1x0x4x4xf32>
  return %1 : tensor<1x0x4x4xf32>
}
