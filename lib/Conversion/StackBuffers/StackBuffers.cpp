//===- StackBuffers.cpp - small heap buffers to the stack -----------------===//
//
// After bufferization every intermediate tensor of the graph function is a
// memref.alloc freed by a memref.dealloc after its last use: one malloc and
// one free per tensor per call. For a small model these calls cost as much
// as a kernel (8 % of the int8 ViT's time on 28x28 images). Upstream's
// promote-buffers-to-stack must run before the deallocation pipeline, where
// it would hide the accumulators from convert-linalg-to-qopt-runtime's
// epilogue matchers (they look for memref.alloc); this pass runs at the end,
// on allocs whose single dealloc is already placed, and bounds the frame.
//
//===----------------------------------------------------------------------===//

#include "qopt/Conversion/StackBuffers/StackBuffers.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTPROMOTESMALLBUFFERSPASS
#include "qopt/Conversion/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

/// The bytes of a static buffer of int/float elements, or -1.
int64_t staticBytes(MemRefType type) {
  if (!type.hasStaticShape() || type.getMemorySpace())
    return -1;
  Type element = type.getElementType();
  if (!element.isIntOrFloat())
    return -1;
  // i1 and other sub-byte types take a byte each once lowered.
  int64_t bytes = (element.getIntOrFloatBitWidth() + 7) / 8;
  return type.getNumElements() * bytes;
}

/// The dealloc of `alloc` when it is the value's only dealloc and sits in
/// the alloc's block (the buffer dies in the function), else null.
memref::DeallocOp singleLocalDealloc(memref::AllocOp alloc) {
  memref::DeallocOp found;
  for (Operation *user : alloc->getUsers()) {
    auto dealloc = dyn_cast<memref::DeallocOp>(user);
    if (!dealloc)
      continue;
    if (found || dealloc->getBlock() != alloc->getBlock())
      return {};
    found = dealloc;
  }
  return found;
}

struct QOptPromoteSmallBuffersPass
    : qopt::impl::QOptPromoteSmallBuffersPassBase<
          QOptPromoteSmallBuffersPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &entry = func.getBody().front();
    int64_t total = 0;
    // At the start of the entry block, in program order: fixed slots of the
    // frame (an alloca after the block is split by the loops' lowering
    // would be a dynamic stack adjustment).
    OpBuilder builder(&getContext());
    Operation *lastAlloca = nullptr;
    // Allocs of the entry block only: one in a loop body would grow the
    // stack on every iteration.
    for (auto alloc :
         llvm::make_early_inc_range(entry.getOps<memref::AllocOp>())) {
      if (!alloc.getDynamicSizes().empty() ||
          !alloc.getSymbolOperands().empty())
        continue;
      int64_t bytes = staticBytes(alloc.getType());
      if (bytes < 0 || bytes > maxBufferBytes || total + bytes > maxTotalBytes)
        continue;
      memref::DeallocOp dealloc = singleLocalDealloc(alloc);
      if (!dealloc)
        continue;
      if (lastAlloca)
        builder.setInsertionPointAfter(lastAlloca);
      else
        builder.setInsertionPointToStart(&entry);
      auto alloca = memref::AllocaOp::create(builder, alloc.getLoc(),
                                             alloc.getType(), ValueRange{},
                                             alloc.getAlignmentAttr());
      lastAlloca = alloca;
      alloc.getResult().replaceAllUsesWith(alloca.getResult());
      dealloc.erase();
      alloc.erase();
      total += bytes;
    }
  }
};

} // namespace
