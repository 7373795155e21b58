//===- QuantParams.h - scales, zero points and quantized weights -*- C++ -*-===//
//
// The arithmetic that turns calibration ranges and float weights into
// !quant.uniform types and stored integers. Rounding is half to even, as
// ONNX QuantizeLinear (docs/Numerics.md).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_QUANTIZATION_QUANTPARAMS_H
#define QOPT_QUANTIZATION_QUANTPARAMS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>

#include <vector>

namespace mlir::qopt {

/// Rounds half to even (the default floating-point rounding mode).
int64_t roundHalfEven(double x);

/// A per-tensor type on a signed `bits`-bit storage for activations with
/// clipping range [lo, hi] (0 is included first). Asymmetric:
/// scale = (hi - lo) / (2^bits - 1), zero point placing lo at the storage
/// minimum; symmetric: scale = max(|lo|, |hi|) / (2^(bits-1) - 1), zero
/// point 0. An empty range gets scale 1.
quant::UniformQuantizedType activationType(FloatType expressed, double lo,
                                           double hi, unsigned bits,
                                           bool symmetric);

/// Weights quantized symmetrically onto the narrow range
/// [-(2^(bits-1)-1), 2^(bits-1)-1] stored in i8: per channel along `axis`,
/// or per tensor when `axis` is negative.
struct QuantizedWeights {
  std::vector<int8_t> values;
  std::vector<double> scales; // one, or one per channel
  int axis = -1;
  unsigned bits = 8;
};
QuantizedWeights quantizeWeights(ArrayRef<double> weights,
                                 ArrayRef<int64_t> shape, int axis,
                                 unsigned bits);
/// The element type of `q`: !quant.uniform<i8<-m:m>:f32[:axis], ...>.
quant::QuantizedType weightType(FloatType expressed, const QuantizedWeights &q);

/// The scale of a per-tensor type, or of channel `c` of a per-axis one.
double scaleOf(quant::QuantizedType type, int64_t c = 0);
int64_t zeroPointOf(quant::QuantizedType type, int64_t c = 0);

/// The stored integers of an integer constant (dense or dense_resource,
/// sign-extended), or nullopt.
std::optional<std::vector<int64_t>> readIntElements(ElementsAttr attr);

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_QUANTPARAMS_H
