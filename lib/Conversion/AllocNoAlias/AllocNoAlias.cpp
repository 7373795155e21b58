//===- AllocNoAlias.cpp - allocator results do not alias ------------------===//
//
// finalize-memref-to-llvm calls `_mlir_memref_to_llvm_aligned_alloc` (with
// use-generic-functions and use-aligned-alloc) for each heap buffer, a
// function LLVM knows nothing of: without more, LLVM must assume that two
// buffers may overlap, and leaves loops that read one and write another
// scalar where their trip counts are too small for runtime overlap checks
// (fashion_cnn's 2x2 max pooling, 14 outputs a row). The runtime's
// allocator returns fresh memory, as malloc does, so its declaration's
// result gets `llvm.noalias`. (Without use-aligned-alloc the lowering
// aligns the pointer through ptrtoint/inttoptr, which hides where it comes
// from whatever the declaration says.)
//
//===----------------------------------------------------------------------===//

#include "qopt/Conversion/AllocNoAlias/AllocNoAlias.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTMARKALLOCATIONSNOALIASPASS
#include "qopt/Conversion/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

/// The allocation functions of MLIR's memref lowering (generic and C
/// library names), each returning a new block.
constexpr llvm::StringLiteral kAllocators[] = {
    "_mlir_memref_to_llvm_alloc", "_mlir_memref_to_llvm_aligned_alloc",
    "malloc", "aligned_alloc"};

struct QOptMarkAllocationsNoAliasPass
    : qopt::impl::QOptMarkAllocationsNoAliasPassBase<
          QOptMarkAllocationsNoAliasPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (llvm::StringLiteral name : kAllocators) {
      auto func = module.lookupSymbol<LLVM::LLVMFuncOp>(name);
      // Only declarations returning a pointer: a definition in the module
      // could return anything.
      if (!func || !func.isExternal() ||
          !isa<LLVM::LLVMPointerType>(func.getFunctionType().getReturnType()))
        continue;
      func.setResultAttr(0, LLVM::LLVMDialect::getNoAliasAttrName(),
                         UnitAttr::get(&getContext()));
    }
  }
};

} // namespace
