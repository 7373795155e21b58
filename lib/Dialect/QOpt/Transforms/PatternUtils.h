//===- PatternUtils.h - matchers shared by qopt's rewrite patterns -*- C++ -*-===//

#ifndef QOPT_LIB_DIALECT_QOPT_TRANSFORMS_PATTERNUTILS_H
#define QOPT_LIB_DIALECT_QOPT_TRANSFORMS_PATTERNUTILS_H

#include "qopt/Dialect/QOpt/IR/QOpt.h"

#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir::qopt {

/// If `v` is a float constant whose elements are all equal, that value.
std::optional<double> getSplatValue(Value v);

/// `v` is a float constant splat within a relative 1e-4 of `expected`.
bool isSplatNear(Value v, double expected);

/// If `op` has two operands of which one is a splat constant near
/// `expected`, the other operand.
Value otherOperandIfSplat(Operation *op, double expected);

/// The value is a float tensor (not quantized): raising patterns only apply
/// to float graphs, whose semantics they preserve.
bool isFloatTensor(Value v);

/// `v` is a reduce of kind `kind` over exactly the trailing dims starting at
/// some axis, with keep_dims; returns that first axis.
std::optional<int64_t> trailingReduceAxis(Value v, ReduceKind kind,
                                          Value &input);

} // namespace mlir::qopt

#endif // QOPT_LIB_DIALECT_QOPT_TRANSFORMS_PATTERNUTILS_H
