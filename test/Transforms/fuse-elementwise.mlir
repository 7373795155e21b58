// RUN: qopt-opt %s --pass-pipeline='builtin.module(func.func(qopt-fuse-elementwise))' | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// bias add -> relu becomes one generic.
// CHECK-LABEL: func.func @bias_relu
// CHECK:         linalg.generic
// CHECK:           arith.addf
// CHECK:           arith.maximumf
// CHECK-NOT:     linalg.generic
func.func @bias_relu(%x: tensor<4x8xf32>, %bias: tensor<8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %bias : tensor<4x8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// An elementwise producer of a matmul is not fused into it (upstream's pass
// would generalize the matmul and recompute the divide per multiply-add).
// CHECK-LABEL: func.func @into_matmul
// CHECK:         linalg.generic
// CHECK:           arith.divf
// CHECK:         linalg.matmul
func.func @into_matmul(%x: tensor<4x8xf32>, %w: tensor<8x3xf32>, %acc: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %two = arith.constant 2.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.divf %a, %two : f32
    linalg.yield %d : f32
  } -> tensor<4x8xf32>
  %1 = linalg.matmul ins(%0, %w : tensor<4x8xf32>, tensor<8x3xf32>) outs(%acc : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %1 : tensor<4x3xf32>
}

// Nor into a reduction, and a producer with two users stays (fusing it
// would compute it twice).
// CHECK-LABEL: func.func @into_reduction_and_shared
// CHECK:         %[[P:.*]] = linalg.generic
// CHECK:           math.exp
// CHECK:         linalg.generic {{.*}}"reduction"
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[P]]
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[P]]
func.func @into_reduction_and_shared(%x: tensor<4x8xf32>, %init: tensor<4xf32>) -> (tensor<4xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = math.exp %a : f32
    linalg.yield %d : f32
  } -> tensor<4x8xf32>
  %sum = linalg.generic {indexing_maps = [#id, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%0 : tensor<4x8xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<4x8xf32>
  %2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.addf %a, %a : f32
    linalg.yield %n : f32
  } -> tensor<4x8xf32>
  return %sum, %1, %2 : tensor<4xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// A bias add that accumulates into its init (`out + bias`, the form the
// convolution lowering gives) fused with its clamp: the fused op would keep
// the dead biased result; instead the init becomes an input and the op
// has one result (one tensor stored, not two).
// CHECK-LABEL: func.func @dead_result_read_as_input
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK-SAME:      ins(%{{.*}}, %arg0 : tensor<8xf32>, tensor<4x8xf32>)
// CHECK-SAME:      outs(%{{.*}} : tensor<4x8xf32>)
// CHECK:         ^bb0(%[[B:.*]]: f32, %[[X:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[S:.*]] = arith.addf %[[X]], %[[B]]
// CHECK:           %[[M:.*]] = arith.maximumf %[[S]]
// CHECK:           linalg.yield %[[M]] : f32
// CHECK:         } -> tensor<4x8xf32>
// CHECK:         return %[[R]]
func.func @dead_result_read_as_input(%x: tensor<4x8xf32>, %bias: tensor<8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %0:2 = linalg.generic {indexing_maps = [#row, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%bias : tensor<8xf32>) outs(%x, %e : tensor<4x8xf32>, tensor<4x8xf32>) {
  ^bb0(%b: f32, %o: f32, %o2: f32):
    %s = arith.addf %o, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %s, %r : f32, f32
  } -> (tensor<4x8xf32>, tensor<4x8xf32>)
  return %0#1 : tensor<4x8xf32>
}

// The requantization of an int8 convolution's int32 result (kept for
// convert-linalg-to-qopt-runtime to fold into the kernel): an addition of a
// second tensor (a residual) does not join it, and reads its i8 result
// instead; the clamp after the addition joins the addition.
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv_requant_residual
// CHECK:         %[[C:.*]] = linalg.conv_2d_nchw_fchw_q
// CHECK:         %[[R:.*]] = linalg.generic {{.*}} ins(%[[C]] : tensor<1x2x4x4xi32>)
// CHECK:           arith.trunci
// CHECK:         linalg.generic {{.*}} ins(%[[R]], %{{.*}} : tensor<1x2x4x4xi8>, tensor<1x2x4x4xi8>)
// CHECK:           arith.addi
// CHECK:           arith.maxsi
// CHECK-NOT:     linalg.generic
func.func @conv_requant_residual(%x: tensor<1x3x6x6xi8>, %w: tensor<2x3x3x3xi8>, %res: tensor<1x2x4x4xi8>) -> tensor<1x2x4x4xi8> {
  %zp = arith.constant 0 : i32
  %c0 = arith.constant 0 : i32
  %lo = arith.constant 3 : i8
  %e32 = tensor.empty() : tensor<1x2x4x4xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e32 : tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi32>
  %c = linalg.conv_2d_nchw_fchw_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w, %zp, %zp : tensor<1x3x6x6xi8>, tensor<2x3x3x3xi8>, i32, i32) outs(%f : tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi32>
  %e8 = tensor.empty() : tensor<1x2x4x4xi8>
  %r = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c : tensor<1x2x4x4xi32>) outs(%e8 : tensor<1x2x4x4xi8>) {
  ^bb0(%a: i32, %o: i8):
    %t = arith.trunci %a : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x2x4x4xi8>
  %sum = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%r, %res : tensor<1x2x4x4xi8>, tensor<1x2x4x4xi8>) outs(%e8 : tensor<1x2x4x4xi8>) {
  ^bb0(%a: i8, %b: i8, %o: i8):
    %s = arith.addi %a, %b : i8
    linalg.yield %s : i8
  } -> tensor<1x2x4x4xi8>
  %relu = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sum : tensor<1x2x4x4xi8>) outs(%e8 : tensor<1x2x4x4xi8>) {
  ^bb0(%a: i8, %o: i8):
    %m = arith.maxsi %a, %lo : i8
    linalg.yield %m : i8
  } -> tensor<1x2x4x4xi8>
  return %relu : tensor<1x2x4x4xi8>
}

