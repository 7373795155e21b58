// RUN: qopt-opt %s --convert-linalg-to-qopt-runtime --canonicalize --split-input-file | FileCheck %s

// A zero-filled matmul overwrites its output: the fill folds into the call.
// CHECK-LABEL: func.func @matmul
// CHECK-NOT:     linalg.fill
// CHECK-DAG:     %[[M:.*]] = arith.constant 3 : i64
// CHECK-DAG:     %[[N:.*]] = arith.constant 5 : i64
// CHECK-DAG:     %[[K:.*]] = arith.constant 4 : i64
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[A:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK-DAG:     %[[B:.*]] = memref.extract_aligned_pointer_as_index %arg1
// CHECK-DAG:     %[[C:.*]] = memref.extract_aligned_pointer_as_index %arg2
// CHECK:         call @qopt_rt_sgemm(%[[M]], %[[N]], %[[K]], %{{.*}}, %[[K]], %[[ONE]], %{{.*}}, %[[N]], %[[ONE]], %{{.*}}, %[[N]], %[[ONE]], %[[ZERO]])
// CHECK-NOT:     linalg.matmul
func.func @matmul(%a: memref<3x4xf32>, %b: memref<4x5xf32>, %c: memref<3x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<3x5xf32>)
  linalg.matmul ins(%a, %b : memref<3x4xf32>, memref<4x5xf32>) outs(%c : memref<3x5xf32>)
  return
}
// CHECK: func.func private @qopt_rt_sgemm(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)

// -----

// Without a zero fill the kernel accumulates (accumulate = 1), and a
// transposed B (gemm's trans_b) is read through swapped strides: B is 5×4
// in memory, so along k its stride is 1 and along n it is 4.
// CHECK-LABEL: func.func @matmul_transposed_b
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[FOUR:.*]] = arith.constant 4 : i64
// CHECK-DAG:     %[[FIVE:.*]] = arith.constant 5 : i64
// CHECK:         call @qopt_rt_sgemm(%{{.*}}, %[[FIVE]], %[[FOUR]], %{{.*}}, %[[FOUR]], %[[ONE]], %{{.*}}, %[[ONE]], %[[FOUR]], %{{.*}}, %[[FIVE]], %[[ONE]], %[[ONE]])
func.func @matmul_transposed_b(%a: memref<3x4xf32>, %b: memref<5x4xf32>, %c: memref<3x5xf32>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                 affine_map<(m, n, k) -> (n, k)>,
                                 affine_map<(m, n, k) -> (m, n)>]
    ins(%a, %b : memref<3x4xf32>, memref<5x4xf32>) outs(%c : memref<3x5xf32>)
  return
}

// -----

// A strided view passes its offset in the address and its strides.
// CHECK-LABEL: func.func @matmul_subview
// CHECK:         %[[BASE:.*]], %[[OFF:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %[[VIEW:.*]] :
// CHECK:         arith.muli %[[OFF]], %c4
// CHECK:         call @qopt_rt_sgemm
func.func @matmul_subview(%a: memref<8x8xf32>, %b: memref<4x5xf32>, %c: memref<3x5xf32>, %i: index) {
  %view = memref.subview %a[%i, 2] [3, 4] [1, 1] : memref<8x8xf32> to memref<3x4xf32, strided<[8, 1], offset: ?>>
  linalg.matmul ins(%view, %b : memref<3x4xf32, strided<[8, 1], offset: ?>>, memref<4x5xf32>) outs(%c : memref<3x5xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @batch_matmul
// CHECK-DAG:     %[[TWO:.*]] = arith.constant 2 : i64
// CHECK-DAG:     %[[BSA:.*]] = arith.constant 12 : i64
// CHECK-DAG:     %[[BSB:.*]] = arith.constant 20 : i64
// CHECK-DAG:     %[[BSC:.*]] = arith.constant 15 : i64
// CHECK:         call @qopt_rt_sgemm_batched(%[[TWO]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[BSA]], %{{.*}}, %{{.*}}, %{{.*}}, %[[BSB]], %{{.*}}, %{{.*}}, %{{.*}}, %[[BSC]],
// CHECK-NOT:     linalg.batch_matmul
func.func @batch_matmul(%a: memref<2x3x4xf32>, %b: memref<2x4x5xf32>, %c: memref<2x3x5xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<2x3x4xf32>, memref<2x4x5xf32>) outs(%c : memref<2x3x5xf32>)
  return
}

// -----

// Only f32 is handled: an integer matmul stays for the loops, as does a
// product whose operand is broadcast (a dim missing from its map).
// CHECK-LABEL: func.func @not_f32
// CHECK:         linalg.matmul
// CHECK-NOT:     call
func.func @not_f32(%a: memref<3x4xi32>, %b: memref<4x5xi32>, %c: memref<3x5xi32>) {
  linalg.matmul ins(%a, %b : memref<3x4xi32>, memref<4x5xi32>) outs(%c : memref<3x5xi32>)
  return
}

// -----

// CHECK-LABEL: func.func @broadcast_operand
// CHECK:         linalg.matmul
// CHECK-NOT:     call
func.func @broadcast_operand(%a: memref<4xf32>, %b: memref<4x5xf32>, %c: memref<3x5xf32>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k)>,
                                 affine_map<(m, n, k) -> (k, n)>,
                                 affine_map<(m, n, k) -> (m, n)>]
    ins(%a, %b : memref<4xf32>, memref<4x5xf32>) outs(%c : memref<3x5xf32>)
  return
}

