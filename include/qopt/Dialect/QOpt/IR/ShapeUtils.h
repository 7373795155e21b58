//===- ShapeUtils.h - shape rules shared by verifiers and importers -*- C++ -*-===//
//
// The shape arithmetic of qopt ops in one place: the verifiers, the ONNX
// importer and the lowerings all compute result shapes with these.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_IR_SHAPEUTILS_H
#define QOPT_DIALECT_QOPT_IR_SHAPEUTILS_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace mlir::qopt {

/// The numpy (ONNX multidirectional) broadcast of two shapes, or nullopt if
/// they are incompatible.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

/// Output size of a convolution or pooling window along one dimension, or a
/// value <= 0 if the window does not fit. `ceilMode` rounds up as ONNX
/// pooling does (a window may not start in the end padding).
int64_t convOutputSize(int64_t in, int64_t kernel, int64_t stride,
                       int64_t padBegin, int64_t padEnd, int64_t dilation,
                       bool ceilMode = false);

/// Output size of a transposed convolution along one dimension.
int64_t convTransposeOutputSize(int64_t in, int64_t kernel, int64_t stride,
                                int64_t padBegin, int64_t padEnd,
                                int64_t dilation, int64_t outputPadding);

/// Number of elements of a strided slice [start, end) with step != 0.
int64_t sliceSize(int64_t start, int64_t end, int64_t step);

/// The float type a tensor element stands for: a float itself, or the
/// expressed type of a quantized type. Null for anything else.
Type getExpressedType(Type elementType);

} // namespace mlir::qopt

#endif // QOPT_DIALECT_QOPT_IR_SHAPEUTILS_H
