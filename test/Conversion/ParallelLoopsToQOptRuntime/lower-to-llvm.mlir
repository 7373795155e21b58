// RUN: qopt-opt %s --qopt-lower-to-llvm | FileCheck %s

// Through the whole CPU lowering: the linalg.generic becomes an
// scf.parallel, then an outlined body called by the pool; the body's
// rebuilt descriptors and finalize-memref-to-llvm's casts cancel, so no
// unrealized cast is left. The exp is a polynomial, not a libm call.

// CHECK-NOT:   builtin.unrealized_conversion_cast
// CHECK-NOT:   @expf
// CHECK-LABEL: llvm.func @exp_bias_parallel0(
// CHECK-SAME:      %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64)
// CHECK:         llvm.load
// CHECK:         llvm.intr.fma
// CHECK-LABEL: llvm.func @exp_bias(
// CHECK:         %[[F:.*]] = llvm.mlir.addressof @exp_bias_parallel0 : !llvm.ptr
// CHECK:         llvm.call @qopt_rt_parallel_for(%{{.*}}, %{{.*}}, %[[F]], %{{.*}}) : (i64, i64, !llvm.ptr, !llvm.ptr) -> ()
func.func @exp_bias(%x: memref<1x64x32x32xf32>, %b: memref<64xf32>, %y: memref<1x64x32x32xf32>) {
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x, %b : memref<1x64x32x32xf32>, memref<64xf32>) outs(%y : memref<1x64x32x32xf32>) {
  ^bb0(%a: f32, %bb: f32, %o: f32):
    %s = arith.addf %a, %bb : f32
    %e = math.exp %s : f32
    linalg.yield %e : f32
  }
  return
}
