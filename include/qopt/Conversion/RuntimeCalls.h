//===- RuntimeCalls.h - what the runtime-call fusion passes share -*- C++ -*-//
//
// fuse-conv-epilogue-into-qopt-runtime and
// fuse-expand-depthwise-into-qopt-runtime rewrite calls of the runtime's
// convolution with epilogue, and move a call (or merge two) across the ops
// between them: its name, its residual flag, and the ops they may cross.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_CONVERSION_RUNTIMECALLS_H
#define QOPT_CONVERSION_RUNTIMECALLS_H

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::qopt {

/// qopt_rt_conv2d_nchw_f32_epilogue (include/qopt/Runtime/Runtime.h).
constexpr llvm::StringLiteral kConvEpilogueCallee =
    "qopt_rt_conv2d_nchw_f32_epilogue";
/// Its QOPT_RT_EPI_RESIDUAL flag.
constexpr int64_t kEpilogueResidual = 16;

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
