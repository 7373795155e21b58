// RUN: qopt-opt %s --convert-linalg-to-qopt-runtime --canonicalize --split-input-file | FileCheck %s

// fashion_cnn's 2x2 stride-2 max pooling as convert-qopt-to-linalg unrolls
// it (one strided subview per window element, a maximumf chain) becomes a
// call of the runtime's vectorized pooling: (in, out, N·C, H, W, OH, OW,
// KH, KW, SH, SW, DH, DW); the subviews go with the generic.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @pool_2x2_s2
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : i64
// CHECK-DAG:     %[[C14:.*]] = arith.constant 14 : i64
// CHECK-DAG:     %[[C28:.*]] = arith.constant 28 : i64
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : i64
// CHECK-DAG:     %[[IN:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK-DAG:     %[[OUT:.*]] = memref.extract_aligned_pointer_as_index %arg1
// CHECK-DAG:     %[[INI:.*]] = arith.index_cast %[[IN]] : index to i64
// CHECK-DAG:     %[[OUTI:.*]] = arith.index_cast %[[OUT]] : index to i64
// CHECK:         call @qopt_rt_maxpool2d_nchw_f32(%[[INI]], %[[OUTI]], %[[C32]], %[[C28]], %[[C28]], %[[C14]], %[[C14]], %[[C2]], %[[C2]], %[[C2]], %[[C2]], %[[C1]], %[[C1]])
// CHECK-NOT:     linalg.generic
// CHECK-NOT:     memref.subview
// CHECK:         return
func.func @pool_2x2_s2(%in: memref<2x16x28x28xf32>, %out: memref<2x16x14x14xf32>) {
  %a = memref.subview %in[0, 0, 0, 0] [2, 16, 14, 14] [1, 1, 2, 2] : memref<2x16x28x28xf32> to memref<2x16x14x14xf32, strided<[12544, 784, 56, 2]>>
  %b = memref.subview %in[0, 0, 0, 1] [2, 16, 14, 14] [1, 1, 2, 2] : memref<2x16x28x28xf32> to memref<2x16x14x14xf32, strided<[12544, 784, 56, 2], offset: 1>>
  %c = memref.subview %in[0, 0, 1, 0] [2, 16, 14, 14] [1, 1, 2, 2] : memref<2x16x28x28xf32> to memref<2x16x14x14xf32, strided<[12544, 784, 56, 2], offset: 28>>
  %d = memref.subview %in[0, 0, 1, 1] [2, 16, 14, 14] [1, 1, 2, 2] : memref<2x16x28x28xf32> to memref<2x16x14x14xf32, strided<[12544, 784, 56, 2], offset: 29>>
  linalg.generic {indexing_maps = [#id, #id, #id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a, %b, %c, %d : memref<2x16x14x14xf32, strided<[12544, 784, 56, 2]>>, memref<2x16x14x14xf32, strided<[12544, 784, 56, 2], offset: 1>>, memref<2x16x14x14xf32, strided<[12544, 784, 56, 2], offset: 28>>, memref<2x16x14x14xf32, strided<[12544, 784, 56, 2], offset: 29>>)
      outs(%out : memref<2x16x14x14xf32>) {
  ^bb0(%x0: f32, %x1: f32, %x2: f32, %x3: f32, %o: f32):
    %m0 = arith.maximumf %x0, %x1 : f32
    %m1 = arith.maximumf %m0, %x2 : f32
    %m2 = arith.maximumf %m1, %x3 : f32
    linalg.yield %m2 : f32
  }
  return
}
// CHECK: func.func private @qopt_rt_maxpool2d_nchw_f32(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)

// -----

// A 1x2 window at stride 1 with column dilation 2: KH 1, KW 2, DW 2.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @pool_1x2_dilated
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : i64
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : i64
// CHECK-DAG:     %[[C5:.*]] = arith.constant 5 : i64
// CHECK-DAG:     %[[C7:.*]] = arith.constant 7 : i64
// CHECK:         call @qopt_rt_maxpool2d_nchw_f32(%{{.*}}, %{{.*}}, %[[C3]], %[[C5]], %[[C7]], %[[C5]], %[[C5]], %[[C1]], %[[C2]], %[[C1]], %[[C1]], %[[C1]], %[[C2]])
func.func @pool_1x2_dilated(%in: memref<1x3x5x7xf32>, %out: memref<1x3x5x5xf32>) {
  %a = memref.subview %in[0, 0, 0, 0] [1, 3, 5, 5] [1, 1, 1, 1] : memref<1x3x5x7xf32> to memref<1x3x5x5xf32, strided<[105, 35, 7, 1]>>
  %b = memref.subview %in[0, 0, 0, 2] [1, 3, 5, 5] [1, 1, 1, 1] : memref<1x3x5x7xf32> to memref<1x3x5x5xf32, strided<[105, 35, 7, 1], offset: 2>>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a, %b : memref<1x3x5x5xf32, strided<[105, 35, 7, 1]>>, memref<1x3x5x5xf32, strided<[105, 35, 7, 1], offset: 2>>)
      outs(%out : memref<1x3x5x5xf32>) {
  ^bb0(%x0: f32, %x1: f32, %o: f32):
    %m0 = arith.maximumf %x0, %x1 : f32
    linalg.yield %m0 : f32
  }
  return
}

// -----

// Not the unrolled pooling, so left alone: operands swapped in the chain
// (another order of the window), a maxnumf, window elements not in
// window order, and subviews of two buffers.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @not_pooling
// CHECK-NOT:     call
// CHECK-COUNT-4: linalg.generic
// CHECK:         return
func.func @not_pooling(%in: memref<1x2x4x4xf32>, %in2: memref<1x2x4x4xf32>, %out: memref<1x2x2x2xf32>) {
  %a = memref.subview %in[0, 0, 0, 0] [1, 2, 2, 2] [1, 1, 2, 2] : memref<1x2x4x4xf32> to memref<1x2x2x2xf32, strided<[32, 16, 8, 2]>>
  %b = memref.subview %in[0, 0, 0, 1] [1, 2, 2, 2] [1, 1, 2, 2] : memref<1x2x4x4xf32> to memref<1x2x2x2xf32, strided<[32, 16, 8, 2], offset: 1>>
  %c = memref.subview %in2[0, 0, 0, 1] [1, 2, 2, 2] [1, 1, 2, 2] : memref<1x2x4x4xf32> to memref<1x2x2x2xf32, strided<[32, 16, 8, 2], offset: 1>>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a, %b : memref<1x2x2x2xf32, strided<[32, 16, 8, 2]>>, memref<1x2x2x2xf32, strided<[32, 16, 8, 2], offset: 1>>)
      outs(%out : memref<1x2x2x2xf32>) {
  ^bb0(%x0: f32, %x1: f32, %o: f32):
    %m0 = arith.maximumf %x1, %x0 : f32
    linalg.yield %m0 : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a, %b : memref<1x2x2x2xf32, strided<[32, 16, 8, 2]>>, memref<1x2x2x2xf32, strided<[32, 16, 8, 2], offset: 1>>)
      outs(%out : memref<1x2x2x2xf32>) {
  ^bb0(%x0: f32, %x1: f32, %o: f32):
    %m0 = arith.maxnumf %x0, %x1 : f32
    linalg.yield %m0 : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b, %a : memref<1x2x2x2xf32, strided<[32, 16, 8, 2], offset: 1>>, memref<1x2x2x2xf32, strided<[32, 16, 8, 2]>>)
      outs(%out : memref<1x2x2x2xf32>) {
  ^bb0(%x0: f32, %x1: f32, %o: f32):
    %m0 = arith.maximumf %x0, %x1 : f32
    linalg.yield %m0 : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a, %c : memref<1x2x2x2xf32, strided<[32, 16, 8, 2]>>, memref<1x2x2x2xf32, strided<[32, 16, 8, 2], offset: 1>>)
      outs(%out : memref<1x2x2x2xf32>) {
  ^bb0(%x0: f32, %x1: f32, %o: f32):
    %m0 = arith.maximumf %x0, %x1 : f32
    linalg.yield %m0 : f32
  }
  return
}

