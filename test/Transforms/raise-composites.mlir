// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-raise-composites))' -split-input-file | FileCheck %s

// LayerNorm as torch exports it below opset 17, with the affine parameters.
// CHECK-LABEL: func.func @layer_norm_affine
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x8xf32>)
// CHECK-DAG: %[[G:.*]] = qopt.constant dense<1.500000e+00> : tensor<8xf32>
// CHECK-DAG: %[[B:.*]] = qopt.constant dense<5.000000e-01> : tensor<8xf32>
// CHECK: %[[Y:.*]] = qopt.layer_norm %[[X]], %[[G]], %[[B]] {axis = 2 : i64} :
// CHECK-NOT: qopt.reduce
// CHECK: return %[[Y]]
func.func @layer_norm_affine(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  %m = qopt.reduce mean %x {axes = array<i64: 2>} : (tensor<1x4x8xf32>) -> tensor<1x4x1xf32>
  %d = qopt.sub %x, %m : (tensor<1x4x8xf32>, tensor<1x4x1xf32>) -> tensor<1x4x8xf32>
  %two = qopt.constant dense<2.0> : tensor<f32>
  %p = qopt.pow %d, %two : (tensor<1x4x8xf32>, tensor<f32>) -> tensor<1x4x8xf32>
  %v = qopt.reduce mean %p {axes = array<i64: 2>} : (tensor<1x4x8xf32>) -> tensor<1x4x1xf32>
  %eps = qopt.constant dense<1.0e-5> : tensor<f32>
  %ve = qopt.add %v, %eps : (tensor<1x4x1xf32>, tensor<f32>) -> tensor<1x4x1xf32>
  %s = qopt.sqrt %ve : (tensor<1x4x1xf32>) -> tensor<1x4x1xf32>
  %n = qopt.div %d, %s : (tensor<1x4x8xf32>, tensor<1x4x1xf32>) -> tensor<1x4x8xf32>
  %g = qopt.constant dense<1.5> : tensor<8xf32>
  %y = qopt.mul %n, %g : (tensor<1x4x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  %b = qopt.constant dense<0.5> : tensor<8xf32>
  %z = qopt.add %y, %b : (tensor<1x4x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  return %z : tensor<1x4x8xf32>
}

// -----

// Without affine parameters, d·d instead of d², epsilon on the left: the
// scale becomes ones.
// CHECK-LABEL: func.func @layer_norm_plain
// CHECK: %[[ONES:.*]] = qopt.constant dense<1.000000e+00> : tensor<8xf32>
// CHECK: qopt.layer_norm %{{.*}}, %[[ONES]] {axis = 1 : i64, epsilon = 1.000000e-03 : f32} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
func.func @layer_norm_plain(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %m = qopt.reduce mean %x {axes = array<i64: 1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d = qopt.sub %x, %m : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %p = qopt.mul %d, %d : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %v = qopt.reduce mean %p {axes = array<i64: 1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %eps = qopt.constant dense<1.0e-3> : tensor<f32>
  %ve = qopt.add %eps, %v : (tensor<f32>, tensor<2x1xf32>) -> tensor<2x1xf32>
  %s = qopt.sqrt %ve : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %n = qopt.div %d, %s : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %n : tensor<2x8xf32>
}

// -----

// Normalising over a non-trailing axis is not a LayerNorm.
// CHECK-LABEL: func.func @not_layer_norm_leading_axis
// CHECK-NOT: qopt.layer_norm
// CHECK: qopt.div
func.func @not_layer_norm_leading_axis(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %m = qopt.reduce mean %x {axes = array<i64: 0>} : (tensor<2x8xf32>) -> tensor<1x8xf32>
  %d = qopt.sub %x, %m : (tensor<2x8xf32>, tensor<1x8xf32>) -> tensor<2x8xf32>
  %p = qopt.mul %d, %d : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %v = qopt.reduce mean %p {axes = array<i64: 0>} : (tensor<2x8xf32>) -> tensor<1x8xf32>
  %eps = qopt.constant dense<1.0e-3> : tensor<f32>
  %ve = qopt.add %v, %eps : (tensor<1x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  %s = qopt.sqrt %ve : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %n = qopt.div %d, %s : (tensor<2x8xf32>, tensor<1x8xf32>) -> tensor<2x8xf32>
  return %n : tensor<2x8xf32>
}

// -----

// Exact GELU as torch exports it: Div(x, √2) → Erf → Add 1 → Mul x → Mul 0.5.
// CHECK-LABEL: func.func @gelu_erf
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[Y:.*]] = qopt.gelu %[[X]] : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT: return %[[Y]]
func.func @gelu_erf(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = qopt.constant dense<1.41421354> : tensor<f32>
  %a = qopt.div %x, %c : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %e = qopt.erf %a : (tensor<4xf32>) -> tensor<4xf32>
  %one = qopt.constant dense<1.0> : tensor<f32>
  %p = qopt.add %e, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %m = qopt.mul %x, %p : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %h = qopt.constant dense<0.5> : tensor<f32>
  %r = qopt.mul %m, %h : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// The other order, (0.5·x)·(1 + Erf(x·1/√2)).
// CHECK-LABEL: func.func @gelu_erf_reordered
// CHECK: qopt.gelu %arg0 : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NOT: qopt.erf
func.func @gelu_erf_reordered(%x: tensor<4xf32>) -> tensor<4xf32> {
  %h = qopt.constant dense<0.5> : tensor<f32>
  %hx = qopt.mul %h, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %c = qopt.constant dense<0.707106769> : tensor<f32>
  %a = qopt.mul %x, %c : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %e = qopt.erf %a : (tensor<4xf32>) -> tensor<4xf32>
  %one = qopt.constant dense<1.0> : tensor<f32>
  %p = qopt.add %one, %e : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %r = qopt.mul %hx, %p : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// The tanh approximation.
// CHECK-LABEL: func.func @gelu_tanh
// CHECK: qopt.gelu %arg0 {approximation = #qopt<gelu_approximation tanh>} : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NOT: qopt.tanh
func.func @gelu_tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  %three = qopt.constant dense<3.0> : tensor<f32>
  %x3 = qopt.pow %x, %three : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %k = qopt.constant dense<0.044715> : tensor<f32>
  %kx3 = qopt.mul %x3, %k : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %s = qopt.add %x, %kx3 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %c = qopt.constant dense<0.797884583> : tensor<f32>
  %cs = qopt.mul %s, %c : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %t = qopt.tanh %cs : (tensor<4xf32>) -> tensor<4xf32>
  %one = qopt.constant dense<1.0> : tensor<f32>
  %p = qopt.add %t, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %m = qopt.mul %x, %p : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %h = qopt.constant dense<0.5> : tensor<f32>
  %r = qopt.mul %m, %h : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A wrong constant (0.6 instead of 0.5) is not GELU.
// CHECK-LABEL: func.func @not_gelu
// CHECK-NOT: qopt.gelu
// CHECK: qopt.erf
func.func @not_gelu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = qopt.constant dense<1.41421354> : tensor<f32>
  %a = qopt.div %x, %c : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %e = qopt.erf %a : (tensor<4xf32>) -> tensor<4xf32>
  %one = qopt.constant dense<1.0> : tensor<f32>
  %p = qopt.add %e, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %m = qopt.mul %x, %p : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %h = qopt.constant dense<0.6> : tensor<f32>
  %r = qopt.mul %m, %h : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @softmax_stable
// CHECK: qopt.softmax %arg0 {axis = 1 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
// CHECK-NOT: qopt.exp
func.func @softmax_stable(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %mx = qopt.reduce max %x {axes = array<i64: 1>} : (tensor<2x5xf32>) -> tensor<2x1xf32>
  %d = qopt.sub %x, %mx : (tensor<2x5xf32>, tensor<2x1xf32>) -> tensor<2x5xf32>
  %e = qopt.exp %d : (tensor<2x5xf32>) -> tensor<2x5xf32>
  %s = qopt.reduce sum %e {axes = array<i64: 1>} : (tensor<2x5xf32>) -> tensor<2x1xf32>
  %r = qopt.div %e, %s : (tensor<2x5xf32>, tensor<2x1xf32>) -> tensor<2x5xf32>
  return %r : tensor<2x5xf32>
}

// -----

// Without the max subtraction, on axis 0.
// CHECK-LABEL: func.func @softmax_plain
// CHECK: qopt.softmax %arg0 {axis = 0 : i64}
func.func @softmax_plain(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %e = qopt.exp %x : (tensor<2x5xf32>) -> tensor<2x5xf32>
  %s = qopt.reduce sum %e {axes = array<i64: 0>} : (tensor<2x5xf32>) -> tensor<1x5xf32>
  %r = qopt.div %e, %s : (tensor<2x5xf32>, tensor<1x5xf32>) -> tensor<2x5xf32>
  return %r : tensor<2x5xf32>
}

// -----

// A sum over two axes is not a single-axis softmax.
// CHECK-LABEL: func.func @not_softmax_two_axes
// CHECK-NOT: qopt.softmax
func.func @not_softmax_two_axes(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %e = qopt.exp %x : (tensor<2x5xf32>) -> tensor<2x5xf32>
  %s = qopt.reduce sum %e {axes = array<i64: 0, 1>} : (tensor<2x5xf32>) -> tensor<1x1xf32>
  %r = qopt.div %e, %s : (tensor<2x5xf32>, tensor<1x1xf32>) -> tensor<2x5xf32>
  return %r : tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @hard_sigmoid_mul
// CHECK: qopt.hard_sigmoid %arg0 {alpha = 0.166666672 : f32} : (tensor<4xf32>) -> tensor<4xf32>
func.func @hard_sigmoid_mul(%x: tensor<4xf32>) -> tensor<4xf32> {
  %three = qopt.constant dense<3.0> : tensor<f32>
  %a = qopt.add %three, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %c = qopt.clamp %a {min = 0.0 : f32, max = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %sixth = qopt.constant dense<0.166666672> : tensor<f32>
  %r = qopt.mul %c, %sixth : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// x · Relu6(x + 3) / 6, as MobileNetV3 exports write it.
// CHECK-LABEL: func.func @hard_swish_div
// CHECK: %[[Y:.*]] = qopt.hard_swish %arg0 : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT: return %[[Y]]
func.func @hard_swish_div(%x: tensor<4xf32>) -> tensor<4xf32> {
  %three = qopt.constant dense<3.0> : tensor<f32>
  %a = qopt.add %x, %three : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %c = qopt.clamp %a {min = 0.0 : f32, max = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %m = qopt.mul %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %six = qopt.constant dense<6.0> : tensor<f32>
  %r = qopt.div %m, %six : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// x · HardSigmoid(x) with ONNX's HardSwish constants.
// CHECK-LABEL: func.func @hard_swish_of_hard_sigmoid
// CHECK: qopt.hard_swish %arg0
// CHECK-NOT: qopt.hard_sigmoid
func.func @hard_swish_of_hard_sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %h = qopt.hard_sigmoid %x {alpha = 0.166666672 : f32, beta = 0.5 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %r = qopt.mul %h, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A clamp to [0, 5] is not Relu6.
// CHECK-LABEL: func.func @not_hard_swish
// CHECK-NOT: qopt.hard_swish
// CHECK: qopt.div
func.func @not_hard_swish(%x: tensor<4xf32>) -> tensor<4xf32> {
  %three = qopt.constant dense<3.0> : tensor<f32>
  %a = qopt.add %x, %three : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %c = qopt.clamp %a {min = 0.0 : f32, max = 5.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %m = qopt.mul %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %six = qopt.constant dense<6.0> : tensor<f32>
  %r = qopt.div %m, %six : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
