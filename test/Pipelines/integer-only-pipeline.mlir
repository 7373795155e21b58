// qopt-integer-only-pipeline: qopt-quantize{integer-only}, qopt-integer-only,
// qopt-lower-quantized and qopt-verify-integer-only on a calibrated graph.
// Every float op between the input quantize and the output dequantize
// becomes an integer op; a graph with an op the pipeline cannot make
// integer fails in the verifier at that op.
// RUN: qopt-opt %s --pass-pipeline='builtin.module(qopt-integer-only-pipeline)' -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @block(
// CHECK:         qopt.quantize %arg0
// CHECK:         qopt.rescale
// CHECK:         qopt.shiftmax
// CHECK:         qopt.shift_gelu
// CHECK:         qopt.int_layernorm
// CHECK:         qopt.int_add
// CHECK:         qopt.gather {{.*}} -> tensor<4x8xi8>
// CHECK:         qopt.int_avg_pool2d
// CHECK:         qopt.dequantize
// CHECK-NEXT:    return
// CHECK-NOT:     qopt.mul
// CHECK-NOT:     qopt.softmax
// CHECK-NOT:     qopt.gelu
// CHECK-NOT:     qopt.layer_norm
// CHECK-NOT:     qopt.reduce
func.func @block(%x: tensor<1x4x8xf32> {qopt.calib = {lo = -2.0 : f64, hi = 2.0 : f64}}) -> tensor<1x8xf32> {
  %c = qopt.constant dense<2.500000e-01> : tensor<f32>
  %m = qopt.mul %x, %c {qopt.calib = [{lo = -0.5 : f64, hi = 0.5 : f64}]} : (tensor<1x4x8xf32>, tensor<f32>) -> tensor<1x4x8xf32>
  %s = qopt.softmax %m {axis = 2 : i64, qopt.calib = [{lo = 0.0 : f64, hi = 1.0 : f64}]} : (tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  %g = qopt.gelu %s {qopt.calib = [{lo = -0.17 : f64, hi = 0.9 : f64}]} : (tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  %w = qopt.constant dense<1.0> : tensor<8xf32>
  %b = qopt.constant dense<0.5> : tensor<8xf32>
  %n = qopt.layer_norm %g, %w, %b {axis = 2 : i64, qopt.calib = [{lo = -3.0 : f64, hi = 3.0 : f64}]} : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  %i = qopt.constant dense<0> : tensor<i64>
  %r = qopt.gather %n, %i {axis = 0 : i64} : (tensor<1x4x8xf32>, tensor<i64>) -> tensor<4x8xf32>
  %e = qopt.reshape %r : (tensor<4x8xf32>) -> tensor<1x4x8xf32>
  %mean = qopt.reduce mean %e {axes = array<i64: 1>, keep_dims = false} : (tensor<1x4x8xf32>) -> tensor<1x8xf32>
  return %mean : tensor<1x8xf32>
}

// -----

// sigmoid is not quantized by any mode: it stays float between a dequantize
// and the return, and the verifier rejects it at its location.
func.func @sigmoid(%x: tensor<4xf32> {qopt.calib = {lo = -1.0 : f64, hi = 1.0 : f64}}) -> tensor<4xf32> {
  %r = qopt.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  // expected-error @+1 {{'qopt.sigmoid' computes with non-integer type 'tensor<4xf32>' in an integer-only function}}
  %s = qopt.sigmoid %r : (tensor<4xf32>) -> tensor<4xf32>
  return %s : tensor<4xf32>
}
