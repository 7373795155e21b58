//===- RequantEpilogue.h - a convolution's rescale, for fusion --*- C++ -*-===//
//
// Internal to convert-linalg-to-qopt-runtime: recognition of the rescale
// that follows an int8 convolution in today's lowered, bufferized IR, so
// that the runtime's qopt_rt_conv2d_nchw_s8_requant can compute it on the
// int32 tile instead of writing the int32 tensor.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_CONVERSION_LINALGTOQOPTRUNTIME_REQUANTEPILOGUE_H
#define QOPT_LIB_CONVERSION_LINALGTOQOPTRUNTIME_REQUANTEPILOGUE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::qopt {

/// What the runtime's Requant epilogue needs (include/qopt/Runtime/
/// Runtime.h, qopt_rt_conv2d_nchw_s8_requant), and the ops it replaces.
struct RequantEpilogue {
  /// The int32[F] bias stored into the accumulator before the convolution,
  /// or null (the accumulator starts at 0).
  Value bias;
  /// Per-channel int64[F] multipliers and shifts (constant globals), or
  /// null with `m0`, `s0` for every channel.
  Value multiplier, shift;
  int64_t m0 = 0, s0 = 0;
  int64_t accZp = 0, outZp = 0, qmin = -128, qmax = 127;
  /// The int8 N×F×OH×OW result buffer.
  Value output;
  /// The accumulator's initialisation, the rescale generic, the
  /// accumulator's dealloc (if any) and its alloc, in erasure order.
  SmallVector<Operation *> deadOps;
};

/// Matches, for the linalg.conv_2d_nchw_fchw_q `conv` writing the fresh
/// i32 buffer `acc`:
///   %acc = memref.alloc;
///   a zero linalg.fill of %acc, or the broadcast of an int32[F] bias into
///     it (a linalg.generic yielding its input read at d1);
///   conv; then one all-parallel linalg.generic reading %acc (and, per
///     channel, constant int64[F] multipliers and shifts at d1) into an i8
///     buffer, whose body is exactly what convert-qopt-to-linalg builds for
///     qopt.rescale {rounding = half_up} (docs/Numerics.md) from i32 to i8,
///     optionally followed by per-tensor i8 → i8 rescales (qopt-fuse-
///     elementwise's chains, e.g. a ReLU's clamp) that together act on
///     every value the first can produce as one clamp;
///   memref.dealloc %acc (optional), and no other use of %acc.
/// Anything else (another rounding mode, a float multiplier, other inputs
/// such as a residual, a second reader of the accumulator) does not match.
std::optional<RequantEpilogue> matchRequantEpilogue(ModuleOp module,
                                                    linalg::LinalgOp conv);

} // namespace mlir::qopt

#endif // QOPT_LIB_CONVERSION_LINALGTOQOPTRUNTIME_REQUANTEPILOGUE_H