// -----

// conv2d: (in, w, out, N, G, C, H, W, F, KH, KW, OH, OW, SH, SW, DH, DW,
//          PT, PL, PB, PR, weight cache slot, acc)
// CHECK-LABEL: func.func @conv
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : i64
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : i64
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : i64
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : i64
// CHECK-DAG:     %[[C9:.*]] = arith.constant 9 : i64
// CHECK:         call @qopt_rt_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[C1]], %[[C1]], %[[C3]], %[[C9]], %[[C9]], %[[C8]], %[[C3]], %[[C3]], %[[C4]], %[[C4]], %[[C2]], %[[C2]], %[[C1]], %[[C1]], %[[C0]], %[[C0]], %[[C0]], %[[C0]], %[[C0]], %[[C1]])
func.func @conv(%in: memref<1x3x9x9xf32>, %w: memref<8x3x3x3xf32>, %out: memref<1x8x4x4xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%in, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%out : memref<1x8x4x4xf32>)
  return
}
// CHECK: func.func private @qopt_rt_conv2d_nchw_f32(

// -----

// Depthwise: 6 groups of one channel.
// CHECK-LABEL: func.func @grouped_conv
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : i64
// CHECK-DAG:     %[[C5:.*]] = arith.constant 5 : i64
// CHECK-DAG:     %[[C6:.*]] = arith.constant 6 : i64
// CHECK-DAG:     %[[C7:.*]] = arith.constant 7 : i64
// CHECK:         call @qopt_rt_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[C1]], %[[C6]], %[[C1]], %[[C7]], %[[C7]], %[[C1]], %[[C3]], %[[C3]], %[[C5]], %[[C5]], %[[C1]], %[[C1]], %[[C1]], %[[C1]], %[[C0]], %[[C0]], %[[C0]], %[[C0]], %[[C0]], %[[C0]])
func.func @grouped_conv(%in: memref<1x6x1x7x7xf32>, %w: memref<6x1x1x3x3xf32>, %out: memref<1x6x1x5x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<1x6x1x5x5xf32>)
  linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x1x7x7xf32>, memref<6x1x1x3x3xf32>) outs(%out : memref<1x6x1x5x5xf32>)
  return
}

// -----

// A convolution on a non-contiguous view is left to the loops.
// CHECK-LABEL: func.func @conv_strided_view
// CHECK:         linalg.conv_2d_nchw_fchw
// CHECK-NOT:     call
func.func @conv_strided_view(%in: memref<1x3x9x18xf32>, %w: memref<8x3x3x3xf32>, %out: memref<1x8x7x7xf32>) {
  %view = memref.subview %in[0, 0, 0, 0] [1, 3, 9, 9] [1, 1, 1, 2] : memref<1x3x9x18xf32> to memref<1x3x9x9xf32, strided<[486, 162, 18, 2]>>
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%view, %w : memref<1x3x9x9xf32, strided<[486, 162, 18, 2]>>, memref<8x3x3x3xf32>) outs(%out : memref<1x8x7x7xf32>)
  return
}

// -----

