// A conv2d + batch_norm + relu block with small constant weights, as the ONNX
// importer produces it. The qopt-cleanup pipeline folds the batch norm into
// the convolution's weights and bias.
func.func @conv_bn_relu(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
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
