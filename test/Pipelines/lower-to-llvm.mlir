// RUN: qopt-opt %s --qopt-lower-to-llvm | FileCheck %s

// The CPU lowering ends in the LLVM dialect: results become out-parameters
// and memrefs bare pointers, so @main is main(in*, out*); constants become
// globals; f32 erf (no LLVM intrinsic) becomes a polynomial
// (qopt-approximate-math), not a libm call; a 4-element loop stays on the
// calling thread.
// CHECK-NOT: qopt.
// CHECK-NOT: func.func
// CHECK-NOT: erff
// CHECK: llvm.mlir.global private constant @{{.*}}(dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>)
// CHECK-NOT: erff
// CHECK: llvm.func @main(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) {
// CHECK-NOT: llvm.call
// CHECK: llvm.intr.fma
// CHECK-NOT: llvm.call
// CHECK: llvm.return
// CHECK-NEXT: }
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = qopt.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %y = qopt.add %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %e = qopt.erf %y : (tensor<4xf32>) -> tensor<4xf32>
  return %e : tensor<4xf32>
}
