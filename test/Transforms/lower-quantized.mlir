// qopt-lower-quantized: quant-typed graph ops -> integer ops on storage.
// Dyadic multipliers (Dyadic.h): r = f·2^e with f in [0.5, 1),
// m = rne(f·2^31), shift = 31 - e.
// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-lower-quantized))' -split-input-file | FileCheck %s

!x = !quant.uniform<i8:f32, 0.5:-3>
!w = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!b = !quant.uniform<i32:f32:0, {0.125, 0.0625}>
!y = !quant.uniform<i8:f32, 0.75:5>

// conv2d: s_in·s_w/s_out = 0.5·0.25/0.75 = 1/6 = (2/3)·2^-2 and 1/12 = (2/3)·2^-3:
// m = rne(2^31·2/3) = 1431655765, shifts 33 and 34, per channel on axis 1.
// CHECK-LABEL: func.func @conv(
// CHECK-SAME:    %[[X:[a-zA-Z0-9_]+]]: tensor<1x2x3x3xf32>
// CHECK:         %[[Q:.+]] = qopt.quantize %[[X]]
// CHECK-DAG:     %[[XS:.+]] = quant.scast %[[Q]] : tensor<1x2x3x3x!quant.uniform<i8:f32, 5.000000e-01:-3>> to tensor<1x2x3x3xi8>
// CHECK-DAG:     %[[W:.+]] = qopt.constant dense<{{.*}}> : tensor<2x2x1x1xi8>{{$}}
// CHECK-DAG:     %[[B:.+]] = qopt.constant dense<[8, -16]> : tensor<2xi32>{{$}}
// CHECK:         %[[ACC:.+]] = qopt.int_conv2d %[[XS]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, input_zp = -3 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xi8>, tensor<2x2x1x1xi8>, tensor<2xi32>) -> tensor<1x2x3x3xi32>
// CHECK:         %[[R:.+]] = qopt.rescale %[[ACC]] {axis = 1 : i64, multiplier = array<i32: 1431655765, 1431655765>, output_zp = 5 : i64, qmax = 127 : i64, qmin = -128 : i64, shift = array<i32: 33, 34>} : (tensor<1x2x3x3xi32>) -> tensor<1x2x3x3xi8>
// CHECK:         %[[RQ:.+]] = quant.scast %[[R]] : tensor<1x2x3x3xi8> to tensor<1x2x3x3x!quant.uniform<i8:f32, 7.500000e-01:5>>
// CHECK:         qopt.dequantize %[[RQ]]
// CHECK-NOT:     qopt.conv2d
func.func @conv(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %q = qopt.quantize %x : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3x!x>
  %w = qopt.constant dense<[[[[1]], [[-2]]], [[[3]], [[-127]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!w>
  %b = qopt.constant dense<[8, -16]> : tensor<2xi32> -> tensor<2x!b>
  %y = qopt.conv2d %q, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3x!x>, tensor<2x2x1x1x!w>, tensor<2x!b>) -> tensor<1x2x3x3x!y>
  %d = qopt.dequantize %y : (tensor<1x2x3x3x!y>) -> tensor<1x2x3x3xf32>
  return %d : tensor<1x2x3x3xf32>
}

// -----

!x = !quant.uniform<i8:f32, 0.5:-3>
!w = !quant.uniform<i8<-127:127>:f32, 0.25>
!y = !quant.uniform<i8:f32, 1.0>
!z = !quant.uniform<i8:f32, 1.0:1>
!v = !quant.uniform<i8:f32, 0.25:2>

// matmul, per-tensor weights: 0.5·0.25/1 = 1/8 = 0.5·2^-2: m = 2^30, shift 33.
// add: 1/1 = 0.5·2^1 (m = 2^30, shift 30) and 0.25/1 = 0.5·2^-1 (shift 32).
// relu: identity rescale (2^30, 30) saturating at the zero point 1.
// clamp [0, 6] at s = 1, zp = 1: qmin = 1 + 0, qmax = 1 + 6.
// reshape and transpose run on the storage integers.
// CHECK-LABEL: func.func @matmul_add_relu(
// CHECK:         %[[MM:.+]] = qopt.int_matmul %{{.+}}, %{{.+}} {lhs_zp = -3 : i64} : (tensor<2x4xi8>, tensor<4x3xi8>) -> tensor<2x3xi32>
// CHECK:         %[[R:.+]] = qopt.rescale %[[MM]] {multiplier = array<i32: 1073741824>, qmax = 127 : i64, qmin = -128 : i64, shift = array<i32: 33>} : (tensor<2x3xi32>) -> tensor<2x3xi8>
// CHECK:         %[[A:.+]] = qopt.int_add %[[R]], %{{.+}} {lhs_multiplier = 1073741824 : i32, lhs_shift = 30 : i32, output_zp = 1 : i64, rhs_multiplier = 1073741824 : i32, rhs_shift = 32 : i32, rhs_zp = 2 : i64} : (tensor<2x3xi8>, tensor<2x3xi8>) -> tensor<2x3xi8>
// CHECK:         %[[U:.+]] = qopt.rescale %[[A]] {input_zp = 1 : i64, multiplier = array<i32: 1073741824>, output_zp = 1 : i64, qmax = 127 : i64, qmin = 1 : i64, shift = array<i32: 30>}
// CHECK:         %[[C:.+]] = qopt.rescale %[[U]] {input_zp = 1 : i64, multiplier = array<i32: 1073741824>, output_zp = 1 : i64, qmax = 7 : i64, qmin = 1 : i64, shift = array<i32: 30>}
// CHECK:         %[[S:.+]] = qopt.reshape %[[C]] : (tensor<2x3xi8>) -> tensor<3x2xi8>
// CHECK:         %[[T:.+]] = qopt.transpose %[[S]] {perm = array<i64: 1, 0>} : (tensor<3x2xi8>) -> tensor<2x3xi8>
// CHECK:         %[[TQ:.+]] = quant.scast %[[T]] : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32, 1.000000e+00:1>>
// CHECK:         qopt.dequantize %[[TQ]]
func.func @matmul_add_relu(%x: tensor<2x4xf32>, %v: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %q = qopt.quantize %x : (tensor<2x4xf32>) -> tensor<2x4x!x>
  %w = qopt.constant dense<1> : tensor<4x3xi8> -> tensor<4x3x!w>
  %m = qopt.matmul %q, %w : (tensor<2x4x!x>, tensor<4x3x!w>) -> tensor<2x3x!y>
  %qv = qopt.quantize %v : (tensor<2x3xf32>) -> tensor<2x3x!v>
  %a = qopt.add %m, %qv : (tensor<2x3x!y>, tensor<2x3x!v>) -> tensor<2x3x!z>
  %r = qopt.relu %a : (tensor<2x3x!z>) -> tensor<2x3x!z>
  %c = qopt.clamp %r {min = 0.0 : f32, max = 6.0 : f32} : (tensor<2x3x!z>) -> tensor<2x3x!z>
  %s = qopt.reshape %c : (tensor<2x3x!z>) -> tensor<3x2x!z>
  %t = qopt.transpose %s {perm = array<i64: 1, 0>} : (tensor<3x2x!z>) -> tensor<2x3x!z>
  %d = qopt.dequantize %t : (tensor<2x3x!z>) -> tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

// -----

!x = !quant.uniform<i8:f32, 0.5:-3>
!w = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!b = !quant.uniform<i32:f32:0, {0.125, 0.0625}>
!y = !quant.uniform<i8:f32, 0.5:-3>
!o = !quant.uniform<i8:f32, 1.0:4>

// gemm with trans_b: the weights are transposed on storage, the bias row is
// broadcast to 2x2 and added in i32; rescale per channel on the last axis:
// 0.5·0.25/0.5 = 0.25 (m = 2^30, shift 32), 0.125 (shift 33).
// requantize (as qopt-quantize puts before a concat input of another
// type): 0.5/1 = 0.5·2^0, m = 2^30, shift 31, zero points -3 -> 4; the
// concat then joins storage integers of one type.
// global_avg_pool2d -> int_avg_pool2d over the whole 2x2 plane.
// CHECK-LABEL: func.func @gemm_concat(
// CHECK:         %[[WT:.+]] = qopt.transpose %{{.+}} {perm = array<i64: 1, 0>} : (tensor<2x2xi8>) -> tensor<2x2xi8>
// CHECK:         %[[MM:.+]] = qopt.int_matmul %{{.+}}, %[[WT]] {lhs_zp = -3 : i64}
// CHECK:         %[[BR:.+]] = qopt.constant dense_resource<{{qbias_rows[_0-9]*}}> : tensor<2x2xi32>
// CHECK:         %[[SUM:.+]] = arith.addi %[[MM]], %[[BR]] : tensor<2x2xi32>
// CHECK:         %[[G:.+]] = qopt.rescale %[[SUM]] {axis = 1 : i64, multiplier = array<i32: 1073741824, 1073741824>, output_zp = -3 : i64, qmax = 127 : i64, qmin = -128 : i64, shift = array<i32: 32, 33>}
// CHECK:         %[[AL:.+]] = qopt.rescale %[[G]] {input_zp = -3 : i64, multiplier = array<i32: 1073741824>, output_zp = 4 : i64, qmax = 127 : i64, qmin = -128 : i64, shift = array<i32: 31>} : (tensor<2x2xi8>) -> tensor<2x2xi8>
// CHECK:         %[[CAT:.+]] = qopt.concat %[[AL]], %{{.+}} {axis = 0 : i64} : (tensor<2x2xi8>, tensor<2x2xi8>) -> tensor<4x2xi8>
// CHECK:         %[[RQ:.+]] = qopt.rescale %{{.+}} {input_zp = -3 : i64, multiplier = array<i32: 1073741824>, output_zp = 4 : i64, qmax = 127 : i64, qmin = -128 : i64, shift = array<i32: 31>} : (tensor<1x1x2x2xi8>) -> tensor<1x1x2x2xi8>
// CHECK:         qopt.int_avg_pool2d %[[RQ]] {input_zp = 4 : i64, kernel = array<i64: 2, 2>, output_zp = 4 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xi8>) -> tensor<1x1x1x1xi8>
// CHECK:       dialect_resources: {
// Bias rows [8, -16] twice.
// CHECK:         qbias_rows{{[_0-9]*}}: "0x0400000008000000F0FFFFFF08000000F0FFFFFF"
func.func @gemm_concat(%x: tensor<2x2xf32>, %o: tensor<2x2xf32>, %p: tensor<1x1x2x2xf32>) -> (tensor<4x2xf32>, tensor<1x1x1x1xf32>) {
  %q = qopt.quantize %x : (tensor<2x2xf32>) -> tensor<2x2x!x>
  %w = qopt.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8> -> tensor<2x2x!w>
  %b = qopt.constant dense<[8, -16]> : tensor<2xi32> -> tensor<2x!b>
  %g = qopt.gemm %q, %w, %b {trans_b = true} : (tensor<2x2x!x>, tensor<2x2x!w>, tensor<2x!b>) -> tensor<2x2x!y>
  %qo = qopt.quantize %o : (tensor<2x2xf32>) -> tensor<2x2x!o>
  %gr = qopt.requantize %g : (tensor<2x2x!y>) -> tensor<2x2x!o>
  %c = qopt.concat %gr, %qo {axis = 0 : i64} : (tensor<2x2x!o>, tensor<2x2x!o>) -> tensor<4x2x!o>
  %d = qopt.dequantize %c : (tensor<4x2x!o>) -> tensor<4x2xf32>
  %qp = qopt.quantize %p : (tensor<1x1x2x2xf32>) -> tensor<1x1x2x2x!y>
  %rq = qopt.requantize %qp : (tensor<1x1x2x2x!y>) -> tensor<1x1x2x2x!o>
  %gp = qopt.global_avg_pool2d %rq : (tensor<1x1x2x2x!o>) -> tensor<1x1x1x1x!o>
  %dp = qopt.dequantize %gp : (tensor<1x1x1x1x!o>) -> tensor<1x1x1x1xf32>
  return %d, %dp : tensor<4x2xf32>, tensor<1x1x1x1xf32>
}

// -----

// mul by a quantized constant of stored 1s at scale 0.125 (c = 0.125):
// one rescale by s_in·c/s_out = 0.5·0.125/0.25 = 0.25 = 2^30/2^32.
!a = !quant.uniform<i8:f32, 0.5:-3>
!b = !quant.uniform<i8:f32, 0.25:2>
!c = !quant.uniform<i8:f32, 0.125>
// CHECK-LABEL: func.func @scalar_mul(
// CHECK:         %[[XS:.+]] = quant.scast %{{.+}} : tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>> to tensor<2x3xi8>
// CHECK:         %[[R:.+]] = qopt.rescale %[[XS]] {input_zp = -3 : i64, multiplier = array<i32: 1073741824>, output_zp = 2 : i64, qmax = 127 : i64, qmin = -128 : i64, shift = array<i32: 32>} : (tensor<2x3xi8>) -> tensor<2x3xi8>
// CHECK:         quant.scast %[[R]] : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32, 2.500000e-01:2>>
// CHECK-NOT:     qopt.mul
func.func @scalar_mul(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %q = qopt.quantize %x : (tensor<2x3xf32>) -> tensor<2x3x!a>
  %c = qopt.constant dense<1> : tensor<i8> -> tensor<!c>
  %m = qopt.mul %q, %c : (tensor<2x3x!a>, tensor<!c>) -> tensor<2x3x!b>
  %d = qopt.dequantize %m : (tensor<2x3x!b>) -> tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

// -----

// A constant whose stored values are 3 with zero point 1 at scale 0.5:
// c = (3 - 1)·0.5 = 1, ratio 0.5·1/0.25 = 2 = 2^30/2^29.
!a = !quant.uniform<i8:f32, 0.5:-3>
!b = !quant.uniform<i8:f32, 0.25:2>
!c = !quant.uniform<i8:f32, 0.5:1>
// CHECK-LABEL: func.func @scalar_mul_zero_point(
// CHECK:         qopt.rescale %{{.+}} {input_zp = -3 : i64, multiplier = array<i32: 1073741824>, output_zp = 2 : i64, qmax = 127 : i64, qmin = -128 : i64, shift = array<i32: 29>}
func.func @scalar_mul_zero_point(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %q = qopt.quantize %x : (tensor<2x3xf32>) -> tensor<2x3x!a>
  %c = qopt.constant dense<3> : tensor<1xi8> -> tensor<1x!c>
  %m = qopt.mul %q, %c : (tensor<2x3x!a>, tensor<1x!c>) -> tensor<2x3x!b>
  %d = qopt.dequantize %m : (tensor<2x3x!b>) -> tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

// -----

// reduce mean over axis 1 of 2x3x4: the reduced dim moves last (perm
// 0, 2, 1), the 2·4 kept elements become channels of a [1, 8, 3, 1] image
// pooled by a [3, 1] window with the type's zero point on both sides.
!a = !quant.uniform<i8:f32, 0.5:-3>
// CHECK-LABEL: func.func @reduce_mean(
// CHECK:         %[[XS:.+]] = quant.scast %{{.+}} to tensor<2x3x4xi8>
// CHECK:         %[[T:.+]] = qopt.transpose %[[XS]] {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xi8>) -> tensor<2x4x3xi8>
// CHECK:         %[[V:.+]] = qopt.reshape %[[T]] : (tensor<2x4x3xi8>) -> tensor<1x8x3x1xi8>
// CHECK:         %[[P:.+]] = qopt.int_avg_pool2d %[[V]] {input_zp = -3 : i64, kernel = array<i64: 3, 1>, output_zp = -3 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x3x1xi8>) -> tensor<1x8x1x1xi8>
// CHECK:         %[[O:.+]] = qopt.reshape %[[P]] : (tensor<1x8x1x1xi8>) -> tensor<2x4xi8>
// CHECK:         quant.scast %[[O]] : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK-NOT:     qopt.reduce
func.func @reduce_mean(%x: tensor<2x3x4xf32>) -> tensor<2x4xf32> {
  %q = qopt.quantize %x : (tensor<2x3x4xf32>) -> tensor<2x3x4x!a>
  %m = qopt.reduce mean %q {axes = array<i64: 1>, keep_dims = false} : (tensor<2x3x4x!a>) -> tensor<2x4x!a>
  %d = qopt.dequantize %m : (tensor<2x4x!a>) -> tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}

// -----

// The reduced dim is already last: no transpose.
!a = !quant.uniform<i8:f32, 0.5:-3>
// CHECK-LABEL: func.func @reduce_mean_last(
// CHECK-NOT:     qopt.transpose
// CHECK:         qopt.reshape %{{.+}} : (tensor<2x3x4xi8>) -> tensor<1x6x4x1xi8>
// CHECK:         qopt.int_avg_pool2d %{{.+}} kernel = array<i64: 4, 1>
// CHECK:         qopt.reshape %{{.+}} : (tensor<1x6x1x1xi8>) -> tensor<2x3x1xi8>
func.func @reduce_mean_last(%x: tensor<2x3x4xf32>) -> tensor<2x3x1xf32> {
  %q = qopt.quantize %x : (tensor<2x3x4xf32>) -> tensor<2x3x4x!a>
  %m = qopt.reduce mean %q {axes = array<i64: 2>, keep_dims = true} : (tensor<2x3x4x!a>) -> tensor<2x3x1x!a>
  %d = qopt.dequantize %m : (tensor<2x3x1x!a>) -> tensor<2x3x1xf32>
  return %d : tensor<2x3x1xf32>
}

// -----

// gather of constant rows moves storage integers.
!a = !quant.uniform<i8:f32, 0.5:-3>
// CHECK-LABEL: func.func @gather(
// CHECK:         %[[XS:.+]] = quant.scast %{{.+}} to tensor<3x2x4xi8>
// CHECK:         %[[G:.+]] = qopt.gather %[[XS]], %{{.+}} {axis = 0 : i64} : (tensor<3x2x4xi8>, tensor<i64>) -> tensor<2x4xi8>
// CHECK:         quant.scast %[[G]] : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
func.func @gather(%x: tensor<3x2x4xf32>) -> tensor<2x4xf32> {
  %q = qopt.quantize %x : (tensor<3x2x4xf32>) -> tensor<3x2x4x!a>
  %i = qopt.constant dense<2> : tensor<i64>
  %g = qopt.gather %q, %i {axis = 0 : i64} : (tensor<3x2x4x!a>, tensor<i64>) -> tensor<2x4x!a>
  %d = qopt.dequantize %g : (tensor<2x4x!a>) -> tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}
