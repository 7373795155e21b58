//===- ShapeUtils.cpp - shape rules shared by verifiers and importers -----===//

#include "qopt/Dialect/QOpt/IR/ShapeUtils.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

std::optional<llvm::SmallVector<int64_t>>
qopt::broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  llvm::SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align from the trailing dimension.
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1)
      out[i] = da;
    else if (da == 1)
      out[i] = db;
    else
      return std::nullopt;
  }
  return out;
}

int64_t qopt::convOutputSize(int64_t in, int64_t kernel, int64_t stride,
                             int64_t padBegin, int64_t padEnd,
                             int64_t dilation, bool ceilMode) {
  int64_t effectiveKernel = dilation * (kernel - 1) + 1;
  int64_t span = in + padBegin + padEnd - effectiveKernel;
  if (span < 0 || stride <= 0)
    return 0;
  int64_t out = span / stride + 1;
  if (ceilMode && span % stride != 0) {
    ++out;
    // A window may not start inside the end padding (ONNX, PyTorch).
    if ((out - 1) * stride >= in + padBegin)
      --out;
  }
  return out;
}

int64_t qopt::convTransposeOutputSize(int64_t in, int64_t kernel,
                                      int64_t stride, int64_t padBegin,
                                      int64_t padEnd, int64_t dilation,
                                      int64_t outputPadding) {
  return stride * (in - 1) + outputPadding + dilation * (kernel - 1) + 1 -
         padBegin - padEnd;
}

int64_t qopt::sliceSize(int64_t start, int64_t end, int64_t step) {
  if (step > 0)
    return end > start ? (end - start + step - 1) / step : 0;
  return start > end ? (start - end - step - 1) / -step : 0;
}

Type qopt::getExpressedType(Type elementType) {
  if (isa<FloatType>(elementType))
    return elementType;
  if (auto q = dyn_cast<quant::QuantizedType>(elementType))
    return q.getExpressedType();
  return {};
}
