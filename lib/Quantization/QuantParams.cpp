//===- QuantParams.cpp - scales, zero points and quantized weights --------===//

#include "qopt/Quantization/QuantParams.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <algorithm>
#include <cstring>
#include <cmath>

using namespace mlir;
using namespace mlir::qopt;

int64_t qopt::roundHalfEven(double x) { return int64_t(std::nearbyint(x)); }

quant::UniformQuantizedType qopt::activationType(FloatType expressed,
                                                 double lo, double hi,
                                                 unsigned bits,
                                                 bool symmetric) {
  MLIRContext *context = expressed.getContext();
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  int64_t qmin = -(int64_t(1) << (bits - 1));
  int64_t qmax = (int64_t(1) << (bits - 1)) - 1;
  double scale;
  int64_t zeroPoint = 0;
  if (symmetric) {
    scale = std::max(-lo, hi) / double(qmax);
  } else {
    scale = (hi - lo) / double(qmax - qmin);
  }
  if (!(scale > 0) || !std::isfinite(scale))
    scale = 1.0;
  if (!symmetric)
    zeroPoint = std::clamp(qmin - roundHalfEven(lo / scale), qmin, qmax);
  return quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, IntegerType::get(context, bits),
      expressed, scale, zeroPoint, qmin, qmax);
}

QuantizedWeights qopt::quantizeWeights(ArrayRef<double> weights,
                                       ArrayRef<int64_t> shape, int axis,
                                       unsigned bits) {
  QuantizedWeights q;
  q.axis = axis;
  q.bits = bits;
  int64_t qmax = (int64_t(1) << (bits - 1)) - 1;
  int64_t channels = axis < 0 ? 1 : shape[axis];
  // Element i belongs to channel (i / inner) % channels in row-major order.
  int64_t inner = 1;
  if (axis >= 0)
    for (size_t d = axis + 1; d < shape.size(); ++d)
      inner *= shape[d];
  auto channelOf = [&](size_t i) -> int64_t {
    return axis < 0 ? 0 : (int64_t(i) / inner) % channels;
  };
  std::vector<double> absMax(channels, 0.0);
  for (size_t i = 0; i < weights.size(); ++i)
    absMax[channelOf(i)] = std::max(absMax[channelOf(i)], std::fabs(weights[i]));
  q.scales.resize(channels);
  for (int64_t c = 0; c < channels; ++c)
    q.scales[c] = absMax[c] > 0 ? absMax[c] / double(qmax) : 1.0;
  q.values.resize(weights.size());
  for (size_t i = 0; i < weights.size(); ++i) {
    int64_t v = roundHalfEven(weights[i] / q.scales[channelOf(i)]);
    q.values[i] = int8_t(std::clamp<int64_t>(v, -qmax, qmax));
  }
  return q;
}

quant::QuantizedType qopt::weightType(FloatType expressed,
                                      const QuantizedWeights &q) {
  MLIRContext *context = expressed.getContext();
  int64_t qmax = (int64_t(1) << (q.bits - 1)) - 1;
  auto storage = IntegerType::get(context, 8);
  if (q.axis < 0)
    return quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed,
                                            storage, expressed, q.scales[0], 0,
                                            -qmax, qmax);
  SmallVector<int64_t> zeroPoints(q.scales.size(), 0);
  return quant::UniformQuantizedPerAxisType::get(
      quant::QuantizationFlags::Signed, storage, expressed, q.scales,
      zeroPoints, q.axis, -qmax, qmax);
}

double qopt::scaleOf(quant::QuantizedType type, int64_t c) {
  if (auto u = dyn_cast<quant::UniformQuantizedType>(type))
    return u.getScale();
  return cast<quant::UniformQuantizedPerAxisType>(type).getScales()[c];
}

int64_t qopt::zeroPointOf(quant::QuantizedType type, int64_t c) {
  if (auto u = dyn_cast<quant::UniformQuantizedType>(type))
    return u.getZeroPoint();
  return cast<quant::UniformQuantizedPerAxisType>(type).getZeroPoints()[c];
}

/// The stored integers of an integer constant (dense or dense_resource).
std::optional<std::vector<int64_t>> qopt::readIntElements(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  auto intType = dyn_cast<IntegerType>(type.getElementType());
  if (!intType)
    return std::nullopt;
  std::vector<int64_t> values;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    for (const APInt &v : dense.getValues<APInt>())
      values.push_back(v.getSExtValue());
    return values;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource || !resource.getRawHandle().getBlob() ||
      intType.getWidth() % 8 != 0)
    return std::nullopt;
  ArrayRef<char> data = resource.getRawHandle().getBlob()->getData();
  unsigned bytes = intType.getWidth() / 8;
  if (data.size() != bytes * type.getNumElements())
    return std::nullopt;
  for (int64_t i = 0; i < type.getNumElements(); ++i) {
    int64_t v = 0;
    std::memcpy(&v, data.data() + i * bytes, bytes);
    // Sign-extend from the element width.
    int shift = 64 - int(intType.getWidth());
    values.push_back(int64_t(uint64_t(v) << shift) >> shift);
  }
  return values;
}

