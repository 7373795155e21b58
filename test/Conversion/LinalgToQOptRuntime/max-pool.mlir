// convert-linalg-to-qopt-runtime: f32 linalg.pooling_nchw_max (max_pool2d)
// as qopt_rt_maxpool2d_nchw_f32(in, out, planes, h, w, oh, ow, kh, kw, sh,
// sw, dh, dw, pt, pl, accumulate).
// RUN: qopt-opt %s --convert-linalg-to-qopt-runtime --canonicalize --split-input-file | FileCheck %s

// max_pool2d as bufferized (convert-qopt-to-linalg, one-shot-bufferize):
// the -inf padded copy goes (the kernel reads the input and skips the
// padding: pads 1, 1 at the top and left), and so does the -inf fill of the
// output (accumulate = 0: the kernel starts from -inf).
// CHECK-LABEL: func.func @padded
// CHECK-SAME:    (%[[X:.+]]: memref<1x2x7x8xf32>, %[[Y:.+]]: memref<1x2x4x3xf32>)
// CHECK-NOT:     memref.alloc
// CHECK-NOT:     linalg.fill
// CHECK-NOT:     memref.copy
// CHECK-DAG:     %[[C0:.+]] = arith.constant 0 : i64
// CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : i64
// CHECK-DAG:     %[[C2:.+]] = arith.constant 2 : i64
// CHECK-DAG:     %[[C3:.+]] = arith.constant 3 : i64
// CHECK-DAG:     %[[C4:.+]] = arith.constant 4 : i64
// CHECK-DAG:     %[[C7:.+]] = arith.constant 7 : i64
// CHECK-DAG:     %[[C8:.+]] = arith.constant 8 : i64
// CHECK-DAG:     %[[PX:.+]] = memref.extract_aligned_pointer_as_index %[[X]]
// CHECK-DAG:     %[[PY:.+]] = memref.extract_aligned_pointer_as_index %[[Y]]
// CHECK-DAG:     %[[AX:.+]] = arith.index_cast %[[PX]] : index to i64
// CHECK-DAG:     %[[AY:.+]] = arith.index_cast %[[PY]] : index to i64
// CHECK:         call @qopt_rt_maxpool2d_nchw_f32(%[[AX]], %[[AY]], %[[C2]], %[[C7]], %[[C8]], %[[C4]], %[[C3]], %[[C2]], %[[C3]], %[[C2]], %[[C2]], %[[C1]], %[[C2]], %[[C1]], %[[C1]], %[[C0]])
// CHECK-NOT:     linalg.pooling_nchw_max
// CHECK:         return
func.func @padded(%arg0: memref<1x2x7x8xf32>, %arg1: memref<1x2x4x3xf32>) {
  %cst = arith.constant 0xFF800000 : f32
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<1x2x8x9xf32>
  linalg.map outs(%alloc : memref<1x2x8x9xf32>)
    (%init: f32) {
      linalg.yield %cst : f32
    }
  %subview = memref.subview %alloc[0, 0, 1, 1] [1, 2, 7, 8] [1, 1, 1, 1] : memref<1x2x8x9xf32> to memref<1x2x7x8xf32, strided<[144, 72, 9, 1], offset: 10>>
  memref.copy %arg0, %subview : memref<1x2x7x8xf32> to memref<1x2x7x8xf32, strided<[144, 72, 9, 1], offset: 10>>
  linalg.fill ins(%cst : f32) outs(%arg1 : memref<1x2x4x3xf32>)
  %alloc_0 = memref.alloc() {alignment = 64 : i64} : memref<2x3xf32>
  linalg.pooling_nchw_max {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%alloc, %alloc_0 : memref<1x2x8x9xf32>, memref<2x3xf32>) outs(%arg1 : memref<1x2x4x3xf32>)
  memref.dealloc %alloc : memref<1x2x8x9xf32>
  memref.dealloc %alloc_0 : memref<2x3xf32>
  return
}
// CHECK: func.func private @qopt_rt_maxpool2d_nchw_f32(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)

// -----

