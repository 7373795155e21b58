// The int8 products of the integer path call the runtime's int8 kernels.
// RUN: qopt-opt %s --convert-linalg-to-qopt-runtime --canonicalize --split-input-file | FileCheck %s

// quantized_matmul: i8 operands at their strides, each followed by its zero
// point; an integer zero fill folds into the call (accumulate = 0).
// CHECK: func.func private @qopt_rt_igemm_s8(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)
// CHECK-LABEL: func.func @quantized_matmul
// CHECK-NOT:     linalg.fill
// CHECK-DAG:     %[[M:.*]] = arith.constant 3 : i64
// CHECK-DAG:     %[[N:.*]] = arith.constant 5 : i64
// CHECK-DAG:     %[[K:.*]] = arith.constant 4 : i64
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[AZ:.*]] = arith.constant -128 : i64
// CHECK-DAG:     %[[BZ:.*]] = arith.constant 7 : i64
// CHECK:         call @qopt_rt_igemm_s8(%[[M]], %[[N]], %[[K]], %{{.*}}, %[[K]], %[[ONE]], %[[AZ]], %{{.*}}, %[[N]], %[[ONE]], %[[BZ]], %{{.*}}, %[[N]], %[[ONE]], %[[ZERO]])
// CHECK-NOT:     linalg.quantized_matmul
func.func @quantized_matmul(%a: memref<3x4xi8>, %b: memref<4x5xi8>, %c: memref<3x5xi32>) {
  %zero = arith.constant 0 : i32
  %az = arith.constant -128 : i32
  %bz = arith.constant 7 : i32
  linalg.fill ins(%zero : i32) outs(%c : memref<3x5xi32>)
  linalg.quantized_matmul ins(%a, %b, %az, %bz : memref<3x4xi8>, memref<4x5xi8>, i32, i32) outs(%c : memref<3x5xi32>)
  return
}

// -----

// quantized_batch_matmul: batch strides first (A 2×16×8: 128), accumulate
// into a non-zero output.
// CHECK-LABEL: func.func @quantized_batch_matmul
// CHECK-DAG:     %[[B2:.*]] = arith.constant 2 : i64
// CHECK-DAG:     %[[S128:.*]] = arith.constant 128 : i64
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : i64
// CHECK:         call @qopt_rt_igemm_s8_batched(%[[B2]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[S128]], %{{.*}}, %[[ONE]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ONE]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ONE]], %[[ONE]])
func.func @quantized_batch_matmul(%a: memref<2x16x8xi8>, %b: memref<2x8x16xi8>, %c: memref<2x16x16xi32>) {
  %az = arith.constant 2 : i32
  %bz = arith.constant -3 : i32
  linalg.quantized_batch_matmul ins(%a, %b, %az, %bz : memref<2x16x8xi8>, memref<2x8x16xi8>, i32, i32) outs(%c : memref<2x16x16xi32>)
  return
}

// -----

// Zero points that are not constants stay loops.
// CHECK-LABEL: func.func @runtime_zero_point
// CHECK:         linalg.quantized_matmul
func.func @runtime_zero_point(%a: memref<3x4xi8>, %b: memref<4x5xi8>, %c: memref<3x5xi32>, %az: i32) {
  %bz = arith.constant 0 : i32
  linalg.quantized_matmul ins(%a, %b, %az, %bz : memref<3x4xi8>, memref<4x5xi8>, i32, i32) outs(%c : memref<3x5xi32>)
  return
}

// -----

// conv_2d_nchw_fchw_q whose input is a copy padded with the input zero
// point (tensor.pad bufferized): the kernel reads the unpadded source and
// pads on the fly (pads 1, 1, 1, 1), the copy and its buffer disappear;
// constant weights get a slot for their packed form; the output already
// holds the bias (accumulate = 1).
// CHECK-LABEL: func.func @conv_q
// CHECK-NOT:     memref.alloc
// CHECK-NOT:     memref.copy
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[IZ:.*]] = arith.constant -5 : i64
// CHECK-DAG:     %[[WZ:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[EIGHT:.*]] = arith.constant 8 : i64
// CHECK-DAG:     %[[SLOT:.*]] = memref.get_global @__qopt_packed_weights_0
// CHECK:         call @qopt_rt_conv2d_nchw_s8(%{{.*}}, %{{.*}}, %{{.*}}, %[[ONE]], %[[ONE]], %{{.*}}, %[[EIGHT]], %[[EIGHT]], %{{.*}}, %{{.*}}, %{{.*}}, %[[EIGHT]], %[[EIGHT]], %[[ONE]], %[[ONE]], %[[ONE]], %[[ONE]], %[[ONE]], %[[ONE]], %[[ONE]], %[[ONE]], %[[IZ]], %[[WZ]], %{{.*}}, %[[ONE]])
// CHECK-NOT:     linalg.conv_2d_nchw_fchw_q
memref.global "private" constant @w : memref<6x4x3x3xi8> = dense<1>
func.func @conv_q(%x: memref<1x4x8x8xi8>, %out: memref<1x6x8x8xi32>) {
  %izp = arith.constant -5 : i32
  %wzp = arith.constant 0 : i32
  %pad = arith.constant -5 : i8
  %w = memref.get_global @w : memref<6x4x3x3xi8>
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<1x4x10x10xi8>
  linalg.fill ins(%pad : i8) outs(%alloc : memref<1x4x10x10xi8>)
  %sv = memref.subview %alloc[0, 0, 1, 1] [1, 4, 8, 8] [1, 1, 1, 1] : memref<1x4x10x10xi8> to memref<1x4x8x8xi8, strided<[400, 100, 10, 1], offset: 11>>
  memref.copy %x, %sv : memref<1x4x8x8xi8> to memref<1x4x8x8xi8, strided<[400, 100, 10, 1], offset: 11>>
  linalg.conv_2d_nchw_fchw_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%alloc, %w, %izp, %wzp : memref<1x4x10x10xi8>, memref<6x4x3x3xi8>, i32, i32) outs(%out : memref<1x6x8x8xi32>)
  memref.dealloc %alloc : memref<1x4x10x10xi8>
  return
}

