// qopt-lower-to-llvm: a heap buffer (the convolution's 49 KiB output, over
// what goes to the stack)
// comes from the runtime's aligned allocator, whose declaration returns a
// noalias pointer, and is used as returned (no ptrtoint/inttoptr
// alignment arithmetic that would hide where the pointer comes from).
// RUN: qopt-opt %s --qopt-lower-to-llvm | FileCheck %s

// CHECK: llvm.func @_mlir_memref_to_llvm_aligned_alloc(i64, i64) -> (!llvm.ptr {llvm.noalias})
// CHECK-LABEL: llvm.func @main(
// CHECK:         %[[P:.+]] = llvm.call @_mlir_memref_to_llvm_aligned_alloc(%{{.+}}, %{{.+}}) : (i64, i64) -> !llvm.ptr
// CHECK-NOT:     llvm.inttoptr
// CHECK:         llvm.call @_mlir_memref_to_llvm_free(
func.func @main(%x: tensor<1x1x28x28xf32>, %w: tensor<16x1x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x16x14x14xf32> {
  %c = qopt.conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x1x28x28xf32>, tensor<16x1x3x3xf32>, tensor<16xf32>) -> tensor<1x16x28x28xf32>
  %p = qopt.max_pool2d %c {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x16x28x28xf32>) -> tensor<1x16x14x14xf32>
  return %p : tensor<1x16x14x14xf32>
}
