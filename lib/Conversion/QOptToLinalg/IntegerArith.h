//===- IntegerArith.h - scalar integer arithmetic of docs/Numerics.md -*- C++ -*-===//
//
// Internal to lib/Conversion/QOptToLinalg: builders of the arith ops that
// compute the exact integer steps of docs/Numerics.md (rounding shifts,
// saturation, I-ViT's ShiftExp) on i64 scalars inside linalg bodies, and the
// integer reductions and per-axis constants the quantized lowerings share.
// Only ops that convert-arith-to-llvm lowers directly are used (no
// floordivsi/ceildivsi, which would need arith-expand).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_CONVERSION_QOPTTOLINALG_INTEGERARITH_H
#define QOPT_LIB_CONVERSION_QOPTTOLINALG_INTEGERARITH_H

#include "qopt/Dialect/QOpt/IR/QOpt.h"

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"

namespace mlir::qopt::linalg_lowering {

/// An i64 `arith.constant`.
Value createI64(OpBuilder &b, Location loc, int64_t value);

/// `value` (a signless integer scalar) extended to i64: sign-extended, or
/// zero-extended when `isUnsigned`.
Value extendToI64(OpBuilder &b, Location loc, Value value,
                  bool isUnsigned = false);

/// `value` (i64) truncated to the integer type `type` (no-op for i64).
Value truncateFromI64(OpBuilder &b, Location loc, Value value, Type type);

/// min(max(value, lo), hi) on i64.
Value clampI64(OpBuilder &b, Location loc, Value value, int64_t lo,
               int64_t hi);

/// `v / 2^s` rounded with `mode` (docs/Numerics.md, "Rounding a rational to
/// an integer"); `v` and `s` are i64, `s` in [0, 62], possibly not constant.
Value roundingShift(OpBuilder &b, Location loc, Value v, Value s,
                    RoundingMode mode);

/// I-ViT's ShiftExp of the i64 `x` (x <= 0) with the constants `x0` < 0 and
/// `n` (docs/Numerics.md, "ShiftExp").
Value shiftExp(OpBuilder &b, Location loc, Value x, int64_t x0, int64_t n);

/// The signed range of the integer type `type`.
int64_t signedMin(Type type);
int64_t signedMax(Type type);

/// The kinds of integer `linalg.reduce` the lowerings build.
enum class IntCombiner {
  add,          ///< exact sum (i64 accumulator)
  max,          ///< signed maximum
  saturatingAdd ///< min(acc + min(x, 2^31-1), 2^31-1) for x >= 0
};

/// `linalg.reduce` of the integer tensor `value` over `dims` (dropped) into
/// an i64 tensor; the elements are sign-extended first and, with `square`,
/// squared.
Value createIntReduction(OpBuilder &b, Location loc, Value value,
                         ArrayRef<int64_t> dims, IntCombiner combiner,
                         bool square = false);

/// A rank-1 `arith.constant` tensor of `values` with element type `type`.
Value createVectorConstant(OpBuilder &b, Location loc, ArrayRef<int64_t> values,
                           Type type);
Value createVectorConstant(OpBuilder &b, Location loc, ArrayRef<double> values,
                           Type type);

/// An all-parallel `linalg.generic` over `resultType` (fresh `tensor.empty`
/// output) reading `inputs` through `inputMaps`; `body` gets the input
/// elements and returns the result element.
Value createParallelGeneric(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    ArrayRef<AffineMap> inputMaps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// The map (d0, ..., d{rank-1}) -> (d{axis}), which reads a per-channel
/// vector inside a loop nest of rank `rank`.
AffineMap getAxisMap(unsigned rank, int64_t axis, MLIRContext *context);

/// A generic over `resultType` reading `input` elementwise and, with `axis`,
/// the rank-1 `channelVectors` at the element's index along `axis`; `body`
/// gets the element and the channel values (none when `axis` is unset).
Value createChannelwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, Value input,
    std::optional<int64_t> axis, ArrayRef<Value> channelVectors,
    function_ref<Value(OpBuilder &, Location, Value, ValueRange)> body);

} // namespace mlir::qopt::linalg_lowering

#endif // QOPT_LIB_CONVERSION_QOPTTOLINALG_INTEGERARITH_H
