// RUN: qopt-opt %s --fuse-expand-depthwise-into-qopt-runtime --split-input-file | FileCheck %s

// MobileNetV2's first expansion (16 -> 96 channels, bias + ReLU6) and the
// stride-2 depthwise convolution of it on 112x112: one fused call at the
// depthwise call's place, its arguments the expansion's input, shape,
// weights, slot and epilogue, then the depthwise weights, output shape,
// stride, padding, slot, epilogue and output; the buffer is gone.
// CHECK-LABEL: func.func @mobilenet_block
// CHECK-NOT:     memref.alloc
// CHECK-NOT:     call @qopt_rt_conv2d_nchw_f32_epilogue
// CHECK:         call @qopt_rt_conv2d_nchw_f32_expand_depthwise(%arg0, %c1_i64, %c16_i64, %c112_i64{{.*}}, %c112_i64{{.*}}, %arg1, %c96_i64, %arg5, %arg3, %cst, %cst, %[[SIX:.*]], %c13_i64, %arg2, %c56_i64{{.*}}, %c56_i64{{.*}}, %c2_i64, %c1_i64, %c1_i64, %c1_i64, %c1_i64, %arg6, %arg4, %cst, %cst, %[[SIX]], %c13_i64{{.*}}, %arg7)
// CHECK-NOT:     call @qopt_rt_conv2d_nchw_f32_epilogue
// CHECK-NOT:     memref.dealloc
// CHECK:         return
func.func private @qopt_rt_conv2d_nchw_f32_epilogue(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64)
func.func private @use(memref<1x96x112x112xf32>)
func.func @mobilenet_block(%x: i64, %w1: i64, %w2: i64, %b1: i64, %b2: i64, %k1: i64, %k2: i64, %out: i64) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c3 = arith.constant 3 : i64
  %cs = arith.constant 2 : i64
  %cc = arith.constant 16 : i64
  %cf = arith.constant 96 : i64
  %ch = arith.constant 112 : i64
  %cw = arith.constant 112 : i64
  %coh = arith.constant 56 : i64
  %cow = arith.constant 56 : i64
  %e1 = arith.constant 13 : i64
  %e2 = arith.constant 13 : i64
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %buf = memref.alloc() {alignment = 64 : i64} : memref<1x96x112x112xf32>
  %p1 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x112x112xf32> -> index
  %a1 = arith.index_cast %p1 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%x, %w1, %a1, %c1, %c1, %cc, %ch, %cw, %cf, %c1, %c1, %ch, %cw, %c1, %c1, %c1, %c1, %c0, %c0, %c0, %c0, %k1, %b1, %zero, %c0, %zero, %six, %e1) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  %p2 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x112x112xf32> -> index
  %a2 = arith.index_cast %p2 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%a2, %w2, %out, %c1, %cf, %c1, %ch, %cw, %c1, %c3, %c3, %coh, %cow, %cs, %cs, %c1, %c1, %c1, %c1, %c1, %c1, %k2, %b2, %zero, %c0, %zero, %six, %e2) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  memref.dealloc %buf : memref<1x96x112x112xf32>
  return
}

// -----