// -----

// Padding with a value other than the input zero point is no zero-point
// padding: the padded copy stays and the kernel reads it unpadded.
// CHECK-LABEL: func.func @conv_q_other_padding
// CHECK:         memref.copy
// CHECK:         call @qopt_rt_conv2d_nchw_s8
func.func @conv_q_other_padding(%x: memref<1x4x8x8xi8>, %w: memref<6x4x3x3xi8>, %out: memref<1x6x8x8xi32>) {
  %izp = arith.constant -5 : i32
  %wzp = arith.constant 0 : i32
  %pad = arith.constant 0 : i8
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<1x4x10x10xi8>
  linalg.fill ins(%pad : i8) outs(%alloc : memref<1x4x10x10xi8>)
  %sv = memref.subview %alloc[0, 0, 1, 1] [1, 4, 8, 8] [1, 1, 1, 1] : memref<1x4x10x10xi8> to memref<1x4x8x8xi8, strided<[400, 100, 10, 1], offset: 11>>
  memref.copy %x, %sv : memref<1x4x8x8xi8> to memref<1x4x8x8xi8, strided<[400, 100, 10, 1], offset: 11>>
  linalg.conv_2d_nchw_fchw_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%alloc, %w, %izp, %wzp : memref<1x4x10x10xi8>, memref<6x4x3x3xi8>, i32, i32) outs(%out : memref<1x6x8x8xi32>)
  memref.dealloc %alloc : memref<1x4x10x10xi8>
  return
}

// -----

// A quantized_matmul whose B is a constant global (a linear layer's int8
// weights) packs B once: qopt_rt_igemm_s8_cached gets no slot for A (0), a
// slot for B, then the accumulate flag (0: the zero fill folds in).
// CHECK: func.func private @qopt_rt_igemm_s8_cached(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)
// CHECK:       memref.global "private" @__qopt_packed_weights_0 : memref<1xi64> = dense<0> {alignment = 8 : i64}
// CHECK-LABEL: func.func @quantized_matmul_constant_b
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[SLOT:.*]] = memref.get_global @__qopt_packed_weights_0
// CHECK-DAG:     %[[SLOTPTR:.*]] = memref.extract_aligned_pointer_as_index %[[SLOT]]
// CHECK-DAG:     %[[SLOTADDR:.*]] = arith.index_cast %[[SLOTPTR]]
// CHECK:         call @qopt_rt_igemm_s8_cached({{.*}}, %[[ZERO]], %[[SLOTADDR]], %[[ZERO]])
memref.global "private" constant @wq : memref<4x5xi8> = dense<3>
func.func @quantized_matmul_constant_b(%a: memref<3x4xi8>, %c: memref<3x5xi32>) {
  %zero = arith.constant 0 : i32
  %az = arith.constant -128 : i32
  %bz = arith.constant 0 : i32
  %b = memref.get_global @wq : memref<4x5xi8>
  linalg.fill ins(%zero : i32) outs(%c : memref<3x5xi32>)
  linalg.quantized_matmul ins(%a, %b, %az, %bz : memref<3x4xi8>, memref<4x5xi8>, i32, i32) outs(%c : memref<3x5xi32>)
  return
}

// -----

// Batched products have no cache (each batch has its own operands).
// CHECK-LABEL: func.func @quantized_batch_matmul_constant
// CHECK-NOT:     __qopt_packed_weights
// CHECK:         call @qopt_rt_igemm_s8_batched(
memref.global "private" constant @wqb : memref<2x4x5xi8> = dense<3>
func.func @quantized_batch_matmul_constant(%a: memref<2x3x4xi8>, %c: memref<2x3x5xi32>) {
  %az = arith.constant 1 : i32
  %bz = arith.constant 0 : i32
  %b = memref.get_global @wqb : memref<2x4x5xi8>
  linalg.quantized_batch_matmul ins(%a, %b, %az, %bz : memref<2x3x4xi8>, memref<2x4x5xi8>, i32, i32) outs(%c : memref<2x3x5xi32>)
  return
}