// A zero-padded copy of the input (tensor.pad after bufferization) is
// folded into the call: the kernel reads the unpadded source with pads
// (top 1, left 2, bottom 3, right 0) and the copy, fill and buffer go away.
// CHECK-LABEL: func.func @conv_padded
// CHECK-NOT:     memref.alloc() {{.*}} : memref<1x2x8x6xf32>
// CHECK-NOT:     linalg.map
// CHECK-NOT:     memref.copy
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : i64
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : i64
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : i64
// CHECK-DAG:     %[[C6:.*]] = arith.constant 6 : i64
// CHECK-DAG:     %[[X:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK:         call @qopt_rt_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[C1]], %[[C1]], %[[C2]], %[[C4]], %[[C4]], %[[C3]], %[[C3]], %[[C3]], %[[C6]], %[[C4]], %[[C1]], %[[C1]], %[[C1]], %[[C1]], %[[C1]], %[[C2]], %[[C3]], %[[C0]], %[[C0]], %[[C0]])
// CHECK-NOT:     memref.dealloc
func.func @conv_padded(%x: memref<1x2x4x4xf32>, %w: memref<3x2x3x3xf32>, %out: memref<1x3x6x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %padded = memref.alloc() {alignment = 64 : i64} : memref<1x2x8x6xf32>
  linalg.map outs(%padded : memref<1x2x8x6xf32>) (%init: f32) {
    linalg.yield %zero : f32
  }
  %interior = memref.subview %padded[0, 0, 1, 2] [1, 2, 4, 4] [1, 1, 1, 1] : memref<1x2x8x6xf32> to memref<1x2x4x4xf32, strided<[96, 48, 6, 1], offset: 8>>
  memref.copy %x, %interior : memref<1x2x4x4xf32> to memref<1x2x4x4xf32, strided<[96, 48, 6, 1], offset: 8>>
  %acc = memref.alloc() {alignment = 64 : i64} : memref<1x3x6x4xf32>
  linalg.fill ins(%zero : f32) outs(%acc : memref<1x3x6x4xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%padded, %w : memref<1x2x8x6xf32>, memref<3x2x3x3xf32>) outs(%acc : memref<1x3x6x4xf32>)
  memref.dealloc %padded : memref<1x2x8x6xf32>
  memref.copy %acc, %out : memref<1x3x6x4xf32> to memref<1x3x6x4xf32>
  return
}

// -----

// The source is overwritten between the copy and the convolution: the
// padded copy must stay.
// CHECK-LABEL: func.func @conv_padded_source_clobbered
// CHECK:         memref.copy
// CHECK:         linalg.fill
// CHECK:         call @qopt_rt_conv2d_nchw_f32
func.func @conv_padded_source_clobbered(%x: memref<1x2x4x4xf32>, %w: memref<3x2x3x3xf32>, %out: memref<1x3x6x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %padded = memref.alloc() {alignment = 64 : i64} : memref<1x2x8x6xf32>
  linalg.fill ins(%zero : f32) outs(%padded : memref<1x2x8x6xf32>)
  %interior = memref.subview %padded[0, 0, 1, 2] [1, 2, 4, 4] [1, 1, 1, 1] : memref<1x2x8x6xf32> to memref<1x2x4x4xf32, strided<[96, 48, 6, 1], offset: 8>>
  memref.copy %x, %interior : memref<1x2x4x4xf32> to memref<1x2x4x4xf32, strided<[96, 48, 6, 1], offset: 8>>
  linalg.fill ins(%one : f32) outs(%x : memref<1x2x4x4xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%padded, %w : memref<1x2x8x6xf32>, memref<3x2x3x3xf32>) outs(%out : memref<1x3x6x4xf32>)
  return
}

// -----

// Weights from a constant global are packed once: the call gets the
// address of a fresh zero-initialised slot global for the packed copy.
// CHECK:       memref.global "private" @__qopt_packed_weights_0 : memref<1xi64> = dense<0> {alignment = 8 : i64}
// CHECK-LABEL: func.func @conv_constant_weights
// CHECK:         %[[SLOT:.*]] = memref.get_global @__qopt_packed_weights_0
// CHECK:         %[[SLOTPTR:.*]] = memref.extract_aligned_pointer_as_index %[[SLOT]]
// CHECK:         %[[SLOTADDR:.*]] = arith.index_cast %[[SLOTPTR]]
// CHECK:         call @qopt_rt_conv2d_nchw_f32({{.*}}, %[[SLOTADDR]], %{{.*}})
memref.global "private" constant @weights : memref<8x3x3x3xf32> = dense<1.0>
func.func @conv_constant_weights(%in: memref<1x3x9x9xf32>, %out: memref<1x8x7x7xf32>) {
  %w = memref.get_global @weights : memref<8x3x3x3xf32>
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%out : memref<1x8x7x7xf32>)
  return
}

