// RUN: qopt-opt %s --fuse-conv-epilogue-into-qopt-runtime --split-input-file | FileCheck %s

// Bias + ReLU6 after a depthwise convolution (written through a 5-D view):
// the call moves to the generic's place and writes the generic's output,
// with the bias address and flags BIAS|MIN|MAX = 13.
// CHECK-LABEL: func.func @bias_relu6
// CHECK-NOT:     call @qopt_rt_conv2d_nchw_f32(
// CHECK:         %[[OUT:.*]] = memref.alloc() {{.*}} : memref<1x8x4x4xf32>
// CHECK-NOT:     linalg.generic
// CHECK-DAG:     %[[OP:.*]] = memref.extract_aligned_pointer_as_index %[[OUT]]
// CHECK-DAG:     %[[OA:.*]] = arith.index_cast %[[OP]] : index to i64
// CHECK-DAG:     %[[BP:.*]] = memref.extract_aligned_pointer_as_index %arg1
// CHECK-DAG:     %[[BA:.*]] = arith.index_cast %[[BP]] : index to i64
// CHECK-DAG:     %[[S:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[HI:.*]] = arith.constant 6.000000e+00 : f32
// CHECK-DAG:     %[[FLAGS:.*]] = arith.constant 13 : i64
// CHECK:         call @qopt_rt_conv2d_nchw_f32_epilogue(%arg2, %arg3, %[[OA]], {{.*}}, %[[BA]], %{{.*}}, %{{.*}}, %{{.*}}, %[[HI]], %[[FLAGS]])
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[OUT]]
func.func private @qopt_rt_conv2d_nchw_f32(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)
func.func @bias_relu6(%x: memref<1x8x4x4xf32>, %b: memref<8xf32>, %in: i64, %w: i64) -> memref<1x8x4x4xf32> {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %conv = memref.alloc() {alignment = 64 : i64} : memref<1x8x1x4x4xf32>
  %p = memref.extract_aligned_pointer_as_index %conv : memref<1x8x1x4x4xf32> -> index
  %a = arith.index_cast %p : index to i64
  call @qopt_rt_conv2d_nchw_f32(%in, %w, %a, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c0) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  %view = memref.collapse_shape %conv [[0], [1, 2], [3], [4]] : memref<1x8x1x4x4xf32> into memref<1x8x4x4xf32>
  %out = memref.alloc() {alignment = 64 : i64} : memref<1x8x4x4xf32>
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b, %view : memref<8xf32>, memref<1x8x4x4xf32>) outs(%out : memref<1x8x4x4xf32>) {
  ^bb0(%bias: f32, %v: f32, %o: f32):
    %s = arith.addf %v, %bias : f32
    %m = arith.maximumf %s, %zero : f32
    %r = arith.minimumf %m, %six : f32
    linalg.yield %r : f32
  }
  memref.dealloc %conv : memref<1x8x1x4x4xf32>
  return %out : memref<1x8x4x4xf32>
}

// -----

// A constant bias added in place (flags BIAS_SCALAR = 2, no bias address),
// and a later reader of the buffer: the call stays where it is.
// CHECK-LABEL: func.func @scalar_in_place
// CHECK:         %[[BUF:.*]] = memref.alloc()
// CHECK-DAG:     %[[B:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG:     %[[F:.*]] = arith.constant 2 : i64
// CHECK:         call @qopt_rt_conv2d_nchw_f32_epilogue({{.*}}, %[[B]], %{{.*}}, %{{.*}}, %{{.*}}, %[[F]])
// CHECK-NOT:     linalg.generic
// CHECK:         memref.extract_aligned_pointer_as_index %[[BUF]]
// CHECK:         call @qopt_rt_conv2d_nchw_f32(
func.func private @qopt_rt_conv2d_nchw_f32(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)
func.func @scalar_in_place(%in: i64, %w: i64) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %half = arith.constant 0.5 : f32
  %buf = memref.alloc() {alignment = 64 : i64} : memref<1x4x3x3xf32>
  %p = memref.extract_aligned_pointer_as_index %buf : memref<1x4x3x3xf32> -> index
  %a = arith.index_cast %p : index to i64
  call @qopt_rt_conv2d_nchw_f32(%in, %w, %a, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c0) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      outs(%buf : memref<1x4x3x3xf32>) {
  ^bb0(%o: f32):
    %s = arith.addf %o, %half : f32
    linalg.yield %s : f32
  }
  %p2 = memref.extract_aligned_pointer_as_index %buf : memref<1x4x3x3xf32> -> index
  %a2 = arith.index_cast %p2 : index to i64
  call @qopt_rt_conv2d_nchw_f32(%a2, %w, %in, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c0) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  memref.dealloc %buf : memref<1x4x3x3xf32>
  return
}

