//===- ConvertNormalization.cpp - InstanceNorm, MVN, LRN as graph ops -----===//
//
// InstanceNormalization, MeanVarianceNormalization and LRN are compositions
// of qopt.reduce mean, avg_pool2d, sub, mul, add, pow, sqrt and div, written
// as ONNX defines them (MVN as its function body:
// (x − E[x]) / (sqrt(E[x²] − E[x]²) + 1e-9)).
//
//===----------------------------------------------------------------------===//

#include "ConverterUtils.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::onnx_import;

namespace {
Value scalar(NodeImporter &ni, Type elem, double value) {
  auto type = RankedTensorType::get({}, elem);
  return ConstantOp::create(
      ni.b, ni.loc, type,
      DenseElementsAttr::get(type, ni.b.getFloatAttr(elem, value)));
}

/// Mean of `x` over `axes`, keeping them as size-1 dims.
Value meanKeep(NodeImporter &ni, Value x, llvm::ArrayRef<int64_t> axes) {
  auto type = cast<RankedTensorType>(x.getType());
  llvm::SmallVector<int64_t> shape(type.getShape());
  for (int64_t a : axes)
    shape[a] = 1;
  return ReduceOp::create(
      ni.b, ni.loc, RankedTensorType::get(shape, type.getElementType()),
      ReduceKindAttr::get(ni.b.getContext(), ReduceKind::mean), x,
      ni.b.getDenseI64ArrayAttr(axes), ni.b.getBoolAttr(true));
}

template <typename OpTy> Value binary(NodeImporter &ni, Value x, Value y) {
  auto xt = cast<RankedTensorType>(x.getType());
  auto shape = broadcastShapes(xt.getShape(),
                               cast<RankedTensorType>(y.getType()).getShape());
  return OpTy::create(ni.b, ni.loc,
                      RankedTensorType::get(*shape, xt.getElementType()), x, y);
}

/// y = scale·(x − mean)/sqrt(var + epsilon) + B over the spatial dims of
/// each (n, c); scale and B are per channel.
LogicalResult convertInstanceNorm(NodeImporter &ni) {
  auto x = ni.input(0), scale = ni.input(1), bias = ni.input(2);
  auto type = ni.outputType(0);
  if (failed(x) || failed(scale) || failed(bias) || failed(type))
    return failure();
  Type elem = type->getElementType();
  if (!isa<FloatType>(elem))
    return ni.fail("only float inputs are supported");
  int64_t rank = type->getRank();
  if (rank < 3)
    return ni.fail("the input must have rank 3 or more (N, C, spatial...)");
  int64_t channels = type->getDimSize(1);
  llvm::SmallVector<int64_t> axes, perChannel(rank, 1);
  for (int64_t d = 2; d < rank; ++d)
    axes.push_back(d);
  perChannel[1] = channels;
  for (Value v : {*scale, *bias})
    if (cast<RankedTensorType>(v.getType()).getNumElements() != channels)
      return ni.fail("scale and B must have one value per channel");
  Value mean = meanKeep(ni, *x, axes);
  Value centered = binary<SubOp>(ni, *x, mean);
  Value var = meanKeep(ni, binary<MulOp>(ni, centered, centered), axes);
  Value eps = scalar(ni, elem, ni.attrFloat("epsilon", 1e-5f));
  Value std = SqrtOp::create(ni.b, ni.loc, var.getType(),
                             binary<AddOp>(ni, var, eps));
  Value normalized = binary<DivOp>(ni, centered, std);
  Value scaled =
      binary<MulOp>(ni, normalized, reshapeTo(ni, *scale, perChannel));
  ni.setOutput(0, binary<AddOp>(ni, scaled, reshapeTo(ni, *bias, perChannel)));
  return success();
}

LogicalResult convertMVN(NodeImporter &ni) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  Type elem = type->getElementType();
  if (!isa<FloatType>(elem))
    return ni.fail("only float inputs are supported");
  int64_t rank = type->getRank();
  llvm::SmallVector<int64_t> axes;
  auto given = ni.attrInts("axes");
  for (int64_t a : given ? *given : llvm::SmallVector<int64_t>{0, 2, 3}) {
    auto n = normalizedAxis(ni, a, rank);
    if (failed(n))
      return failure();
    axes.push_back(*n);
  }
  llvm::sort(axes);
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  Value mean = meanKeep(ni, *x, axes);
  Value meanOfSquares = meanKeep(ni, binary<MulOp>(ni, *x, *x), axes);
  Value variance =
      binary<SubOp>(ni, meanOfSquares, binary<MulOp>(ni, mean, mean));
  Value std = SqrtOp::create(ni.b, ni.loc, variance.getType(), variance);
  Value denom = binary<AddOp>(ni, std, scalar(ni, elem, 1e-9));
  ni.setOutput(0, binary<DivOp>(ni, binary<SubOp>(ni, *x, mean), denom));
  return success();
}

/// LRN: x / (bias + alpha/size · Σ x²)^beta, the sum over `size` channels
/// centred on each (floor((size−1)/2) before, ceil((size−1)/2) after). The
/// windowed channel sum is an average pool over the channel axis of x²
/// viewed as N×1×C×(spatial), counting the zero padding: avg = Σ/size.
LogicalResult convertLRN(NodeImporter &ni) {
  auto x = ni.input(0);
  auto type = ni.outputType(0);
  if (failed(x) || failed(type))
    return failure();
  Type elem = type->getElementType();
  if (!isa<FloatType>(elem))
    return ni.fail("only float inputs are supported");
  if (type->getRank() < 3)
    return ni.fail("the input must have rank 3 or more (N, C, spatial...)");
  int64_t size = ni.attrInt("size", 0);
  if (size <= 0)
    return ni.fail("attribute 'size' must be positive");
  auto shape = type->getShape();
  int64_t spatial = 1;
  for (int64_t d : shape.drop_front(2))
    spatial *= d;
  llvm::SmallVector<int64_t> view = {shape[0], 1, shape[1], spatial};
  Value squares = binary<MulOp>(ni, *x, *x);
  Value viewed = reshapeTo(ni, squares, view);
  int64_t before = (size - 1) / 2, after = size - 1 - before;
  Value avg = AvgPool2DOp::create(
      ni.b, ni.loc, viewed.getType(), viewed,
      ni.b.getDenseI64ArrayAttr({size, 1}), ni.b.getDenseI64ArrayAttr({1, 1}),
      ni.b.getDenseI64ArrayAttr({before, 0, after, 0}), ni.b.getBoolAttr(false),
      ni.b.getBoolAttr(true));
  Value windowMean = reshapeTo(ni, avg, shape);
  Value scaled = binary<MulOp>(
      ni, windowMean, scalar(ni, elem, ni.attrFloat("alpha", 1e-4f)));
  Value base =
      binary<AddOp>(ni, scaled, scalar(ni, elem, ni.attrFloat("bias", 1.0f)));
  Value denom =
      binary<PowOp>(ni, base, scalar(ni, elem, ni.attrFloat("beta", 0.75f)));
  ni.setOutput(0, binary<DivOp>(ni, *x, denom));
  return success();
}
} // namespace

void mlir::qopt::onnx_import::addNormalizationConverters(ConverterMap &map) {
  map["InstanceNormalization"] = convertInstanceNorm;
  map["MeanVarianceNormalization"] = convertMVN;
  map["LRN"] = convertLRN;
}
