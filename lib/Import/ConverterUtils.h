//===- ConverterUtils.h - helpers shared by the op converters -----*- C++ -*-===//

#ifndef QOPT_LIB_IMPORT_CONVERTERUTILS_H
#define QOPT_LIB_IMPORT_CONVERTERUTILS_H

#include "NodeImporter.h"

#include "qopt/Dialect/QOpt/IR/QOpt.h"
#include "qopt/Dialect/QOpt/IR/ShapeUtils.h"

namespace mlir::qopt::onnx_import {

/// Compute ops take float (or quantized) tensors only.
LogicalResult requireFloatCompute(NodeImporter &ni, RankedTensorType type);

/// ONNX axis in [-rank, rank) (or [-rank, rank] with `inclusive`) to [0, rank)
/// (or [0, rank]).
FailureOr<int64_t> normalizedAxis(NodeImporter &ni, int64_t axis, int64_t rank,
                                  bool inclusive = false);

/// A qopt.reshape of `value` to `shape` (no op if the shape is unchanged).
Value reshapeTo(NodeImporter &ni, Value value, llvm::ArrayRef<int64_t> shape);

/// Explicit [begin..., end...] pads of a convolution or pooling window from
/// `pads` or `auto_pad`, for the spatial dims of `inputShape`.
FailureOr<llvm::SmallVector<int64_t>>
windowPads(NodeImporter &ni, llvm::ArrayRef<int64_t> spatialInput,
           llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
           llvm::ArrayRef<int64_t> dilations);

/// An int array attribute with `n` entries, defaulted to `dflt`, checked.
FailureOr<llvm::SmallVector<int64_t>>
intsAttr(NodeImporter &ni, llvm::StringRef name, size_t n, int64_t dflt);

} // namespace mlir::qopt::onnx_import

#endif // QOPT_LIB_IMPORT_CONVERTERUTILS_H