// -----

// A depthwise convolution's constant weights get a slot too (the runtime's
// channel-blocked kernel keeps them packed there); a grouped convolution
// of several channels per group does not.
// CHECK:       memref.global "private" @__qopt_packed_weights_0 : memref<1xi64> = dense<0> {alignment = 8 : i64}
// CHECK-LABEL: func.func @depthwise_constant_weights
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[SLOT:.*]] = memref.get_global @__qopt_packed_weights_0
// CHECK:         %[[SLOTPTR:.*]] = memref.extract_aligned_pointer_as_index %[[SLOT]]
// CHECK:         %[[SLOTADDR:.*]] = arith.index_cast %[[SLOTPTR]]
// CHECK:         call @qopt_rt_conv2d_nchw_f32({{.*}}, %[[SLOTADDR]], %{{.*}})
// CHECK:         call @qopt_rt_conv2d_nchw_f32({{.*}}, %[[C0]], %{{.*}})
memref.global "private" constant @dw : memref<6x1x1x3x3xf32> = dense<1.0>
memref.global "private" constant @gw : memref<2x2x3x3x3xf32> = dense<1.0>
func.func @depthwise_constant_weights(%in: memref<1x6x1x7x7xf32>, %out: memref<1x6x1x5x5xf32>,
                                      %in2: memref<1x2x3x7x7xf32>, %out2: memref<1x2x2x5x5xf32>) {
  %w = memref.get_global @dw : memref<6x1x1x3x3xf32>
  linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%in, %w : memref<1x6x1x7x7xf32>, memref<6x1x1x3x3xf32>) outs(%out : memref<1x6x1x5x5xf32>)
  %g = memref.get_global @gw : memref<2x2x3x3x3xf32>
  linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%in2, %g : memref<1x2x3x7x7xf32>, memref<2x2x3x3x3xf32>) outs(%out2 : memref<1x2x2x5x5xf32>)
  return
}

// -----

// A matmul whose B is a constant global (a linear layer's weights) packs B
// once: qopt_rt_sgemm_cached gets no slot for A (0) and a slot for B,
// then the accumulate flag.
// CHECK:       memref.global "private" @__qopt_packed_weights_0 : memref<1xi64> = dense<0> {alignment = 8 : i64}
// CHECK-LABEL: func.func @matmul_constant_b
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[SLOT:.*]] = memref.get_global @__qopt_packed_weights_0
// CHECK-DAG:     %[[SLOTPTR:.*]] = memref.extract_aligned_pointer_as_index %[[SLOT]]
// CHECK-DAG:     %[[SLOTADDR:.*]] = arith.index_cast %[[SLOTPTR]]
// CHECK:         call @qopt_rt_sgemm_cached({{.*}}, %[[ZERO]], %[[SLOTADDR]], %[[ZERO]])
// CHECK: func.func private @qopt_rt_sgemm_cached(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)
memref.global "private" constant @w : memref<4x5xf32> = dense<1.0>
func.func @matmul_constant_b(%a: memref<3x4xf32>, %c: memref<3x5xf32>) {
  %zero = arith.constant 0.0 : f32
  %b = memref.get_global @w : memref<4x5xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<3x5xf32>)
  linalg.matmul ins(%a, %b : memref<3x4xf32>, memref<4x5xf32>) outs(%c : memref<3x5xf32>)
  return
}

// -----

