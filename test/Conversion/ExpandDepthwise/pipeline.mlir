// RUN: qopt-opt %s --qopt-lower-to-llvm | FileCheck %s

// Through the whole CPU lowering, an expansion (8 -> 24 channels, bias,
// ReLU) whose output only a stride-2 3x3 depthwise convolution (bias, ReLU)
// reads, on a 32x32 plane, is one runtime call; no other convolution call
// and no loop is left.
// CHECK-LABEL: llvm.func @main(
// CHECK-NOT:     llvm.call @qopt_rt_conv2d_nchw_f32_epilogue
// CHECK:         llvm.call @qopt_rt_conv2d_nchw_f32_expand_depthwise(
// CHECK-NOT:     llvm.call @qopt_rt_conv2d_nchw_f32_epilogue
// CHECK:         llvm.return
func.func @main(%x: tensor<1x8x32x32xf32>) -> tensor<1x24x16x16xf32> {
  %w1 = qopt.constant dense<0.25> : tensor<24x8x1x1xf32>
  %b1 = qopt.constant dense<0.5> : tensor<24xf32>
  %w2 = qopt.constant dense<-0.125> : tensor<24x1x3x3xf32>
  %b2 = qopt.constant dense<1.0> : tensor<24xf32>
  %e = qopt.conv2d %x, %w1, %b1 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x8x32x32xf32>, tensor<24x8x1x1xf32>, tensor<24xf32>) -> tensor<1x24x32x32xf32>
  %r = qopt.relu %e : (tensor<1x24x32x32xf32>) -> tensor<1x24x32x32xf32>
  %d = qopt.conv2d %r, %w2, %b2 {group = 24 : i64, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x24x32x32xf32>, tensor<24x1x3x3xf32>, tensor<24xf32>) -> tensor<1x24x16x16xf32>
  %o = qopt.relu %d : (tensor<1x24x16x16xf32>) -> tensor<1x24x16x16xf32>
  return %o : tensor<1x24x16x16xf32>
}
