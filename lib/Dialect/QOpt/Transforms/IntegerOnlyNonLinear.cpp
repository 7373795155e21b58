//===- IntegerOnlyNonLinear.cpp - quantized softmax/gelu to I-ViT ops -----===//
//
// The qopt-integer-only pass: quantized softmax and gelu become I-ViT's
// integer-only Shiftmax and ShiftGELU on the storage integers, followed by a
// dyadic rescale into the result's quantized type (docs/Numerics.md):
//
//   softmax(q: s, zp) -> (so, zo)
//     = scast(rescale(shiftmax(scast q) {x0 = ⌊-1/s⌋, n = 15, bits = 8},
//                     dyadic(2^-7 / so), output_zp = zo))
//
// Shiftmax subtracts the row maximum first, so the input zero point cancels
// and the storage values feed it directly. ShiftGELU needs x - zp: a non-zero
// input zero point is subtracted exactly by a unit rescale (multiplier 2^30,
// shift 30) into i16; its int32 result has scale s·2^-7.
//
//   layer_norm(q: s, zp; weight w, bias b over the last dim of size D)
//     = scast(rescale_c(int_add(int_layernorm(scast q), ⌊b/w / (√D/2^30)⌋),
//                       dyadic(w[c]·√D/2^30 / so), output_zp = zo))
//
// as I-ViT's IntLayerNorm folds the bias into the integer domain; the mean
// subtraction cancels the input zero point. Constant, positive weights only.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/IR/ElementsUtils.h"
#include "qopt/Dialect/QOpt/Transforms/Passes.h"
#include "qopt/Dialect/QOpt/Utils/Dyadic.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTINTEGERONLY
#include "qopt/Dialect/QOpt/Transforms/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

namespace {

/// I-ViT's constants: Shiftmax's exponent precision, ShiftGELU's (IntGELU
/// uses 23), and the 8-bit output of both.
constexpr int64_t kShiftmaxN = 15, kShiftGeluN = 23, kOutputBits = 8;

/// A per-tensor quantized tensor type with signed storage, as these
/// rewrites need (rescale's saturation bounds are signed).
quant::UniformQuantizedType getSignedPerTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return {};
  auto q = dyn_cast<quant::UniformQuantizedType>(tensor.getElementType());
  if (!q || !q.isSigned() || !isa<FloatType>(q.getExpressedType()))
    return {};
  return q;
}

RankedTensorType storageType(RankedTensorType type, unsigned width) {
  return RankedTensorType::get(type.getShape(),
                               IntegerType::get(type.getContext(), width));
}

/// The input's quantized type when `op`'s input and result are both signed
/// per-tensor quantized and the input's storage has at most `maxBits`;
/// otherwise a match failure that says which condition failed.
FailureOr<quant::UniformQuantizedType>
matchSignedPerTensorUnary(Operation *op, Value input, Value output,
                          unsigned maxBits, PatternRewriter &rewriter) {
  auto inType = getSignedPerTensor(input.getType());
  if (!inType || !getSignedPerTensor(output.getType()))
    return rewriter.notifyMatchFailure(
        op, "needs signed per-tensor quantized input and result");
  if (inType.getStorageTypeIntegralWidth() > maxBits)
    return rewriter.notifyMatchFailure(
        op, "input storage exceeds " + Twine(maxBits) + " bits");
  return inType;
}

/// The storage integers of a quantized tensor (quant.scast).
Value castToStorage(PatternRewriter &rewriter, Location loc, Value quantized) {
  auto type = cast<RankedTensorType>(quantized.getType());
  auto q = cast<quant::QuantizedType>(type.getElementType());
  return quant::StorageCastOp::create(
      rewriter, loc, storageType(type, q.getStorageTypeIntegralWidth()),
      quantized);
}