// -----

// Bias and a residual add (flags BIAS|RESIDUAL = 17) with the residual's
// address.
// CHECK-LABEL: func.func @residual
// CHECK-DAG:     %[[RP:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK-DAG:     %[[RA:.*]] = arith.index_cast %[[RP]] : index to i64
// CHECK-DAG:     %[[F:.*]] = arith.constant 17 : i64
// CHECK:         call @qopt_rt_conv2d_nchw_f32_epilogue({{.*}}, %[[RA]], %{{.*}}, %{{.*}}, %[[F]])
// CHECK-NOT:     linalg.generic
func.func private @qopt_rt_conv2d_nchw_f32(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)
func.func @residual(%r: memref<1x4x3x3xf32>, %b: memref<4xf32>, %in: i64, %w: i64, %out: memref<1x4x3x3xf32>) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %conv = memref.alloc() {alignment = 64 : i64} : memref<1x4x3x3xf32>
  %p = memref.extract_aligned_pointer_as_index %conv : memref<1x4x3x3xf32> -> index
  %a = arith.index_cast %p : index to i64
  call @qopt_rt_conv2d_nchw_f32(%in, %w, %a, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c0) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%r, %b, %conv : memref<1x4x3x3xf32>, memref<4xf32>, memref<1x4x3x3xf32>) outs(%out : memref<1x4x3x3xf32>) {
  ^bb0(%res: f32, %bias: f32, %v: f32, %o: f32):
    %s = arith.addf %v, %bias : f32
    %t = arith.addf %res, %s : f32
    linalg.yield %t : f32
  }
  memref.dealloc %conv : memref<1x4x3x3xf32>
  return
}

// -----

// Not fused: an accumulating call, a store between call and generic, a
// fast-math add, and a generic that multiplies.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:     qopt_rt_conv2d_nchw_f32_epilogue
// CHECK-COUNT-4: linalg.generic
// CHECK-NOT:     qopt_rt_conv2d_nchw_f32_epilogue
// CHECK:         return
func.func private @qopt_rt_conv2d_nchw_f32(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)
func.func @left_alone(%in: i64, %w: i64, %other: memref<4xf32>) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %half = arith.constant 0.5 : f32
  %bufs:4 = scf.execute_region -> (memref<1x4x3x3xf32>, memref<1x4x3x3xf32>, memref<1x4x3x3xf32>, memref<1x4x3x3xf32>) {
    %b0 = memref.alloc() : memref<1x4x3x3xf32>
    %b1 = memref.alloc() : memref<1x4x3x3xf32>
    %b2 = memref.alloc() : memref<1x4x3x3xf32>
    %b3 = memref.alloc() : memref<1x4x3x3xf32>
    scf.yield %b0, %b1, %b2, %b3 : memref<1x4x3x3xf32>, memref<1x4x3x3xf32>, memref<1x4x3x3xf32>, memref<1x4x3x3xf32>
  }
  // accumulate = 1
  %p0 = memref.extract_aligned_pointer_as_index %bufs#0 : memref<1x4x3x3xf32> -> index
  %a0 = arith.index_cast %p0 : index to i64
  call @qopt_rt_conv2d_nchw_f32(%in, %w, %a0, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c1) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%bufs#0 : memref<1x4x3x3xf32>) {
  ^bb0(%o: f32):
    %s = arith.addf %o, %half : f32
    linalg.yield %s : f32
  }
  // a store in between
  %p1 = memref.extract_aligned_pointer_as_index %bufs#1 : memref<1x4x3x3xf32> -> index
  %a1 = arith.index_cast %p1 : index to i64
  call @qopt_rt_conv2d_nchw_f32(%in, %w, %a1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c0) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  %i0 = arith.constant 0 : index
  memref.store %half, %other[%i0] : memref<4xf32>
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%bufs#1 : memref<1x4x3x3xf32>) {
  ^bb0(%o: f32):
    %s = arith.addf %o, %half : f32
    linalg.yield %s : f32
  }
  // fast-math
  %p2 = memref.extract_aligned_pointer_as_index %bufs#2 : memref<1x4x3x3xf32> -> index
  %a2 = arith.index_cast %p2 : index to i64
  call @qopt_rt_conv2d_nchw_f32(%in, %w, %a2, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c0) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%bufs#2 : memref<1x4x3x3xf32>) {
  ^bb0(%o: f32):
    %s = arith.addf %o, %half fastmath<fast> : f32
    linalg.yield %s : f32
  }
  // multiply
  %p3 = memref.extract_aligned_pointer_as_index %bufs#3 : memref<1x4x3x3xf32> -> index
  %a3 = arith.index_cast %p3 : index to i64
  call @qopt_rt_conv2d_nchw_f32(%in, %w, %a3, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c0) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%bufs#3 : memref<1x4x3x3xf32>) {
  ^bb0(%o: f32):
    %s = arith.mulf %o, %half : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// The convolution's own values are read after the generic (they are a