// A constant A seen through a reshape is cached too (slot for A, 0 for B,
// accumulate 1).
// CHECK-LABEL: func.func @matmul_constant_a_view
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[SLOT:.*]] = memref.get_global @__qopt_packed_weights_0
// CHECK-DAG:     %[[SLOTPTR:.*]] = memref.extract_aligned_pointer_as_index %[[SLOT]]
// CHECK-DAG:     %[[SLOTADDR:.*]] = arith.index_cast %[[SLOTPTR]]
// CHECK:         call @qopt_rt_sgemm_cached({{.*}}, %[[SLOTADDR]], %[[ZERO]], %[[ONE]])
memref.global "private" constant @w3 : memref<1x3x4xf32> = dense<1.0>
func.func @matmul_constant_a_view(%b: memref<4x5xf32>, %c: memref<3x5xf32>) {
  %g = memref.get_global @w3 : memref<1x3x4xf32>
  %a = memref.collapse_shape %g [[0, 1], [2]] : memref<1x3x4xf32> into memref<3x4xf32>
  linalg.matmul ins(%a, %b : memref<3x4xf32>, memref<4x5xf32>) outs(%c : memref<3x5xf32>)
  return
}

// -----

// A mutable global, or a view at a run-time offset, is no constant
// operand: plain qopt_rt_sgemm.
// CHECK-LABEL: func.func @matmul_not_constant
// CHECK-NOT:     __qopt_packed_weights
// CHECK:         call @qopt_rt_sgemm(
// CHECK:         call @qopt_rt_sgemm(
// CHECK-NOT:     qopt_rt_sgemm_cached
memref.global "private" @state : memref<4x5xf32> = dense<1.0>
memref.global "private" constant @big : memref<8x5xf32> = dense<1.0>
func.func @matmul_not_constant(%a: memref<3x4xf32>, %c: memref<3x5xf32>, %i: index) {
  %b = memref.get_global @state : memref<4x5xf32>
  linalg.matmul ins(%a, %b : memref<3x4xf32>, memref<4x5xf32>) outs(%c : memref<3x5xf32>)
  %g = memref.get_global @big : memref<8x5xf32>
  %v = memref.subview %g[%i, 0] [4, 5] [1, 1] : memref<8x5xf32> to memref<4x5xf32, strided<[5, 1], offset: ?>>
  linalg.matmul ins(%a, %v : memref<3x4xf32>, memref<4x5xf32, strided<[5, 1], offset: ?>>) outs(%c : memref<3x5xf32>)
  return
}

// -----

// A depthwise convolution's padded input, with the weights' expand_shape
// (a view: no memory access) between the copy and the convolution, as
// bufferization orders them: the padding still folds into the call (pads
// 1, 1, 1, 1) and the padded buffer goes away.
// CHECK-LABEL: func.func @depthwise_padded
// CHECK-NOT:     memref.copy
// CHECK-NOT:     linalg.map
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : i64
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : i64
// CHECK:         call @qopt_rt_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[C1]], %[[C4]], %[[C1]], %[[C4]], %[[C4]], %[[C1]], %{{.*}}, %{{.*}}, %[[C4]], %[[C4]], %[[C1]], %[[C1]], %[[C1]], %[[C1]], %[[C1]], %[[C1]], %[[C1]], %[[C1]], %[[C0]], %[[C1]])
func.func @depthwise_padded(%x: memref<1x4x4x4xf32>, %w: memref<4x1x3x3xf32>, %out: memref<1x4x1x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %padded = memref.alloc() {alignment = 64 : i64} : memref<1x4x6x6xf32>
  linalg.map outs(%padded : memref<1x4x6x6xf32>) (%init: f32) {
    linalg.yield %zero : f32
  }
  %interior = memref.subview %padded[0, 0, 1, 1] [1, 4, 4, 4] [1, 1, 1, 1] : memref<1x4x6x6xf32> to memref<1x4x4x4xf32, strided<[144, 36, 6, 1], offset: 7>>
  memref.copy %x, %interior : memref<1x4x4x4xf32> to memref<1x4x4x4xf32, strided<[144, 36, 6, 1], offset: 7>>
  %we = memref.expand_shape %w [[0, 1], [2], [3], [4]] output_shape [4, 1, 1, 3, 3] : memref<4x1x3x3xf32> into memref<4x1x1x3x3xf32>
  %pe = memref.expand_shape %padded [[0], [1, 2], [3], [4]] output_shape [1, 4, 1, 6, 6] : memref<1x4x6x6xf32> into memref<1x4x1x6x6xf32>
  linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%pe, %we : memref<1x4x1x6x6xf32>, memref<4x1x1x3x3xf32>) outs(%out : memref<1x4x1x4x4xf32>)
  return
}