// Stride 1 on 56x56 (24 -> 144 channels), allocations and index arithmetic
// between the calls: fused.
// CHECK-LABEL: func.func @stride_one
// CHECK:         memref.alloc() : memref<2xf32>
// CHECK:         call @qopt_rt_conv2d_nchw_f32_expand_depthwise(%arg0, %c1_i64, %c24_i64, %c56_i64{{.*}}, %c56_i64{{.*}}, %arg1, %c144_i64, {{.*}}, %arg2, %c56_i64{{.*}}, %c56_i64{{.*}}, %c1_i64
// CHECK-NOT:     call @qopt_rt_conv2d_nchw_f32_epilogue
func.func private @qopt_rt_conv2d_nchw_f32_epilogue(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64)
func.func private @use(memref<1x96x112x112xf32>)
func.func @stride_one(%x: i64, %w1: i64, %w2: i64, %b1: i64, %b2: i64, %k1: i64, %k2: i64, %out: i64) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c3 = arith.constant 3 : i64
  %cs = arith.constant 1 : i64
  %cc = arith.constant 24 : i64
  %cf = arith.constant 144 : i64
  %ch = arith.constant 56 : i64
  %cw = arith.constant 56 : i64
  %coh = arith.constant 56 : i64
  %cow = arith.constant 56 : i64
  %e1 = arith.constant 13 : i64
  %e2 = arith.constant 13 : i64
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %buf = memref.alloc() {alignment = 64 : i64} : memref<1x144x56x56xf32>
  %p1 = memref.extract_aligned_pointer_as_index %buf : memref<1x144x56x56xf32> -> index
  %a1 = arith.index_cast %p1 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%x, %w1, %a1, %c1, %c1, %cc, %ch, %cw, %cf, %c1, %c1, %ch, %cw, %c1, %c1, %c1, %c1, %c0, %c0, %c0, %c0, %k1, %b1, %zero, %c0, %zero, %six, %e1) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  %other = memref.alloc() : memref<2xf32>
  %sum = arith.addi %c1, %c3 : i64
  %p2 = memref.extract_aligned_pointer_as_index %buf : memref<1x144x56x56xf32> -> index
  %a2 = arith.index_cast %p2 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%a2, %w2, %out, %c1, %cf, %c1, %ch, %cw, %c1, %c3, %c3, %coh, %cow, %cs, %cs, %c1, %c1, %c1, %c1, %c1, %c1, %k2, %b2, %zero, %c0, %zero, %six, %e2) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  memref.dealloc %buf : memref<1x144x56x56xf32>
  return
}

// -----

// Another reader of the intermediate: nothing changes.
// CHECK-LABEL: func.func @second_reader
// CHECK-NOT:     expand_depthwise
// CHECK-COUNT-2: call @qopt_rt_conv2d_nchw_f32_epilogue
func.func private @qopt_rt_conv2d_nchw_f32_epilogue(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64)
func.func private @use(memref<1x96x112x112xf32>)
func.func @second_reader(%x: i64, %w1: i64, %w2: i64, %b1: i64, %b2: i64, %k1: i64, %k2: i64, %out: i64) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c3 = arith.constant 3 : i64
  %cs = arith.constant 2 : i64
  %cc = arith.constant 16 : i64
  %cf = arith.constant 96 : i64
  %ch = arith.constant 112 : i64
  %cw = arith.constant 112 : i64
  %coh = arith.constant 56 : i64
  %cow = arith.constant 56 : i64
  %e1 = arith.constant 13 : i64
  %e2 = arith.constant 13 : i64
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %buf = memref.alloc() {alignment = 64 : i64} : memref<1x96x112x112xf32>
  %p1 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x112x112xf32> -> index
  %a1 = arith.index_cast %p1 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%x, %w1, %a1, %c1, %c1, %cc, %ch, %cw, %cf, %c1, %c1, %ch, %cw, %c1, %c1, %c1, %c1, %c0, %c0, %c0, %c0, %k1, %b1, %zero, %c0, %zero, %six, %e1) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  %p2 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x112x112xf32> -> index
  %a2 = arith.index_cast %p2 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%a2, %w2, %out, %c1, %cf, %c1, %ch, %cw, %c1, %c3, %c3, %coh, %cow, %cs, %cs, %c1, %c1, %c1, %c1, %c1, %c1, %k2, %b2, %zero, %c0, %zero, %six, %e2) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  call @use(%buf) : (memref<1x96x112x112xf32>) -> ()
  memref.dealloc %buf : memref<1x96x112x112xf32>
  return
}

// -----