// result too), or are written to an out-parameter: not fused.
// CHECK-LABEL: func.func @conv_is_a_result
// CHECK-NOT:     qopt_rt_conv2d_nchw_f32_epilogue
// CHECK:         call @qopt_rt_conv2d_nchw_f32(
// CHECK:         linalg.generic
// CHECK:         memref.copy
// CHECK:         call @qopt_rt_conv2d_nchw_f32(
// CHECK:         linalg.generic
// CHECK:         return
func.func private @qopt_rt_conv2d_nchw_f32(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)
func.func @conv_is_a_result(%in: i64, %w: i64, %relu: memref<1x4x3x3xf32>, %conv: memref<1x4x3x3xf32>, %relu2: memref<1x4x3x3xf32>) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %zero = arith.constant 0.0 : f32
  %buf = memref.alloc() : memref<1x4x3x3xf32>
  %p = memref.extract_aligned_pointer_as_index %buf : memref<1x4x3x3xf32> -> index
  %a = arith.index_cast %p : index to i64
  call @qopt_rt_conv2d_nchw_f32(%in, %w, %a, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c0) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%buf : memref<1x4x3x3xf32>) outs(%relu : memref<1x4x3x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  }
  memref.copy %buf, %conv : memref<1x4x3x3xf32> to memref<1x4x3x3xf32>
  memref.dealloc %buf : memref<1x4x3x3xf32>
  %p2 = memref.extract_aligned_pointer_as_index %conv : memref<1x4x3x3xf32> -> index
  %a2 = arith.index_cast %p2 : index to i64
  call @qopt_rt_conv2d_nchw_f32(%in, %w, %a2, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c0) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%conv : memref<1x4x3x3xf32>) outs(%relu2 : memref<1x4x3x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// The end of a residual block with a downsampling convolution:
// relu((a + ba) + (b + bb)) of two convolutions. The earlier one's bias goes
// into its own call (in place, flags BIAS = 1), the later one's call takes
// the rest with the earlier output as its residual (BIAS|MIN|RESIDUAL = 21):
// no loop is left.
// CHECK-LABEL: func.func @sum_of_two_convolutions
// CHECK-SAME:    (%[[BA:.*]]: memref<4xf32>, %[[BB:.*]]: memref<4xf32>, %{{.*}}: i64, %{{.*}}: i64, %[[OUT:.*]]: memref<1x4x3x3xf32>)
// CHECK:         %[[A:.*]] = memref.alloc() {{.*}} : memref<1x4x3x3xf32>
// CHECK:         %[[AP:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK:         %[[AA:.*]] = arith.index_cast %[[AP]]
// CHECK:         %[[BAP:.*]] = memref.extract_aligned_pointer_as_index %[[BA]]
// CHECK:         %[[BAA:.*]] = arith.index_cast %[[BAP]]
// CHECK:         %[[ONE:.*]] = arith.constant 1 : i64
// CHECK:         call @qopt_rt_conv2d_nchw_f32_epilogue(%{{.*}}, %{{.*}}, %[[AA]], {{.*}}, %[[BAA]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ONE]])
// CHECK:         %[[OP:.*]] = memref.extract_aligned_pointer_as_index %[[OUT]]
// CHECK:         %[[OA:.*]] = arith.index_cast %[[OP]]
// CHECK:         %[[BBP:.*]] = memref.extract_aligned_pointer_as_index %[[BB]]
// CHECK:         %[[BBA:.*]] = arith.index_cast %[[BBP]]
// CHECK:         %[[RP:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK:         %[[RA:.*]] = arith.index_cast %[[RP]]
// CHECK:         %[[FLAGS:.*]] = arith.constant 21 : i64
// CHECK:         call @qopt_rt_conv2d_nchw_f32_epilogue(%{{.*}}, %{{.*}}, %[[OA]], {{.*}}, %[[BBA]], %{{.*}}, %[[RA]], %{{.*}}, %{{.*}}, %[[FLAGS]])
// CHECK-NOT:     linalg.generic
func.func private @qopt_rt_conv2d_nchw_f32(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)
func.func @sum_of_two_convolutions(%ba: memref<4xf32>, %bb: memref<4xf32>, %in: i64, %w: i64, %out: memref<1x4x3x3xf32>) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %zero = arith.constant 0.0 : f32
  %a = memref.alloc() {alignment = 64 : i64} : memref<1x4x3x3xf32>
  %pa = memref.extract_aligned_pointer_as_index %a : memref<1x4x3x3xf32> -> index
  %ia = arith.index_cast %pa : index to i64
  call @qopt_rt_conv2d_nchw_f32(%in, %w, %ia, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c0) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  %b = memref.alloc() {alignment = 64 : i64} : memref<1x4x3x3xf32>
  %pb = memref.extract_aligned_pointer_as_index %b : memref<1x4x3x3xf32> -> index
  %ib = arith.index_cast %pb : index to i64
  call @qopt_rt_conv2d_nchw_f32(%in, %w, %ib, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c0) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b, %bb, %a, %ba : memref<1x4x3x3xf32>, memref<4xf32>, memref<1x4x3x3xf32>, memref<4xf32>) outs(%out : memref<1x4x3x3xf32>) {
  ^bb0(%vb: f32, %biasb: f32, %va: f32, %biasa: f32, %o: f32):
    %sb = arith.addf %vb, %biasb : f32
    %sa = arith.addf %va, %biasa : f32
    %t = arith.addf %sb, %sa : f32
    %r = arith.maximumf %t, %zero : f32
    linalg.yield %r : f32
  }
  memref.dealloc %a : memref<1x4x3x3xf32>
  memref.dealloc %b : memref<1x4x3x3xf32>
  return
}

