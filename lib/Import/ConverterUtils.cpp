//===- ConverterUtils.cpp - helpers shared by the op converters -----------===//

#include "ConverterUtils.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

LogicalResult mlir::qopt::onnx_import::requireFloatCompute(NodeImporter &ni,
                                                           RankedTensorType type) {
  if (isa<FloatType, quant::QuantizedType>(type.getElementType()))
    return success();
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type.getElementType();
  return ni.fail("computes on " + s +
                 " tensors; qopt's compute ops take float or quantized "
                 "tensors (integer arithmetic is folded only when constant)");
}

FailureOr<int64_t> mlir::qopt::onnx_import::normalizedAxis(NodeImporter &ni,
                                                           int64_t axis,
                                                           int64_t rank,
                                                           bool inclusive) {
  // Negative axes count from the back in both ranges: -1 is rank-1.
  int64_t limit = inclusive ? rank + 1 : rank;
  int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= limit)
    return ni.error("axis " + llvm::Twine(axis) + " is out of range for rank " +
                    llvm::Twine(rank));
  return a;
}

Value mlir::qopt::onnx_import::reshapeTo(NodeImporter &ni, Value value,
                                         llvm::ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return ReshapeOp::create(ni.b, ni.loc,
                           RankedTensorType::get(shape, type.getElementType()),
                           value);
}

FailureOr<llvm::SmallVector<int64_t>>
mlir::qopt::onnx_import::intsAttr(NodeImporter &ni, llvm::StringRef name,
                                  size_t n, int64_t dflt) {
  auto v = ni.attrInts(name);
  if (!v)
    return llvm::SmallVector<int64_t>(n, dflt);
  if (v->size() != n)
    return ni.error("attribute '" + name + "' has " + llvm::Twine(v->size()) +
                    " entries, expected " + llvm::Twine(n));
  return *v;
}

FailureOr<llvm::SmallVector<int64_t>> mlir::qopt::onnx_import::windowPads(
    NodeImporter &ni, llvm::ArrayRef<int64_t> in, llvm::ArrayRef<int64_t> kernel,
    llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> dilations) {
  size_t n = in.size();
  std::string autoPad = ni.attrString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET" || autoPad.empty()) {
    auto pads = intsAttr(ni, "pads", 2 * n, 0);
    if (failed(pads))
      return failure();
    for (int64_t p : *pads)
      if (p < 0)
        return ni.error("negative pads are not supported");
    return pads;
  }
  if (autoPad == "VALID")
    return llvm::SmallVector<int64_t>(2 * n, 0);
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return ni.error("unknown auto_pad '" + autoPad + "'");
  llvm::SmallVector<int64_t> pads(2 * n, 0);
  for (size_t i = 0; i < n; ++i) {
    int64_t out = (in[i] + strides[i] - 1) / strides[i];
    int64_t effective = dilations[i] * (kernel[i] - 1) + 1;
    int64_t total =
        std::max<int64_t>(0, (out - 1) * strides[i] + effective - in[i]);
    int64_t small = total / 2, large = total - small;
    pads[i] = autoPad == "SAME_UPPER" ? small : large;
    pads[n + i] = autoPad == "SAME_UPPER" ? large : small;
  }
  return pads;
}