// -----

// The rescale loop that convert-linalg-to-qopt-runtime folds into the
// convolution (here per tensor: m = 1518500250, s = 36, out_zp 4, clamp
// [-100, 100]), written out on buffers: fused, the i32 buffer, its fill and
// the loop gone.
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @rescale_loop_fused
// CHECK-NOT:     memref.alloc
// CHECK:         call @qopt_rt_conv2d_nchw_s8_requant(
// CHECK-NOT:     linalg.
memref.global "private" constant @w1 : memref<3x4x3x3xi8> = dense<1>
func.func @rescale_loop_fused(%x: memref<1x4x6x6xi8>, %out: memref<1x3x4x4xi8>) {
  %c0 = arith.constant 0 : i32
  %m = arith.constant 1518500250 : i64
  %s = arith.constant 36 : i64
  %s1 = arith.constant 35 : i64
  %one = arith.constant 1 : i64
  %zp = arith.constant 4 : i64
  %lo = arith.constant -100 : i64
  %hi = arith.constant 100 : i64
  %w = memref.get_global @w1 : memref<3x4x3x3xi8>
  %acc = memref.alloc() : memref<1x3x4x4xi32>
  linalg.fill ins(%c0 : i32) outs(%acc : memref<1x3x4x4xi32>)
  linalg.conv_2d_nchw_fchw_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w, %c0, %c0 : memref<1x4x6x6xi8>, memref<3x4x3x3xi8>, i32, i32) outs(%acc : memref<1x3x4x4xi32>)
  linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%acc : memref<1x3x4x4xi32>) outs(%out : memref<1x3x4x4xi8>) {
  ^bb0(%a: i32, %o: i8):
    %e = arith.extsi %a : i32 to i64
    %v = arith.muli %e, %m : i64
    %f = arith.shrsi %v, %s : i64
    %h = arith.shrsi %v, %s1 : i64
    %b = arith.andi %h, %one : i64
    %r = arith.addi %f, %b : i64
    %y = arith.addi %r, %zp : i64
    %c1 = arith.maxsi %y, %lo : i64
    %c2 = arith.minsi %c1, %hi : i64
    %t = arith.trunci %c2 : i64 to i8
    linalg.yield %t : i8
  }
  memref.dealloc %acc : memref<1x3x4x4xi32>
  return
}

// -----

// The same loop adding a residual tensor before the clamp: an op the
// rescale form does not have, so the loop stays (and the int32 buffer).
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @rescale_loop_residual
// CHECK:         call @qopt_rt_conv2d_nchw_s8(
// CHECK:         linalg.generic
// CHECK-NOT:     call @qopt_rt_conv2d_nchw_s8_requant
memref.global "private" constant @w2 : memref<3x4x3x3xi8> = dense<1>
func.func @rescale_loop_residual(%x: memref<1x4x6x6xi8>, %res: memref<1x3x4x4xi8>, %out: memref<1x3x4x4xi8>) {
  %c0 = arith.constant 0 : i32
  %m = arith.constant 1518500250 : i64
  %s = arith.constant 36 : i64
  %s1 = arith.constant 35 : i64
  %one = arith.constant 1 : i64
  %zp = arith.constant 4 : i64
  %lo = arith.constant -100 : i64
  %hi = arith.constant 100 : i64
  %w = memref.get_global @w2 : memref<3x4x3x3xi8>
  %acc = memref.alloc() : memref<1x3x4x4xi32>
  linalg.fill ins(%c0 : i32) outs(%acc : memref<1x3x4x4xi32>)
  linalg.conv_2d_nchw_fchw_q {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w, %c0, %c0 : memref<1x4x6x6xi8>, memref<3x4x3x3xi8>, i32, i32) outs(%acc : memref<1x3x4x4xi32>)
  linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%acc, %res : memref<1x3x4x4xi32>, memref<1x3x4x4xi8>) outs(%out : memref<1x3x4x4xi8>) {
  ^bb0(%a: i32, %q: i8, %o: i8):
    %e = arith.extsi %a : i32 to i64
    %v = arith.muli %e, %m : i64
    %f = arith.shrsi %v, %s : i64
    %h = arith.shrsi %v, %s1 : i64
    %b = arith.andi %h, %one : i64
    %r = arith.addi %f, %b : i64
    %qe = arith.extsi %q : i8 to i64
    %r2 = arith.addi %r, %qe : i64
    %y = arith.addi %r2, %zp : i64
    %c1 = arith.maxsi %y, %lo : i64
    %c2 = arith.minsi %c1, %hi : i64
    %t = arith.trunci %c2 : i64 to i8
    linalg.yield %t : i8
  }
  memref.dealloc %acc : memref<1x3x4x4xi32>
  return
}
