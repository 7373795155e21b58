//===- RuntimeCalls.h - what the runtime-call fusion passes share -*- C++ -*-//
//
// fuse-conv-epilogue-into-qopt-runtime and
// fuse-expand-depthwise-into-qopt-runtime move a runtime call (or merge two)
// across the ops between them; these are the ops they may cross.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CONVERSION_RUNTIMECALLS_H
#define QOPT_CONVERSION_RUNTIMECALLS_H

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::qopt {

/// Ops that neither read nor write any buffer's contents: allocations,
/// reshapes, globals' addresses, pointer and metadata extraction, and
/// arith (constants, index arithmetic).
inline bool touchesNoBufferContents(Operation *op) {
  return isa<memref::AllocOp, memref::AllocaOp, memref::CollapseShapeOp,
             memref::ExpandShapeOp, memref::GetGlobalOp,
             memref::ExtractAlignedPointerAsIndexOp,
             memref::ExtractStridedMetadataOp>(op) ||
         op->getDialect()->getNamespace() == "arith";
}

} // namespace mlir::qopt

#endif // QOPT_CONVERSION_RUNTIMECALLS_H
