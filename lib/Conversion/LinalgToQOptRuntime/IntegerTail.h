//===- IntegerTail.h - integer ops after a rescale, read as a table -*- C++ -*-===//
//
// Internal to convert-linalg-to-qopt-runtime. After the rescale of an int8
// matrix product, the same loop may hold more integer ops on its int8
// result y (the int_add of a linear layer's int8 bias, a ReLU's clamp).
// The runtime's epilogue computes them as
//   out = clamp(lut[y + 128] + add[channel], lo, hi),
// so this reads the ops back in that form: the final clamp and truncation,
// and below it a sum whose every term depends either on y only or on the
// per-channel inputs only. Each term is then evaluated exactly, with the
// arith ops' own (wrapping, fixed-width) semantics, for the 256 values of y
// and for every channel; any other op, or a term that mixes y and the
// channel, is refused.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_CONVERSION_LINALGTOQOPTRUNTIME_INTEGERTAIL_H
#define QOPT_LIB_CONVERSION_LINALGTOQOPTRUNTIME_INTEGERTAIL_H

#include "mlir/IR/Block.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <optional>

namespace mlir::qopt {

struct IntegerTail {
  /// lut[y + 128] for y in [-128, 127].
  SmallVector<int64_t> lut;
  /// Per channel (empty when no term depends on the channel; constant terms
  /// are folded into lut then).
  SmallVector<int64_t> add;
  int64_t lo = -128, hi = 127;
  /// When the terms on y are one rescale, round_half_up((y - zp)·m, s) with
  /// s in [1, 32] (an int_add's first term), its parameters (dyS = 0:
  /// none), so that the kernel can compute it in vector lanes instead of
  /// reading the table; lut[y + 128] = that value (+ the constant terms
  /// when `add` is empty).
  int64_t dyZp = 0, dyM = 0, dyS = 0;
};

/// Reads `result` (the i8 value the loop body yields) as a function of the
/// i8 value `y` and of the block arguments in `channelArgs`, whose value for
/// channel c is channelArgs[arg][c]; `numChannels` channels. The ops it uses
/// are added to `used`. Every value must come from y, a channel argument,
/// or a constant.
std::optional<IntegerTail>
matchIntegerTail(Value result, Value y,
                 const llvm::DenseMap<Value, SmallVector<int64_t>> &channelArgs,
                 int64_t numChannels, llvm::SmallPtrSetImpl<Operation *> &used);

} // namespace mlir::qopt

#endif // QOPT_LIB_CONVERSION_LINALGTOQOPTRUNTIME_INTEGERTAIL_H
