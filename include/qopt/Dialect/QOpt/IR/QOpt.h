//===- QOpt.h - the qopt dialect ----------------------------------*- C++ -*-===//

#ifndef QOPT_DIALECT_QOPT_IR_QOPT_H
#define QOPT_DIALECT_QOPT_IR_QOPT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "qopt/Dialect/QOpt/IR/QOptTraits.h"

#include "qopt/Dialect/QOpt/IR/QOptOpsDialect.h.inc"
#include "qopt/Dialect/QOpt/IR/QOptEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "qopt/Dialect/QOpt/IR/QOptAttrs.h.inc"

#define GET_OP_CLASSES
#include "qopt/Dialect/QOpt/IR/QOptOps.h.inc"

namespace mlir::qopt {
/// Discardable unit attribute that the ONNX importer puts on the conv2d /
/// matmul it makes from QLinearConv / QLinearMatMul: with
/// `qopt-lower-quantized{rescale=onnx}` their accumulators are requantized
/// as ONNX Runtime's QOperator kernels do (one f32 multiplier) rather than
/// as a QDQ group (multiply, then QuantizeLinear's division).
inline constexpr llvm::StringLiteral kQLinearAttr = "qopt.qlinear";
} // namespace mlir::qopt

#endif // QOPT_DIALECT_QOPT_IR_QOPT_H