// -----

// Not split: the earlier convolution's output is read again after the sum
// (its biased value would be seen there), so both sums stay in the loop.
// CHECK-LABEL: func.func @sum_with_a_second_reader
// CHECK-COUNT-2: call @qopt_rt_conv2d_nchw_f32(
// CHECK:         linalg.generic
// CHECK:         arith.addf
// CHECK:         arith.addf
// CHECK:         arith.addf
// CHECK-NOT:     qopt_rt_conv2d_nchw_f32_epilogue
func.func private @qopt_rt_conv2d_nchw_f32(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)
func.func @sum_with_a_second_reader(%ba: memref<4xf32>, %bb: memref<4xf32>, %in: i64, %w: i64, %out: memref<1x4x3x3xf32>, %copy: memref<1x4x3x3xf32>) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %a = memref.alloc() {alignment = 64 : i64} : memref<1x4x3x3xf32>
  %pa = memref.extract_aligned_pointer_as_index %a : memref<1x4x3x3xf32> -> index
  %ia = arith.index_cast %pa : index to i64
  call @qopt_rt_conv2d_nchw_f32(%in, %w, %ia, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c0) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  %b = memref.alloc() {alignment = 64 : i64} : memref<1x4x3x3xf32>
  %pb = memref.extract_aligned_pointer_as_index %b : memref<1x4x3x3xf32> -> index
  %ib = arith.index_cast %pb : index to i64
  call @qopt_rt_conv2d_nchw_f32(%in, %w, %ib, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c1, %c0, %c0) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b, %bb, %a, %ba : memref<1x4x3x3xf32>, memref<4xf32>, memref<1x4x3x3xf32>, memref<4xf32>) outs(%out : memref<1x4x3x3xf32>) {
  ^bb0(%vb: f32, %biasb: f32, %va: f32, %biasa: f32, %o: f32):
    %sb = arith.addf %vb, %biasb : f32
    %sa = arith.addf %va, %biasa : f32
    %t = arith.addf %sb, %sa : f32
    linalg.yield %t : f32
  }
  memref.copy %a, %copy : memref<1x4x3x3xf32> to memref<1x4x3x3xf32>
  memref.dealloc %a : memref<1x4x3x3xf32>
  memref.dealloc %b : memref<1x4x3x3xf32>
  return
}
