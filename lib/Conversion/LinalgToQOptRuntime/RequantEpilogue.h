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

#include "IntegerTail.h"

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

/// What qopt_rt_igemm_s8_requant needs besides the product's operands
/// (include/qopt/Runtime/Runtime.h), and the ops it replaces. Channels are
/// the product's columns.
struct MatmulRequantEpilogue {
  /// int32 bias per channel (empty: none); multipliers and shifts per
  /// channel (empty: m0, s0 for all).
  SmallVector<int64_t> bias, multiplier, shift;
  int64_t m0 = 0, s0 = 0, accZp = 0, outZp = 0, qmin = -128, qmax = 127;
  /// The integer ops after the rescale, if any.
  std::optional<IntegerTail> tail;
  /// The int8 result buffer, laid out as the int32 accumulator was.
  Value output;
  /// The rescale loop, the accumulator's view, fill, dealloc (if any) and
  /// alloc, in erasure order.
  SmallVector<Operation *> deadOps;
};

/// Matches, for linalg.quantized_matmul (or, `batched`,
/// quantized_batch_matmul) `matmul` writing the fresh i32 buffer `acc`:
///   %acc = memref.alloc; a zero linalg.fill of %acc; matmul;
///   optionally one memref.expand_shape/collapse_shape of %acc (the int_matmul's
///     leading dims); one all-parallel linalg.generic reading it (identity)
///     into an i8 buffer of the same shape, whose other inputs are constant
///     per-channel values (vectors read at the last dim, or constants of the
///     loop's shape that only vary along it; none when batched), whose body
///     holds exactly one rescale stage as matchRequantEpilogue reads it
///     (from the accumulator, or the accumulator plus an int32 channel
///     bias) and after it only integer ops that matchIntegerTail reads
///     back;
///   memref.dealloc %acc (optional), and no other use of %acc.
/// A float op anywhere in the body (an ONNX-exact float_rescale, a
/// dequantize), another rounding, a second tensor input or a second reader
/// of the accumulator does not match.
std::optional<MatmulRequantEpilogue>
matchMatmulRequantEpilogue(ModuleOp module, linalg::LinalgOp matmul,
                           bool batched);

} // namespace mlir::qopt

#endif // QOPT_LIB_CONVERSION_LINALGTOQOPTRUNTIME_REQUANTEPILOGUE_H
