//===- QuantOps.cpp - quantize, dequantize, requantize --------------------===//

#include "qopt/Dialect/QOpt/IR/QOpt.h"
#include "qopt/Dialect/QOpt/IR/Verification.h"

using namespace mlir;
using namespace mlir::qopt;

/// Checks one float tensor against one quantized tensor of the same op.
static LogicalResult verifyFloatQuantPair(Operation *op, ShapedType floatType,
                                          ShapedType quantType) {
  auto q = cast<quant::QuantizedType>(quantType.getElementType());
  if (q.getExpressedType() != floatType.getElementType())
    return op->emitOpError()
           << "float type " << floatType.getElementType()
           << " must be the quantized type's expressed type "
           << q.getExpressedType();
  return verifyQuantizedTensor(op, quantType, "quantized tensor", 0);
}

LogicalResult QuantizeOp::verify() {
  return verifyFloatQuantPair(*this, getInput().getType(),
                              getOutput().getType());
}

LogicalResult DequantizeOp::verify() {
  return verifyFloatQuantPair(*this, getOutput().getType(),
                              getInput().getType());
}

OpFoldResult QuantizeOp::fold(FoldAdaptor) {
  // quantize(dequantize(q)) into q's own type gives back q exactly: the
  // round trip (q - zp)·s / s + zp rounds to q for every storable q.
  if (auto dq = getInput().getDefiningOp<DequantizeOp>())
    if (dq.getInput().getType() == getOutput().getType())
      return dq.getInput();
  return {};
}

LogicalResult RequantizeOp::verify() {
  auto in = cast<quant::QuantizedType>(getInput().getType().getElementType());
  auto out = cast<quant::QuantizedType>(getOutput().getType().getElementType());
  if (in.getExpressedType() != out.getExpressedType())
    return emitOpError() << "input and result express different types: "
                         << in.getExpressedType() << " and "
                         << out.getExpressedType();
  if (failed(verifyQuantizedTensor(*this, getInput().getType(), "operand", 0)))
    return failure();
  return verifyQuantizedTensor(*this, getOutput().getType(), "result", 0);
}

OpFoldResult RequantizeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  return {};
}

LogicalResult DynamicQuantizeOp::verify() {
  auto input = getInput().getType();
  auto output = getOutput().getType();
  if (output.getShape() != input.getShape())
    return emitOpError() << "output shape " << formatShape(output.getShape())
                         << " differs from the input shape "
                         << formatShape(input.getShape());
  if (!output.getElementType().isInteger(8) ||
      !getZeroPoint().getType().getElementType().isInteger(8))
    return emitOpError("output and zero point must hold 8-bit integers");
  if (getScale().getType().getRank() != 0 ||
      getZeroPoint().getType().getRank() != 0)
    return emitOpError("scale and zero point must have rank 0");
  if (getScale().getType().getElementType() != input.getElementType())
    return emitOpError() << "scale type "
                         << getScale().getType().getElementType()
                         << " must be the input's " << input.getElementType();
  return success();
}
