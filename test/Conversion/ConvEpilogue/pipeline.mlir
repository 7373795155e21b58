// RUN: qopt-opt %s --qopt-lower-to-llvm | FileCheck %s

// Through the whole CPU lowering, a convolution with bias and ReLU is one
// runtime call with its epilogue (flags BIAS|MIN = 5): no loop is left.
// CHECK-LABEL: llvm.func @main(
// CHECK-NOT:     llvm.br
// CHECK:         %[[F:.*]] = llvm.mlir.constant(5 : i64) : i64
// CHECK-NOT:     llvm.br
// CHECK:         llvm.call @qopt_rt_conv2d_nchw_f32_epilogue({{.*}}, %[[F]])
// CHECK-NOT:     llvm.br
// CHECK:         llvm.return
func.func @main(%x: tensor<1x3x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %w = qopt.constant dense<0.5> : tensor<4x3x3x3xf32>
  %b = qopt.constant dense<[1.0, -1.0, 2.0, -2.0]> : tensor<4xf32>
  %c = qopt.conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %r = qopt.relu %c : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %r : tensor<1x4x8x8xf32>
}
