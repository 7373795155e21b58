//===- Verification.h - helpers shared by qopt op verifiers -------*- C++ -*-===//

#ifndef QOPT_DIALECT_QOPT_IR_VERIFICATION_H
#define QOPT_DIALECT_QOPT_IR_VERIFICATION_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include <string>

namespace mlir::qopt {

/// "1x3x224x224" ("scalar" for rank 0), for diagnostics.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// A per-axis quantized element type must name an existing dimension whose
/// size equals its number of scales.
LogicalResult verifyQuantizedTensor(Operation *op, ShapedType type,
                                    llvm::StringRef what, unsigned index);

/// Checks that `values` has `size` entries, each >= `min`.
LogicalResult verifyArrayAttr(Operation *op, llvm::StringRef name,
                              llvm::ArrayRef<int64_t> values, size_t size,
                              int64_t min);

/// The shape rules of a grouped 2-D convolution (float or integer).
LogicalResult verifyConv2DShapes(Operation *op, ShapedType input,
                                 ShapedType weight, ShapedType bias,
                                 ShapedType result,
                                 llvm::ArrayRef<int64_t> strides,
                                 llvm::ArrayRef<int64_t> pads,
                                 llvm::ArrayRef<int64_t> dilations,
                                 int64_t group);

/// The shape rules of a 2-D pooling window over NCHW.
LogicalResult verifyPool2DShapes(Operation *op, ShapedType input,
                                 ShapedType result,
                                 llvm::ArrayRef<int64_t> kernel,
                                 llvm::ArrayRef<int64_t> strides,
                                 llvm::ArrayRef<int64_t> pads,
                                 llvm::ArrayRef<int64_t> dilations,
                                 bool ceilMode);

/// The shape rules of a matrix product with broadcast batch dims.
LogicalResult verifyMatMulShapes(Operation *op, ShapedType lhs, ShapedType rhs,
                                 ShapedType result);

/// `value` fits the signed range of the integer `type`.
LogicalResult verifyFitsInteger(Operation *op, llvm::StringRef name,
                                int64_t value, Type type);

} // namespace mlir::qopt

#endif // QOPT_DIALECT_QOPT_IR_VERIFICATION_H
