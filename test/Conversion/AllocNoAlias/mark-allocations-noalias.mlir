// qopt-mark-allocations-noalias: the declarations of the allocators that
// finalize-memref-to-llvm calls return noalias pointers; a definition, a
// declaration of another name and one that returns no pointer are left
// alone.
// RUN: qopt-opt %s --qopt-mark-allocations-noalias | FileCheck %s

// CHECK: llvm.func @_mlir_memref_to_llvm_aligned_alloc(i64, i64) -> (!llvm.ptr {llvm.noalias})
llvm.func @_mlir_memref_to_llvm_aligned_alloc(i64, i64) -> !llvm.ptr
// CHECK: llvm.func @_mlir_memref_to_llvm_alloc(i64) -> (!llvm.ptr {llvm.noalias})
llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
// CHECK: llvm.func @malloc(i64) -> (!llvm.ptr {llvm.noalias})
llvm.func @malloc(i64) -> !llvm.ptr
// CHECK: llvm.func @_mlir_memref_to_llvm_free(!llvm.ptr)
llvm.func @_mlir_memref_to_llvm_free(!llvm.ptr)
// CHECK: llvm.func @qopt_rt_scratch(i64) -> !llvm.ptr
llvm.func @qopt_rt_scratch(i64) -> !llvm.ptr
// A definition may return any pointer (an argument here).
// CHECK: llvm.func @aligned_alloc(%{{.+}}: i64, %{{.+}}: !llvm.ptr) -> !llvm.ptr {
llvm.func @aligned_alloc(%a: i64, %p: !llvm.ptr) -> !llvm.ptr {
  llvm.return %p : !llvm.ptr
}
