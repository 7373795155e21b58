//===- QuantizableOps.h - which ops PTQ quantizes, and which tensors -*- C++ -*-===//
//
// Calibration and qopt-quantize must agree on the tensors that get
// quantized: calibration observes exactly the values that the pass will
// give quant types.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_QUANTIZATION_QUANTIZABLEOPS_H
#define QOPT_QUANTIZATION_QUANTIZABLEOPS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"

namespace mlir::qopt {

enum class QuantRole {
  /// Not quantized: computed in float between dequantize and quantize.
  None,
  /// conv2d, matmul, gemm: constant weights quantized, the activation
  /// input(s) and the result get per-tensor types of their own ranges.
  Contraction,
  /// add, concat: inputs and result each with their own type (the integer
  /// form aligns the scales).
  Arithmetic,
  /// relu, clamp, pooling, reshape, flatten, transpose: the result keeps
  /// the input's type, which is exact for these ops (order-preserving or
  /// data movement; averages stay within the input's range).
  SameScale,
};

QuantRole getQuantRole(Operation *op);

/// Whether `value` is produced by a constant op (weights are not observed).
bool isConstantValue(Value value);

/// The float tensors of `func` that calibration observes, in program order
/// (function arguments first), each once.
SmallVector<Value> selectObservedValues(func::FuncOp func);

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_QUANTIZABLEOPS_H
