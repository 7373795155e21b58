//===- QOptTraits.cpp - shared verification traits of qopt ops ------------===//

#include "qopt/Dialect/QOpt/IR/QOptTraits.h"
#include "qopt/Dialect/QOpt/IR/ShapeUtils.h"
#include "qopt/Dialect/QOpt/IR/Verification.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

LogicalResult qopt::detail::verifySameExpressedElementType(Operation *op) {
  Type expected;
  auto check = [&](Type type, StringRef what, unsigned index) -> LogicalResult {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped)
      return success();
    if (failed(verifyQuantizedTensor(op, shaped, what, index)))
      return failure();
    Type expressed = getExpressedType(shaped.getElementType());
    if (!expressed)
      return op->emitOpError() << what << " #" << index << " element type "
                               << shaped.getElementType()
                               << " is neither a float nor a quantized type";
    if (!expected) {
      expected = expressed;
      return success();
    }
    if (expressed != expected)
      return op->emitOpError()
             << "operands and results must share one expressed element type, "
                "but "
             << what << " #" << index << " expresses " << expressed
             << " where " << expected << " was expected";
    return success();
  };
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(type, "operand", i)))
      return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(type, "result", i)))
      return failure();
  return success();
}

LogicalResult qopt::detail::verifyBroadcastingBinary(Operation *op) {
  auto lhs = cast<ShapedType>(op->getOperand(0).getType());
  auto rhs = cast<ShapedType>(op->getOperand(1).getType());
  auto result = cast<ShapedType>(op->getResult(0).getType());
  auto shape = broadcastShapes(lhs.getShape(), rhs.getShape());
  if (!shape)
    return op->emitOpError() << "operand shapes " << formatShape(lhs.getShape())
                             << " and " << formatShape(rhs.getShape())
                             << " do not broadcast";
  if (llvm::ArrayRef<int64_t>(*shape) != result.getShape())
    return op->emitOpError()
           << "result shape " << formatShape(result.getShape())
           << " must be the broadcast shape " << formatShape(*shape);
  return success();
}

LogicalResult qopt::detail::verifySameDataElementType(Operation *op) {
  auto inType = cast<ShapedType>(op->getOperand(0).getType());
  Type in = inType.getElementType();
  // Data movement keeps the element type, so a per-axis quantized type must
  // fit the shapes on both sides.
  if (failed(verifyQuantizedTensor(op, inType, "operand", 0)))
    return failure();
  for (auto [i, resultType] : llvm::enumerate(op->getResultTypes())) {
    Type out = cast<ShapedType>(resultType).getElementType();
    if (in != out)
      return op->emitOpError() << "result element type " << out
                               << " must equal the input element type " << in;
    if (failed(verifyQuantizedTensor(op, cast<ShapedType>(resultType),
                                     "result", i)))
      return failure();
  }
  return success();
}