// Unpadded, and an output that holds values already (no -inf fill): the
// kernel takes the maximum with them (accumulate = 1). planes = N·C = 6.
// CHECK-LABEL: func.func @accumulate
// CHECK-DAG:     %[[C0:.+]] = arith.constant 0 : i64
// CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : i64
// CHECK-DAG:     %[[C2:.+]] = arith.constant 2 : i64
// CHECK-DAG:     %[[C6:.+]] = arith.constant 6 : i64
// CHECK-DAG:     %[[C14:.+]] = arith.constant 14 : i64
// CHECK-DAG:     %[[C28:.+]] = arith.constant 28 : i64
// CHECK:         call @qopt_rt_maxpool2d_nchw_f32(%{{.+}}, %{{.+}}, %[[C6]], %[[C28]], %[[C28]], %[[C14]], %[[C14]], %[[C2]], %[[C2]], %[[C2]], %[[C2]], %[[C1]], %[[C1]], %[[C0]], %[[C0]], %[[C1]])
func.func @accumulate(%x: memref<2x3x28x28xf32>, %y: memref<2x3x14x14xf32>) {
  %w = memref.alloc() : memref<2x2xf32>
  linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : memref<2x3x28x28xf32>, memref<2x2xf32>) outs(%y : memref<2x3x14x14xf32>)
  memref.dealloc %w : memref<2x2xf32>
  return
}

// -----

// A padded copy filled with another value than -inf is not padding the
// kernel may skip: the padded buffer is pooled as it is (pads 0), after
// its copy. A zero fill of the output stays, and the kernel accumulates.
// CHECK-LABEL: func.func @zero_padding
// CHECK-DAG:     %[[C0:.+]] = arith.constant 0 : i64
// CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : i64
// CHECK-DAG:     %[[C6:.+]] = arith.constant 6 : i64
// CHECK:         %[[P:.+]] = memref.alloc() {alignment = 64 : i64} : memref<1x1x6x6xf32>
// CHECK:         linalg.fill ins(%{{.+}} : f32) outs(%[[P]] : memref<1x1x6x6xf32>)
// CHECK:         memref.copy
// CHECK:         linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : memref<1x1x3x3xf32>)
// CHECK:         memref.extract_aligned_pointer_as_index %[[P]]
// CHECK:         call @qopt_rt_maxpool2d_nchw_f32(
// CHECK-SAME:      %{{[^,]+}}, %{{[^,]+}}, %[[C1]], %[[C6]], %[[C6]], %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %[[C1]], %[[C1]], %[[C0]], %[[C0]], %[[C1]])
func.func @zero_padding(%x: memref<1x1x4x4xf32>, %y: memref<1x1x3x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() {alignment = 64 : i64} : memref<1x1x6x6xf32>
  linalg.fill ins(%zero : f32) outs(%p : memref<1x1x6x6xf32>)
  %sv = memref.subview %p[0, 0, 1, 1] [1, 1, 4, 4] [1, 1, 1, 1] : memref<1x1x6x6xf32> to memref<1x1x4x4xf32, strided<[36, 36, 6, 1], offset: 7>>
  memref.copy %x, %sv : memref<1x1x4x4xf32> to memref<1x1x4x4xf32, strided<[36, 36, 6, 1], offset: 7>>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x1x3x3xf32>)
  %w = memref.alloc() : memref<2x2xf32>
  linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %w : memref<1x1x6x6xf32>, memref<2x2xf32>) outs(%y : memref<1x1x3x3xf32>)
  memref.dealloc %p : memref<1x1x6x6xf32>
  memref.dealloc %w : memref<2x2xf32>
  return
}

// -----

// Other element types stay linalg (they become loops).
// CHECK-LABEL: func.func @f16
// CHECK:         linalg.pooling_nchw_max
// CHECK-NOT:     call @qopt_rt_maxpool2d_nchw_f32
func.func @f16(%x: memref<1x1x4x4xf16>, %y: memref<1x1x2x2xf16>) {
  %w = memref.alloc() : memref<2x2xf16>
  linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : memref<1x1x4x4xf16>, memref<2x2xf16>) outs(%y : memref<1x1x2x2xf16>)
  memref.dealloc %w : memref<2x2xf16>
  return
}