// -----

// An output that is a strided view (not contiguous) stays a loop.
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @strided_output
// CHECK-NOT:     call
// CHECK:         linalg.generic
func.func @strided_output(%in: memref<1x2x4x4xf32>, %big: memref<1x2x2x3xf32>) {
  %out = memref.subview %big[0, 0, 0, 0] [1, 2, 2, 2] [1, 1, 1, 1] : memref<1x2x2x3xf32> to memref<1x2x2x2xf32, strided<[12, 6, 3, 1]>>
  %a = memref.subview %in[0, 0, 0, 0] [1, 2, 2, 2] [1, 1, 2, 2] : memref<1x2x4x4xf32> to memref<1x2x2x2xf32, strided<[32, 16, 8, 2]>>
  %b = memref.subview %in[0, 0, 0, 1] [1, 2, 2, 2] [1, 1, 2, 2] : memref<1x2x4x4xf32> to memref<1x2x2x2xf32, strided<[32, 16, 8, 2], offset: 1>>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a, %b : memref<1x2x2x2xf32, strided<[32, 16, 8, 2]>>, memref<1x2x2x2xf32, strided<[32, 16, 8, 2], offset: 1>>)
      outs(%out : memref<1x2x2x2xf32, strided<[12, 6, 3, 1]>>) {
  ^bb0(%x0: f32, %x1: f32, %o: f32):
    %m0 = arith.maximumf %x0, %x1 : f32
    linalg.yield %m0 : f32
  }
  return
}