/// `value` (integers at scale `scale`) rescaled into the quantized type of
/// `resultType` and cast back to it; failure when the ratio has no dyadic
/// form.
FailureOr<Value> rescaleInto(PatternRewriter &rewriter, Location loc,
                             Value value, double scale,
                             RankedTensorType resultType) {
  auto q = cast<quant::UniformQuantizedType>(resultType.getElementType());
  std::optional<DyadicScale> dyadic = computeDyadicScale(scale / q.getScale());
  if (!dyadic)
    return failure();
  auto intType = storageType(resultType, q.getStorageTypeIntegralWidth());
  Value rescaled = RescaleOp::create(
      rewriter, loc, intType, value,
      rewriter.getDenseI32ArrayAttr({dyadic->multiplier}),
      rewriter.getDenseI32ArrayAttr({dyadic->shift}), IntegerAttr(),
      rewriter.getI64IntegerAttr(0),
      rewriter.getI64IntegerAttr(q.getZeroPoint()),
      RoundingModeAttr::get(rewriter.getContext(), RoundingMode::half_up),
      rewriter.getI64IntegerAttr(q.getStorageTypeMin()),
      rewriter.getI64IntegerAttr(q.getStorageTypeMax()));
  return quant::StorageCastOp::create(rewriter, loc, resultType, rescaled)
      .getResult();
}

/// ⌊-1/scale⌋ when it is a valid `x0` ([-2^31, -1]).
std::optional<int64_t> getX0(double scale) {
  double x0 = std::floor(-1.0 / scale);
  if (!(x0 <= -1.0) || x0 < -2147483648.0)
    return std::nullopt;
  return int64_t(x0);
}

struct SoftmaxToShiftmax : OpRewritePattern<SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    // Shiftmax takes storage of any width up to 32 bits.
    FailureOr<quant::UniformQuantizedType> inType = matchSignedPerTensorUnary(
        op, op.getInput(), op.getOutput(), 32, rewriter);
    if (failed(inType))
      return failure();
    std::optional<int64_t> x0 = getX0(inType->getScale());
    if (!x0)
      return rewriter.notifyMatchFailure(op, "input scale gives no valid x0");
    Location loc = op.getLoc();
    auto inputType = op.getInput().getType();
    int64_t axis = op.getAxis(); // the verifier makes it non-negative
    Value storage = castToStorage(rewriter, loc, op.getInput());
    Value shiftmax = ShiftmaxOp::create(
        rewriter, loc, storageType(inputType, kOutputBits), storage,
        rewriter.getI64IntegerAttr(axis), rewriter.getI64IntegerAttr(*x0),
        rewriter.getI64IntegerAttr(kShiftmaxN),
        rewriter.getI64IntegerAttr(kOutputBits));
    FailureOr<Value> result =
        rescaleInto(rewriter, loc, shiftmax, std::ldexp(1.0, 1 - kOutputBits),
                    op.getOutput().getType());
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "scale ratio is not dyadic");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

struct GeluToShiftGelu : OpRewritePattern<GeluOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GeluOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<quant::UniformQuantizedType> inType = matchSignedPerTensorUnary(
        op, op.getInput(), op.getOutput(), 8, rewriter);
    if (failed(inType))
      return failure();
    double scale = inType->getScale();
    std::optional<int64_t> x0 = getX0(1.702 * scale);
    if (!x0)
      return rewriter.notifyMatchFailure(op, "input scale gives no valid x0");
    Location loc = op.getLoc();
    auto inputType = op.getInput().getType();
    Value x = castToStorage(rewriter, loc, op.getInput());
    if (int64_t zp = inType->getZeroPoint()) {
      // x - zp exactly: ×2^30/2^30 with the input zero point, into i16.
      x = RescaleOp::create(
          rewriter, loc, storageType(inputType, 16), x,
          rewriter.getDenseI32ArrayAttr({1 << 30}),
          rewriter.getDenseI32ArrayAttr({30}), IntegerAttr(),
          rewriter.getI64IntegerAttr(zp), rewriter.getI64IntegerAttr(0),
          RoundingModeAttr::get(rewriter.getContext(), RoundingMode::half_up),
          IntegerAttr(), IntegerAttr());
    }
    Value gelu = ShiftGeluOp::create(
        rewriter, loc, storageType(inputType, 32), x,
        rewriter.getI64IntegerAttr(*x0),
        rewriter.getI64IntegerAttr(kShiftGeluN),
        rewriter.getI64IntegerAttr(kOutputBits));
    FailureOr<Value> result = rescaleInto(
        rewriter, loc, gelu, scale * std::ldexp(1.0, 1 - kOutputBits),
        op.getOutput().getType());
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "scale ratio is not dyadic");
    rewriter.replaceOp(op, *result);
    return success();
  }
};


