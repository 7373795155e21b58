//===- Verification.cpp - helpers shared by qopt op verifiers -------------===//

#include "qopt/Dialect/QOpt/IR/Verification.h"
#include "qopt/Dialect/QOpt/IR/ShapeUtils.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

std::string qopt::formatShape(llvm::ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  return llvm::join(llvm::map_range(shape,
                                    [](int64_t d) { return std::to_string(d); }),
                    "x");
}

LogicalResult qopt::verifyQuantizedTensor(Operation *op, ShapedType type,
                                          StringRef what, unsigned index) {
  auto perAxis =
      dyn_cast<quant::UniformQuantizedPerAxisType>(type.getElementType());
  if (!perAxis)
    return success();
  int64_t dim = perAxis.getQuantizedDimension();
  if (dim >= type.getRank())
    return op->emitOpError()
           << what << " #" << index << " is quantized along dimension " << dim
           << " but has rank " << type.getRank();
  int64_t scales = perAxis.getScales().size();
  if (scales != type.getDimSize(dim))
    return op->emitOpError() << what << " #" << index << " has " << scales
                             << " scales for dimension " << dim << " of size "
                             << type.getDimSize(dim);
  return success();
}

LogicalResult qopt::verifyArrayAttr(Operation *op, StringRef name,
                                    llvm::ArrayRef<int64_t> values, size_t size,
                                    int64_t min) {
  if (values.size() != size)
    return op->emitOpError() << "'" << name << "' must have " << size
                             << " entries, got " << values.size();
  for (int64_t v : values)
    if (v < min)
      return op->emitOpError()
             << "'" << name << "' entries must be >= " << min << ", got " << v;
  return success();
}

LogicalResult qopt::verifyConv2DShapes(Operation *op, ShapedType input,
                                       ShapedType weight, ShapedType bias,
                                       ShapedType result,
                                       llvm::ArrayRef<int64_t> strides,
                                       llvm::ArrayRef<int64_t> pads,
                                       llvm::ArrayRef<int64_t> dilations,
                                       int64_t group) {
  if (input.getRank() != 4 || weight.getRank() != 4 || result.getRank() != 4)
    return op->emitOpError("input, weight and result must have rank 4");
  if (failed(verifyArrayAttr(op, "strides", strides, 2, 1)) ||
      failed(verifyArrayAttr(op, "pads", pads, 4, 0)) ||
      failed(verifyArrayAttr(op, "dilations", dilations, 2, 1)))
    return failure();
  int64_t channels = input.getDimSize(1), filters = weight.getDimSize(0);
  if (group < 1 || channels % group != 0 || filters % group != 0)
    return op->emitOpError() << "group " << group
                             << " must be >= 1 and divide the input channels ("
                             << channels << ") and the filters (" << filters
                             << ")";
  if (weight.getDimSize(1) * group != channels)
    return op->emitOpError()
           << "weight has " << weight.getDimSize(1)
           << " input channels per group, expected " << channels / group;
  if (bias && (bias.getRank() != 1 || bias.getDimSize(0) != filters))
    return op->emitOpError() << "bias must have shape " << filters
                             << ", got " << formatShape(bias.getShape());
  llvm::SmallVector<int64_t> expected{input.getDimSize(0), filters};
  for (int i = 0; i < 2; ++i)
    expected.push_back(convOutputSize(input.getDimSize(2 + i),
                                      weight.getDimSize(2 + i), strides[i],
                                      pads[i], pads[2 + i], dilations[i]));
  if (expected[2] < 1 || expected[3] < 1)
    return op->emitOpError("the kernel does not fit in the padded input");
  if (result.getShape() != llvm::ArrayRef<int64_t>(expected))
    return op->emitOpError() << "result shape " << formatShape(result.getShape())
                             << " does not match the computed shape "
                             << formatShape(expected);
  return success();
}

LogicalResult qopt::verifyPool2DShapes(Operation *op, ShapedType input,
                                       ShapedType result,
                                       llvm::ArrayRef<int64_t> kernel,
                                       llvm::ArrayRef<int64_t> strides,
                                       llvm::ArrayRef<int64_t> pads,
                                       llvm::ArrayRef<int64_t> dilations,
                                       bool ceilMode) {
  if (input.getRank() != 4 || result.getRank() != 4)
    return op->emitOpError("input and result must have rank 4");
  if (failed(verifyArrayAttr(op, "kernel", kernel, 2, 1)) ||
      failed(verifyArrayAttr(op, "strides", strides, 2, 1)) ||
      failed(verifyArrayAttr(op, "pads", pads, 4, 0)) ||
      failed(verifyArrayAttr(op, "dilations", dilations, 2, 1)))
    return failure();
  llvm::SmallVector<int64_t> expected{input.getDimSize(0), input.getDimSize(1)};
  for (int i = 0; i < 2; ++i)
    expected.push_back(convOutputSize(input.getDimSize(2 + i), kernel[i],
                                      strides[i], pads[i], pads[2 + i],
                                      dilations[i], ceilMode));
  if (expected[2] < 1 || expected[3] < 1)
    return op->emitOpError("the window does not fit in the padded input");
  if (result.getShape() != llvm::ArrayRef<int64_t>(expected))
    return op->emitOpError() << "result shape " << formatShape(result.getShape())
                             << " does not match the computed shape "
                             << formatShape(expected);
  return success();
}

LogicalResult qopt::verifyMatMulShapes(Operation *op, ShapedType lhs,
                                       ShapedType rhs, ShapedType result) {
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return op->emitOpError("operands must have rank >= 2");
  auto lhsShape = lhs.getShape(), rhsShape = rhs.getShape();
  int64_t k = lhsShape.back(), k2 = rhsShape[rhsShape.size() - 2];
  if (k != k2)
    return op->emitOpError() << "contraction sizes differ: lhs has " << k
                             << ", rhs has " << k2;
  auto batch = broadcastShapes(lhsShape.drop_back(2), rhsShape.drop_back(2));
  if (!batch)
    return op->emitOpError() << "batch dims "
                             << formatShape(lhsShape.drop_back(2)) << " and "
                             << formatShape(rhsShape.drop_back(2))
                             << " do not broadcast";
  llvm::SmallVector<int64_t> expected(*batch);
  expected.push_back(lhsShape[lhsShape.size() - 2]);
  expected.push_back(rhsShape.back());
  if (result.getShape() != llvm::ArrayRef<int64_t>(expected))
    return op->emitOpError() << "result shape " << formatShape(result.getShape())
                             << " does not match the computed shape "
                             << formatShape(expected);
  return success();
}

LogicalResult qopt::verifyFitsInteger(Operation *op, StringRef name,
                                      int64_t value, Type type) {
  unsigned width = type.getIntOrFloatBitWidth();
  if (width >= 64)
    return success();
  // i0 holds only 0 (and `1 << (width - 1)` would be undefined for it).
  int64_t lo = width == 0 ? 0 : -(int64_t(1) << (width - 1));
  int64_t hi = width == 0 ? 0 : (int64_t(1) << (width - 1)) - 1;
  if (value < lo || value > hi)
    return op->emitOpError() << "'" << name << "' = " << value
                             << " does not fit in " << type << " [" << lo
                             << ", " << hi << "]";
  return success();
}