// A call between the two (it could write what the expansion reads):
// nothing changes.
// CHECK-LABEL: func.func @call_between
// CHECK-NOT:     expand_depthwise
func.func private @qopt_rt_conv2d_nchw_f32_epilogue(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64)
func.func private @use(memref<1x96x112x112xf32>)
func.func private @other()
func.func @call_between(%x: i64, %w1: i64, %w2: i64, %b1: i64, %b2: i64, %k1: i64, %k2: i64, %out: i64) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c3 = arith.constant 3 : i64
  %cs = arith.constant 2 : i64
  %cc = arith.constant 16 : i64
  %cf = arith.constant 96 : i64
  %ch = arith.constant 112 : i64
  %cw = arith.constant 112 : i64
  %coh = arith.constant 56 : i64
  %cow = arith.constant 56 : i64
  %e1 = arith.constant 13 : i64
  %e2 = arith.constant 13 : i64
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %buf = memref.alloc() {alignment = 64 : i64} : memref<1x96x112x112xf32>
  %p1 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x112x112xf32> -> index
  %a1 = arith.index_cast %p1 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%x, %w1, %a1, %c1, %c1, %cc, %ch, %cw, %cf, %c1, %c1, %ch, %cw, %c1, %c1, %c1, %c1, %c0, %c0, %c0, %c0, %k1, %b1, %zero, %c0, %zero, %six, %e1) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  call @other() : () -> ()
  %p2 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x112x112xf32> -> index
  %a2 = arith.index_cast %p2 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%a2, %w2, %out, %c1, %cf, %c1, %ch, %cw, %c1, %c3, %c3, %coh, %cow, %cs, %cs, %c1, %c1, %c1, %c1, %c1, %c1, %k2, %b2, %zero, %c0, %zero, %six, %e2) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  memref.dealloc %buf : memref<1x96x112x112xf32>
  return
}

// -----

// A 28-wide plane (the channel-blocked depthwise kernel's), an expansion
// of 300 channels (more than one K slab), a residual in the expansion's
// epilogue: nothing changes.
// CHECK-LABEL: func.func @narrow
// CHECK-NOT:     expand_depthwise
// CHECK-LABEL: func.func @deep
// CHECK-NOT:     expand_depthwise
// CHECK-LABEL: func.func @residual
// CHECK-NOT:     expand_depthwise
func.func private @qopt_rt_conv2d_nchw_f32_epilogue(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64)
func.func private @use(memref<1x96x112x112xf32>)
func.func @narrow(%x: i64, %w1: i64, %w2: i64, %b1: i64, %b2: i64, %k1: i64, %k2: i64, %out: i64) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c3 = arith.constant 3 : i64
  %cs = arith.constant 2 : i64
  %cc = arith.constant 16 : i64
  %cf = arith.constant 96 : i64
  %ch = arith.constant 28 : i64
  %cw = arith.constant 28 : i64
  %coh = arith.constant 14 : i64
  %cow = arith.constant 14 : i64
  %e1 = arith.constant 13 : i64
  %e2 = arith.constant 13 : i64
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %buf = memref.alloc() {alignment = 64 : i64} : memref<1x96x28x28xf32>
  %p1 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x28x28xf32> -> index
  %a1 = arith.index_cast %p1 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%x, %w1, %a1, %c1, %c1, %cc, %ch, %cw, %cf, %c1, %c1, %ch, %cw, %c1, %c1, %c1, %c1, %c0, %c0, %c0, %c0, %k1, %b1, %zero, %c0, %zero, %six, %e1) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  %p2 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x28x28xf32> -> index
  %a2 = arith.index_cast %p2 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%a2, %w2, %out, %c1, %cf, %c1, %ch, %cw, %c1, %c3, %c3, %coh, %cow, %cs, %cs, %c1, %c1, %c1, %c1, %c1, %c1, %k2, %b2, %zero, %c0, %zero, %six, %e2) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  memref.dealloc %buf : memref<1x96x28x28xf32>
  return
}
func.func @deep(%x: i64, %w1: i64, %w2: i64, %b1: i64, %b2: i64, %k1: i64, %k2: i64, %out: i64) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c3 = arith.constant 3 : i64
  %cs = arith.constant 2 : i64
  %cc = arith.constant 300 : i64
  %cf = arith.constant 96 : i64
  %ch = arith.constant 112 : i64
  %cw = arith.constant 112 : i64
  %coh = arith.constant 56 : i64
  %cow = arith.constant 56 : i64
  %e1 = arith.constant 13 : i64
  %e2 = arith.constant 13 : i64
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %buf = memref.alloc() {alignment = 64 : i64} : memref<1x96x112x112xf32>
  %p1 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x112x112xf32> -> index
  %a1 = arith.index_cast %p1 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%x, %w1, %a1, %c1, %c1, %cc, %ch, %cw, %cf, %c1, %c1, %ch, %cw, %c1, %c1, %c1, %c1, %c0, %c0, %c0, %c0, %k1, %b1, %zero, %c0, %zero, %six, %e1) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  %p2 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x112x112xf32> -> index
  %a2 = arith.index_cast %p2 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%a2, %w2, %out, %c1, %cf, %c1, %ch, %cw, %c1, %c3, %c3, %coh, %cow, %cs, %cs, %c1, %c1, %c1, %c1, %c1, %c1, %k2, %b2, %zero, %c0, %zero, %six, %e2) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  memref.dealloc %buf : memref<1x96x112x112xf32>
  return
}
func.func @residual(%x: i64, %w1: i64, %w2: i64, %b1: i64, %b2: i64, %k1: i64, %k2: i64, %out: i64) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c3 = arith.constant 3 : i64
  %cs = arith.constant 2 : i64
  %cc = arith.constant 16 : i64
  %cf = arith.constant 96 : i64
  %ch = arith.constant 112 : i64
  %cw = arith.constant 112 : i64
  %coh = arith.constant 56 : i64
  %cow = arith.constant 56 : i64
  %e1 = arith.constant 29 : i64
  %e2 = arith.constant 13 : i64
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %buf = memref.alloc() {alignment = 64 : i64} : memref<1x96x112x112xf32>
  %p1 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x112x112xf32> -> index
  %a1 = arith.index_cast %p1 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%x, %w1, %a1, %c1, %c1, %cc, %ch, %cw, %cf, %c1, %c1, %ch, %cw, %c1, %c1, %c1, %c1, %c0, %c0, %c0, %c0, %k1, %b1, %zero, %c0, %zero, %six, %e1) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  %p2 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x112x112xf32> -> index
  %a2 = arith.index_cast %p2 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%a2, %w2, %out, %c1, %cf, %c1, %ch, %cw, %c1, %c3, %c3, %coh, %cow, %cs, %cs, %c1, %c1, %c1, %c1, %c1, %c1, %k2, %b2, %zero, %c0, %zero, %six, %e2) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  memref.dealloc %buf : memref<1x96x112x112xf32>
  return
}

