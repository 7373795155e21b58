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
