// Round trip of qopt.quantize, qopt.dequantize and qopt.requantize with
// per-tensor and per-axis quantized types, through the custom and the generic
// form.
// RUN: qopt-opt %s | qopt-opt | FileCheck %s
// RUN: qopt-opt %s -mlir-print-op-generic | qopt-opt | FileCheck %s

// CHECK-LABEL: func.func @quantize(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.quantize %[[X]] : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK:         return %[[V0]] : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
func.func @quantize(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>> {
  %0 = qopt.quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
}

// Per-axis along dim 0.
// CHECK-LABEL: func.func @quantize_per_axis(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.quantize %[[X]] : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
// CHECK:         return %[[V0]] : tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
func.func @quantize_per_axis(%x: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>> {
  %0 = qopt.quantize %x : (tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  return %0 : tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
}

// Per-axis along dim 1 with zero points, a narrowed storage range and f16.
// CHECK-LABEL: func.func @quantize_per_axis_zp(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf16>) -> tensor<2x3x!quant.uniform<u8<1:255>:f16:1, {5.000000e-01:128,2.500000e-01:127,1.000000e+00:129}>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.quantize %[[X]] : (tensor<2x3xf16>) -> tensor<2x3x!quant.uniform<u8<1:255>:f16:1, {5.000000e-01:128,2.500000e-01:127,1.000000e+00:129}>>
// CHECK:         return %[[V0]] : tensor<2x3x!quant.uniform<u8<1:255>:f16:1, {5.000000e-01:128,2.500000e-01:127,1.000000e+00:129}>>
func.func @quantize_per_axis_zp(%x: tensor<2x3xf16>) -> tensor<2x3x!quant.uniform<u8<1:255>:f16:1, {0.5:128, 0.25:127, 1.0:129}>> {
  %0 = qopt.quantize %x : (tensor<2x3xf16>) -> tensor<2x3x!quant.uniform<u8<1:255>:f16:1, {0.5:128, 0.25:127, 1.0:129}>>
  return %0 : tensor<2x3x!quant.uniform<u8<1:255>:f16:1, {0.5:128, 0.25:127, 1.0:129}>>
}

// A rank-0 tensor, 16-bit storage.
// CHECK-LABEL: func.func @quantize_scalar(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<f32>) -> tensor<!quant.uniform<i16:f32, 1.000000e-03>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.quantize %[[X]] : (tensor<f32>) -> tensor<!quant.uniform<i16:f32, 1.000000e-03>>
// CHECK:         return %[[V0]] : tensor<!quant.uniform<i16:f32, 1.000000e-03>>
func.func @quantize_scalar(%x: tensor<f32>) -> tensor<!quant.uniform<i16:f32, 0.001>> {
  %0 = qopt.quantize %x : (tensor<f32>) -> tensor<!quant.uniform<i16:f32, 0.001>>
  return %0 : tensor<!quant.uniform<i16:f32, 0.001>>
}

// CHECK-LABEL: func.func @dequantize(
// CHECK-SAME:    %[[Q:[a-zA-Z0-9_]+]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4xf32>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.dequantize %[[Q]] : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4xf32>
// CHECK:         return %[[V0]] : tensor<4xf32>
func.func @dequantize(%q: tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4xf32> {
  %0 = qopt.dequantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @dequantize_per_axis(
// CHECK-SAME:    %[[Q:[a-zA-Z0-9_]+]]: tensor<2x3x!quant.uniform<i8:f32:1, {5.000000e-01,2.500000e-01,1.250000e-01}>>) -> tensor<2x3xf32>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.dequantize %[[Q]] : (tensor<2x3x!quant.uniform<i8:f32:1, {5.000000e-01,2.500000e-01,1.250000e-01}>>) -> tensor<2x3xf32>
// CHECK:         return %[[V0]] : tensor<2x3xf32>
func.func @dequantize_per_axis(%q: tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>) -> tensor<2x3xf32> {
  %0 = qopt.dequantize %q : (tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 0.125}>>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Changes scale, zero point and storage type.
// CHECK-LABEL: func.func @requantize(
// CHECK-SAME:    %[[Q:[a-zA-Z0-9_]+]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<u8:f32, 2.500000e-01:128>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.requantize %[[Q]] : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<u8:f32, 2.500000e-01:128>>
// CHECK:         return %[[V0]] : tensor<4x!quant.uniform<u8:f32, 2.500000e-01:128>>
func.func @requantize(%q: tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4x!quant.uniform<u8:f32, 0.25:128>> {
  %0 = qopt.requantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4x!quant.uniform<u8:f32, 0.25:128>>
  return %0 : tensor<4x!quant.uniform<u8:f32, 0.25:128>>
}

// Per-axis to per-tensor.
// CHECK-LABEL: func.func @requantize_per_axis(
// CHECK-SAME:    %[[Q:[a-zA-Z0-9_]+]]: tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>) -> tensor<2x3x!quant.uniform<i8:f32, 1.250000e-01>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.requantize %[[Q]] : (tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>) -> tensor<2x3x!quant.uniform<i8:f32, 1.250000e-01>>
// CHECK:         return %[[V0]] : tensor<2x3x!quant.uniform<i8:f32, 1.250000e-01>>
func.func @requantize_per_axis(%q: tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.125>> {
  %0 = qopt.requantize %q : (tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.125>>
  return %0 : tensor<2x3x!quant.uniform<i8:f32, 0.125>>
}

// Same type in and out is valid (it folds away under -canonicalize).
// CHECK-LABEL: func.func @requantize_identity(
// CHECK-SAME:    %[[Q:[a-zA-Z0-9_]+]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.requantize %[[Q]] : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK:         return %[[V0]] : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
func.func @requantize_identity(%q: tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>> {
  %0 = qopt.requantize %q : (tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
}

// 4-bit storage over bf16, with a discardable attribute.
// CHECK-LABEL: func.func @round_trip(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x4xbf16>) -> tensor<1x4xbf16>
// CHECK:         %[[V0:[a-zA-Z0-9_]+]] = qopt.quantize %[[X]] {qopt.bits = 4 : i64} : (tensor<1x4xbf16>) -> tensor<1x4x!quant.uniform<i4:bf16, 5.000000e-01>>
// CHECK:         %[[V1:[a-zA-Z0-9_]+]] = qopt.dequantize %[[V0]] : (tensor<1x4x!quant.uniform<i4:bf16, 5.000000e-01>>) -> tensor<1x4xbf16>
// CHECK:         return %[[V1]] : tensor<1x4xbf16>
func.func @round_trip(%x: tensor<1x4xbf16>) -> tensor<1x4xbf16> {
  %0 = qopt.quantize %x {qopt.bits = 4 : i64} : (tensor<1x4xbf16>) -> tensor<1x4x!quant.uniform<i4:bf16, 0.5>>
  %1 = qopt.dequantize %0 : (tensor<1x4x!quant.uniform<i4:bf16, 0.5>>) -> tensor<1x4xbf16>
  return %1 : tensor<1x4xbf16>
}

// Dynamic quantization: uint8 bits in i8 tensors and a run-time scale.
// CHECK-LABEL: func.func @dynamic_quantize(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<2x3xf32>)
// CHECK:         %[[Y:[a-zA-Z0-9_]+]], %[[S:[a-zA-Z0-9_]+]], %[[Z:[a-zA-Z0-9_]+]] = qopt.dynamic_quantize %[[X]] : (tensor<2x3xf32>) -> (tensor<2x3xi8>, tensor<f32>, tensor<i8>)
// CHECK:         return %[[Y]], %[[S]], %[[Z]] : tensor<2x3xi8>, tensor<f32>, tensor<i8>
func.func @dynamic_quantize(%x: tensor<2x3xf32>) -> (tensor<2x3xi8>, tensor<f32>, tensor<i8>) {
  %y, %s, %z = qopt.dynamic_quantize %x : (tensor<2x3xf32>) -> (tensor<2x3xi8>, tensor<f32>, tensor<i8>)
  return %y, %s, %z : tensor<2x3xi8>, tensor<f32>, tensor<i8>
}
