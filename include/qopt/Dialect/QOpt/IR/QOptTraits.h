//===- QOptTraits.h - shared verification traits of qopt ops ------*- C++ -*-===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPTTRAITS_H
#define QOPT_DIALECT_QOPT_IR_QOPTTRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace mlir::qopt {
namespace detail {
LogicalResult verifySameExpressedElementType(Operation *op);
LogicalResult verifyBroadcastingBinary(Operation *op);
LogicalResult verifySameDataElementType(Operation *op);
} // namespace detail

/// All tensor operands and results share one expressed element type (the
/// float itself, or a quantized type's expressed type).
template <typename ConcreteType>
class SameExpressedElementType
    : public OpTrait::TraitBase<ConcreteType, SameExpressedElementType> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return detail::verifySameExpressedElementType(op);
  }
};

/// Two operands; the result shape is their numpy broadcast.
template <typename ConcreteType>
class BroadcastingBinary
    : public OpTrait::TraitBase<ConcreteType, BroadcastingBinary> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return detail::verifyBroadcastingBinary(op);
  }
};

/// The result element type equals the first operand's element type.
template <typename ConcreteType>
class SameDataElementType
    : public OpTrait::TraitBase<ConcreteType, SameDataElementType> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return detail::verifySameDataElementType(op);
  }
};

} // namespace mlir::qopt

#endif // QOPT_DIALECT_QOPT_IR_QOPTTRAITS_H
