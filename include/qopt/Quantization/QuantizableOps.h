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
  /// Integer-only mode only: softmax, gelu, layer_norm (input and result
  /// with their own types; qopt-integer-only turns them into I-ViT's
  /// integer ops) and mul by a positive constant scalar (a dyadic rescale).
  NonLinear,
};

/// The role of `op` in PTQ. `integerOnly` adds the ops that only the
/// integer-only pipeline quantizes (softmax, gelu, layer_norm, mul by a
/// constant scalar, reduce mean, gather with constant indices), so that no
/// float op is left between the contractions.
QuantRole getQuantRole(Operation *op, bool integerOnly = false);

/// Whether `mul` multiplies by a positive, finite constant scalar (of any
/// shape whose elements are all equal); returns that scalar.
std::optional<double> getConstantScalarFactor(Operation *mul);

/// Whether `value` is produced by a constant op (weights are not observed).
bool isConstantValue(Value value);

/// The float tensors of `func` that calibration observes, in program order
/// (function arguments first), each once.
SmallVector<Value> selectObservedValues(func::FuncOp func,
                                        bool integerOnly = false);

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_QUANTIZABLEOPS_H
