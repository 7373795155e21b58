//===- QOptDialect.cpp - the qopt dialect ---------------------------------===//

#include "qopt/Dialect/QOpt/IR/QOpt.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/TypeUtilities.h" // AllElementTypesMatch in the op verifiers
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qopt;

#include "qopt/Dialect/QOpt/IR/QOptOpsDialect.cpp.inc"
#include "qopt/Dialect/QOpt/IR/QOptEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "qopt/Dialect/QOpt/IR/QOptAttrs.cpp.inc"

#define GET_OP_CLASSES
#include "qopt/Dialect/QOpt/IR/QOptOps.cpp.inc"

void QOptDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qopt/Dialect/QOpt/IR/QOptAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "qopt/Dialect/QOpt/IR/QOptOps.cpp.inc"
      >();
}

Operation *QOptDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements)
    return nullptr;
  if (elements.getType() != type) {
    // A quantized constant folds to its storage values (see
    // ConstantOp::fold): accept them for a tensor of the matching quantized
    // type.
    auto tensorType = dyn_cast<RankedTensorType>(type);
    auto valueType = dyn_cast<RankedTensorType>(elements.getType());
    if (!tensorType || !valueType ||
        tensorType.getShape() != valueType.getShape())
      return nullptr;
    auto q = dyn_cast<quant::QuantizedType>(tensorType.getElementType());
    if (!q || q.getStorageType() != valueType.getElementType())
      return nullptr;
  }
  return ConstantOp::create(builder, loc, type, elements);
}
