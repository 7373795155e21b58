// The qopt-cleanup pipeline: canonicalize, raise decomposed composites
// (tested in raise-composites.mlir), fold batch norms into the preceding
// conv2d, canonicalize again, CSE.
// RUN: qopt-opt %s --qopt-cleanup -split-input-file | FileCheck %s

// The conv2d + batch_norm + relu block of examples/mlir/conv_bn_relu.mlir,
// with clutter that only the whole pipeline removes:
//  - `x + 0` and an identity reshape between the conv and the batch norm
//    (the first canonicalization must remove the reshape for the fold to see
//    the conv),
//  - relu(relu(.)),
//  - the batch norm's constants, dead after the fold,
//  - two identical sigmoids (CSE).
// Folded values (eps = 0): k = [3 / sqrt(4), 0.5 / sqrt(0.25)] = [1.5, 1.0],
//   W' = [1.5, 0.75, -1.0, 2.0] = 0x3FC00000 0x3F400000 0xBF800000 0x40000000
//   b' = [(0 - 1)·1.5 + 0.1, (0 - 0)·1 - 0.2] = [-1.4, -0.2]
//      = 0xBFB33333 0xBE4CCCCD
// CHECK-LABEL: func.func @conv_bn_relu(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x4x4xf32>)
// CHECK-DAG:     %[[W:.+]] = qopt.constant dense_resource<[[WBLOB:folded_weight[_0-9]*]]> : tensor<2x2x1x1xf32>
// CHECK-DAG:     %[[B:.+]] = qopt.constant dense_resource<[[BBLOB:folded_bias[_0-9]*]]> : tensor<2xf32>
// CHECK-NOT:     qopt.constant
// CHECK:         %[[C:.+]] = qopt.conv2d %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT:    %[[R:.+]] = qopt.relu %[[C]] : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT:    %[[S:.+]] = qopt.sigmoid %[[R]] : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT:    return %[[S]], %[[S]] : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
// CHECK:       dialect_resources: {
// CHECK-DAG:     [[WBLOB]]: "0x080000000000C03F0000403F000080BF00000040"
// CHECK-DAG:     [[BBLOB]]: "0x080000003333B3BFCDCC4CBE"
func.func @conv_bn_relu(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = qopt.constant dense<[[[[1.0]], [[0.5]]], [[[-1.0]], [[2.0]]]]> : tensor<2x2x1x1xf32>
  %scale = qopt.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %bias = qopt.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %mean = qopt.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = qopt.constant dense<[4.0, 0.25]> : tensor<2xf32>
  %zero = qopt.constant dense<0.0> : tensor<1x2x4x4xf32>
  %x0 = qopt.add %x, %zero : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %0 = qopt.conv2d %x0, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %r0 = qopt.reshape %0 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %1 = qopt.batch_norm %r0, %scale, %bias, %mean, %var {epsilon = 0.0 : f32}
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %2 = qopt.relu %1 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %3 = qopt.relu %2 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %4 = qopt.sigmoid %3 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %5 = qopt.sigmoid %3 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %4, %5 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// A quantized graph is not folded: the batch norm stays. The identical
// quantized constants are merged, the identity requantize folds, and CSE
// then merges the two (now identical) convolutions.
// CHECK-LABEL: func.func @quantized(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x1x2x2x!quant.uniform<i8:f32, 5.000000e-01>>)
// CHECK-DAG:     %[[W:.+]] = qopt.constant dense<3> : tensor<1x1x1x1xi8> -> tensor<1x1x1x1x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-DAG:     %[[P:.+]] = qopt.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK:         %[[C:.+]] = qopt.conv2d %[[X]], %[[W]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<1x1x1x1x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK-NEXT:    %[[BN:.+]] = qopt.batch_norm %[[C]], %[[P]], %[[P]], %[[P]], %[[P]] : (tensor<1x1x2x2x!quant.uniform<i8:f32, 2.500000e-01>>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK-NEXT:    return %[[BN]], %[[C]] :
func.func @quantized(%x: tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>>) -> (tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>, tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>) {
  %w0 = qopt.constant dense<3> : tensor<1x1x1x1xi8> -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5>>
  %w1 = qopt.constant dense<3> : tensor<1x1x1x1xi8> -> tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5>>
  %p = qopt.constant dense<1.0> : tensor<1xf32>
  %0 = qopt.conv2d %x, %w0 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>>, tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>
  %1 = qopt.batch_norm %0, %p, %p, %p, %p : (tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>
  %2 = qopt.conv2d %x, %w1 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5>>, tensor<1x1x1x1x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>
  %3 = qopt.requantize %2 : (tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>
  return %1, %3 : tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>, tensor<1x1x2x2x!quant.uniform<i8:f32, 0.25>>
}