// Its clamp (one elementwise input) joins the requantization.
// CHECK-LABEL: func.func @conv_requant_relu
// CHECK:         %[[C:.*]] = linalg.conv_2d_nchw_fchw_q
// CHECK:         linalg.generic {{.*}} ins(%[[C]] : tensor<1x2x4x4xi32>)
// CHECK:           arith.trunci
// CHECK:           arith.maxsi
// CHECK-NOT:     linalg.generic
func.func @conv_requant_relu(%x: tensor<1x3x6x6xi8>, %w: tensor<2x3x3x3xi8>) -> tensor<1x2x4x4xi8> {
  %zp = arith.constant 0 : i32
  %c0 = arith.constant 0 : i32
  %lo = arith.constant 3 : i8
  %e32 = tensor.empty() : tensor<1x2x4x4xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e32 : tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi32>
  %c = linalg.conv_2d_nchw_fchw_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w, %zp, %zp : tensor<1x3x6x6xi8>, tensor<2x3x3x3xi8>, i32, i32) outs(%f : tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi32>
  %e8 = tensor.empty() : tensor<1x2x4x4xi8>
  %r = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c : tensor<1x2x4x4xi32>) outs(%e8 : tensor<1x2x4x4xi8>) {
  ^bb0(%a: i32, %o: i8):
    %t = arith.trunci %a : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x2x4x4xi8>
  %relu = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%r : tensor<1x2x4x4xi8>) outs(%e8 : tensor<1x2x4x4xi8>) {
  ^bb0(%a: i8, %o: i8):
    %m = arith.maxsi %a, %lo : i8
    linalg.yield %m : i8
  } -> tensor<1x2x4x4xi8>
  return %relu : tensor<1x2x4x4xi8>
}

// A matrix product's requantization (through the reshape of int_matmul's
// leading dims) takes the bias addition (one elementwise input and a
// per-channel vector) but not the dequantize and float op after it, whose
// loop reads its i8 result: the integer part folds into the kernel.
#row3 = affine_map<(d0, d1, d2) -> (d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul_requant_bias_then_float
// CHECK:         %[[C:.*]] = linalg.quantized_matmul
// CHECK:         %[[V:.*]] = tensor.expand_shape %[[C]]
// CHECK:         %[[R:.*]] = linalg.generic {{.*}} ins(%[[V]], %{{.*}} : tensor<1x4x3xi32>, tensor<3xi8>)
// CHECK:           arith.trunci
// CHECK:           arith.addi
// CHECK-NOT:       arith.sitofp
// CHECK:         linalg.generic {{.*}} ins(%[[R]] : tensor<1x4x3xi8>)
// CHECK:           arith.sitofp
// CHECK:           math.tanh
// CHECK-NOT:     linalg.generic
func.func @matmul_requant_bias_then_float(%x: tensor<4x8xi8>, %w: tensor<8x3xi8>, %b: tensor<3xi8>) -> tensor<1x4x3xf32> {
  %zp = arith.constant 0 : i32
  %c0 = arith.constant 0 : i32
  %e32 = tensor.empty() : tensor<4x3xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e32 : tensor<4x3xi32>) -> tensor<4x3xi32>
  %c = linalg.quantized_matmul ins(%x, %w, %zp, %zp : tensor<4x8xi8>, tensor<8x3xi8>, i32, i32) outs(%f : tensor<4x3xi32>) -> tensor<4x3xi32>
  %v = tensor.expand_shape %c [[0, 1], [2]] output_shape [1, 4, 3] : tensor<4x3xi32> into tensor<1x4x3xi32>
  %e8 = tensor.empty() : tensor<1x4x3xi8>
  %r = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%v : tensor<1x4x3xi32>) outs(%e8 : tensor<1x4x3xi8>) {
  ^bb0(%a: i32, %o: i8):
    %t = arith.trunci %a : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x4x3xi8>
  %sum = linalg.generic {indexing_maps = [#id3, #row3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%r, %b : tensor<1x4x3xi8>, tensor<3xi8>) outs(%e8 : tensor<1x4x3xi8>) {
  ^bb0(%a: i8, %bb: i8, %o: i8):
    %s = arith.addi %a, %bb : i8
    linalg.yield %s : i8
  } -> tensor<1x4x3xi8>
  %ef = tensor.empty() : tensor<1x4x3xf32>
  %g = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%sum : tensor<1x4x3xi8>) outs(%ef : tensor<1x4x3xf32>) {
  ^bb0(%a: i8, %o: f32):
    %fl = arith.sitofp %a : i8 to f32
    %th = math.tanh %fl : f32
    linalg.yield %th : f32
  } -> tensor<1x4x3xf32>
  return %g : tensor<1x4x3xf32>
}
