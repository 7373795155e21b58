// qopt-quantize{integer-only=1}: besides the contractions and the ops of the
// default mode, softmax, gelu, layer_norm, mul by a constant scalar, gather
// with constant indices and reduce mean get quantized types, so that no
// float island is left between dequantize and quantize. The default mode
// leaves those ops float.
// Asymmetric types from the recorded ranges (QuantParams.h):
//   s = (hi - lo)/255, zp = -128 - rne(lo/s).
//   [-2, 2]: s = 4/255 = 0.0156862..., zp = -128 - rne(-127.5) = 0
//   [-0.5, 0.5]: s = 1/255 = 0.0039215..., zp = 0
//   [0, 1]: s = 1/255, zp = -128
//   [-0.17, 0.9]: s = 1.07/255 = 0.0041960..., zp = -128 - rne(-40.51) = -87
//   [-3, 3]: s = 6/255 = 0.0235294..., zp = 0
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-quantize{integer-only=1}))' | FileCheck %s
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-quantize))' | FileCheck %s --check-prefix=DEFAULT
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-quantize{integer-only=1 fake-quant=1}))' | FileCheck %s --check-prefix=FAKE

// The mul's constant 0.25 becomes a stored 1 at scale 0.25 (blob 0x01);
// gather, reshape and reduce mean keep the layer_norm result's type; the
// layer_norm weight and bias stay float for qopt-integer-only.
// CHECK-LABEL: func.func @block(
// CHECK-DAG:     %[[Q:.+]] = qopt.quantize %arg0 : (tensor<1x4x8xf32>) -> tensor<1x4x8x!quant.uniform<i8:f32, 0.015686274509803{{[0-9]*}}>>
// CHECK-DAG:     %[[C:.+]] = qopt.constant dense_resource<[[CB:qfactor[_0-9]*]]> : tensor<i8> -> tensor<!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK:         %[[M:.+]] = qopt.mul %[[Q]], %[[C]] {{.*}} -> tensor<1x4x8x!quant.uniform<i8:f32, 0.0039215686274509{{[0-9]*}}>>
// CHECK:         %[[S:.+]] = qopt.softmax %[[M]] {{.*}} -> tensor<1x4x8x!quant.uniform<i8:f32, 0.0039215686274509{{[0-9]*}}:-128>>
// CHECK:         %[[G:.+]] = qopt.gelu %[[S]] {{.*}} -> tensor<1x4x8x!quant.uniform<i8:f32, 0.0041960784313725{{[0-9]*}}:-87>>
// CHECK:         %[[N:.+]] = qopt.layer_norm %[[G]], %{{.+}}, %{{.+}} {{.*}} : (tensor<1x4x8x!quant.uniform<i8:f32, 0.0041960784313725{{[0-9]*}}:-87>>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8x!quant.uniform<i8:f32, 0.023529411764705{{[0-9]*}}>>
// CHECK:         %[[GA:.+]] = qopt.gather %[[N]], %{{.+}} {{.*}} -> tensor<4x8x!quant.uniform<i8:f32, 0.023529411764705{{[0-9]*}}>>
// CHECK:         %[[R:.+]] = qopt.reshape %[[GA]] {{.*}} -> tensor<1x4x8x!quant.uniform<i8:f32, 0.023529411764705{{[0-9]*}}>>
// CHECK:         %[[MEAN:.+]] = qopt.reduce  mean %[[R]] {{.*}} -> tensor<1x8x!quant.uniform<i8:f32, 0.023529411764705{{[0-9]*}}>>
// CHECK:         %[[D:.+]] = qopt.dequantize %[[MEAN]]
// CHECK:         return %[[D]]
// CHECK:         [[CB]]: "0x0800000001"

// DEFAULT-LABEL: func.func @block(
// DEFAULT-NOT:   quant.uniform
// DEFAULT:       qopt.softmax {{.*}} -> tensor<1x4x8xf32>
// DEFAULT:       qopt.layer_norm {{.*}} -> tensor<1x4x8xf32>

// Fake-quant: the same ops, on float values between quantize/dequantize pairs.
// FAKE-LABEL: func.func @block(
// FAKE:         qopt.mul {{.*}} -> tensor<1x4x8xf32>
// FAKE-NEXT:    qopt.quantize {{.*}} -> tensor<1x4x8x!quant.uniform<i8:f32, 0.0039215686274509{{[0-9]*}}>>
// FAKE-NEXT:    qopt.dequantize
// FAKE-NEXT:    qopt.softmax {{.*}} -> tensor<1x4x8xf32>
// FAKE-NEXT:    qopt.quantize {{.*}} -> tensor<1x4x8x!quant.uniform<i8:f32, 0.0039215686274509{{[0-9]*}}:-128>>
// Attention-style block: scaled scores, softmax, gelu, layer_norm, a gather
// of constant rows and a mean over tokens, each with a recorded range.
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
