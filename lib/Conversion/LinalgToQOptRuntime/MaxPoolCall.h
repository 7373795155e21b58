//===- MaxPoolCall.h - unrolled f32 max pooling to a runtime call -*- C++ -*-===//
//
// Internal to convert-linalg-to-qopt-runtime.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_CONVERSION_LINALGTOQOPTRUNTIME_MAXPOOLCALL_H
#define QOPT_LIB_CONVERSION_LINALGTOQOPTRUNTIME_MAXPOOLCALL_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::qopt {

/// If `op` is convert-qopt-to-linalg's unrolled f32 max pooling after
/// bufferization (an elementwise linalg.generic over rank-4 identity maps
/// whose inputs are memref.subviews of one contiguous N×C×H×W buffer at
/// offsets (0, 0, ky·dh, kx·dw) in window order, strides (1, 1, sh, sw),
/// and whose body is the chain maximumf(...maximumf(in0, in1)..., inK)),
/// replaces it by a call of qopt_rt_maxpool2d_nchw_f32 (same bits) and
/// erases the subviews left unused. Fails, changing nothing, otherwise.
LogicalResult rewriteMaxPoolGeneric(ModuleOp module, linalg::GenericOp op);

} // namespace mlir::qopt

#endif // QOPT_LIB_CONVERSION_LINALGTOQOPTRUNTIME_MAXPOOLCALL_H