// -----

// A depthwise convolution of stride 3: nothing changes.
// CHECK-LABEL: func.func @stride_three
// CHECK-NOT:     expand_depthwise
func.func private @qopt_rt_conv2d_nchw_f32_epilogue(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64)
func.func private @use(memref<1x96x112x112xf32>)
func.func @stride_three(%x: i64, %w1: i64, %w2: i64, %b1: i64, %b2: i64, %k1: i64, %k2: i64, %out: i64) {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c3 = arith.constant 3 : i64
  %cs = arith.constant 3 : i64
  %cc = arith.constant 16 : i64
  %cf = arith.constant 96 : i64
  %ch = arith.constant 113 : i64
  %cw = arith.constant 113 : i64
  %coh = arith.constant 38 : i64
  %cow = arith.constant 38 : i64
  %e1 = arith.constant 13 : i64
  %e2 = arith.constant 13 : i64
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %buf = memref.alloc() {alignment = 64 : i64} : memref<1x96x113x113xf32>
  %p1 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x113x113xf32> -> index
  %a1 = arith.index_cast %p1 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%x, %w1, %a1, %c1, %c1, %cc, %ch, %cw, %cf, %c1, %c1, %ch, %cw, %c1, %c1, %c1, %c1, %c0, %c0, %c0, %c0, %k1, %b1, %zero, %c0, %zero, %six, %e1) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  %p2 = memref.extract_aligned_pointer_as_index %buf : memref<1x96x113x113xf32> -> index
  %a2 = arith.index_cast %p2 : index to i64
  call @qopt_rt_conv2d_nchw_f32_epilogue(%a2, %w2, %out, %c1, %cf, %c1, %ch, %cw, %c1, %c3, %c3, %coh, %cow, %cs, %cs, %c1, %c1, %c1, %c1, %c1, %c1, %k2, %b2, %zero, %c0, %zero, %six, %e2) : (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, f32, i64, f32, f32, i64) -> ()
  memref.dealloc %buf : memref<1x96x113x113xf32>
  return
}