struct LayerNormToILayerNorm : OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(matchSignedPerTensorUnary(op, op.getInput(), op.getOutput(), 16,
                                         rewriter)))
      return failure();
    auto outType = getSignedPerTensor(op.getOutput().getType());
    auto inputType = op.getInput().getType();
    int64_t rank = inputType.getRank();
    if ((int64_t)op.getAxis() != rank - 1)
      return rewriter.notifyMatchFailure(op, "normalises more than one dim");
    int64_t size = inputType.getDimSize(rank - 1);
    auto constantValues = [](Value v) -> std::optional<std::vector<double>> {
      ElementsAttr attr;
      if (!v || !matchPattern(v, m_Constant(&attr)))
        return std::nullopt;
      return readFloatElements(attr);
    };
    std::optional<std::vector<double>> weight = constantValues(op.getScale());
    std::optional<std::vector<double>> bias =
        op.getBias() ? constantValues(op.getBias())
                     : std::optional<std::vector<double>>(
                           std::vector<double>(size, 0.0));
    if (!weight || !bias || (int64_t)weight->size() != size ||
        (int64_t)bias->size() != size)
      return rewriter.notifyMatchFailure(op, "weight/bias are not constants");

    // int_layernorm's result scale, then per channel the integer bias and
    // the dyadic ratio into the result scale.
    double normScale = std::sqrt(double(size)) / std::ldexp(1.0, 30);
    SmallVector<int32_t> biasInt, multipliers, shifts;
    for (int64_t c = 0; c < size; ++c) {
      double w = (*weight)[c];
      if (!(w > 0))
        return rewriter.notifyMatchFailure(op, "a weight is not positive");
      double b = std::floor((*bias)[c] / w / normScale);
      if (!(std::fabs(b) < 2147483648.0))
        return rewriter.notifyMatchFailure(op, "an integer bias overflows");
      std::optional<DyadicScale> dyadic =
          computeDyadicScale(w * normScale / outType.getScale());
      if (!dyadic)
        return rewriter.notifyMatchFailure(op, "a scale ratio is not dyadic");
      biasInt.push_back(int32_t(b));
      multipliers.push_back(dyadic->multiplier);
      shifts.push_back(dyadic->shift);
    }

    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value storage = castToStorage(rewriter, loc, op.getInput());
    auto i32Type = storageType(inputType, 32);
    Value normalised =
        IntLayerNormOp::create(rewriter, loc, i32Type, storage,
                               rewriter.getI64IntegerAttr(10));
    auto biasType = RankedTensorType::get({size}, rewriter.getI32Type());
    Value biasConstant = ConstantOp::create(
        rewriter, loc, biasType,
        DenseElementsAttr::get(biasType, ArrayRef<int32_t>(biasInt)));
    // ×1 on both sides (2^30 / 2^30): an exact, saturating integer add.
    Value withBias = IntAddOp::create(
        rewriter, loc, i32Type, normalised, biasConstant,
        rewriter.getI32IntegerAttr(1 << 30), rewriter.getI32IntegerAttr(30),
        rewriter.getI32IntegerAttr(1 << 30), rewriter.getI32IntegerAttr(30),
        rewriter.getI64IntegerAttr(0), rewriter.getI64IntegerAttr(0),
        rewriter.getI64IntegerAttr(0),
        RoundingModeAttr::get(context, RoundingMode::half_up));
    auto resultType = op.getOutput().getType();
    Value rescaled = RescaleOp::create(
        rewriter, loc,
        storageType(resultType, outType.getStorageTypeIntegralWidth()),
        withBias, rewriter.getDenseI32ArrayAttr(multipliers),
        rewriter.getDenseI32ArrayAttr(shifts),
        rewriter.getI64IntegerAttr(rank - 1), rewriter.getI64IntegerAttr(0),
        rewriter.getI64IntegerAttr(outType.getZeroPoint()),
        RoundingModeAttr::get(context, RoundingMode::half_up),
        rewriter.getI64IntegerAttr(outType.getStorageTypeMin()),
        rewriter.getI64IntegerAttr(outType.getStorageTypeMax()));
    rewriter.replaceOp(op, quant::StorageCastOp::create(rewriter, loc,
                                                        resultType, rescaled));
    return success();
  }
};

struct QOptIntegerOnlyPass
    : qopt::impl::QOptIntegerOnlyBase<QOptIntegerOnlyPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SoftmaxToShiftmax, GeluToShiftGelu, LayerNormToILayerNorm>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
