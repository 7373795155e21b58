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
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/Transforms/Passes.h"
#include "qopt/Dialect/QOpt/Utils/Dyadic.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
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
    auto inType = getSignedPerTensor(op.getInput().getType());
    auto outType = getSignedPerTensor(op.getOutput().getType());
    if (!inType || !outType)
      return rewriter.notifyMatchFailure(
          op, "needs signed per-tensor quantized input and result");
    std::optional<int64_t> x0 = getX0(inType.getScale());
    if (!x0)
      return rewriter.notifyMatchFailure(op, "input scale gives no valid x0");
    Location loc = op.getLoc();
    auto inputType = op.getInput().getType();
    int64_t axis = op.getAxis(); // the verifier makes it non-negative
    Value storage = quant::StorageCastOp::create(
        rewriter, loc,
        storageType(inputType, inType.getStorageTypeIntegralWidth()),
        op.getInput());
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
    auto inType = getSignedPerTensor(op.getInput().getType());
    auto outType = getSignedPerTensor(op.getOutput().getType());
    if (!inType || !outType)
      return rewriter.notifyMatchFailure(
          op, "needs signed per-tensor quantized input and result");
    if (inType.getStorageTypeIntegralWidth() > 8)
      return rewriter.notifyMatchFailure(op, "input storage exceeds 8 bits");
    double scale = inType.getScale();
    std::optional<int64_t> x0 = getX0(1.702 * scale);
    if (!x0)
      return rewriter.notifyMatchFailure(op, "input scale gives no valid x0");
    Location loc = op.getLoc();
    auto inputType = op.getInput().getType();
    Value x = quant::StorageCastOp::create(
        rewriter, loc,
        storageType(inputType, inType.getStorageTypeIntegralWidth()),
        op.getInput());
    if (int64_t zp = inType.getZeroPoint()) {
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

struct QOptIntegerOnlyPass
    : qopt::impl::QOptIntegerOnlyBase<QOptIntegerOnlyPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SoftmaxToShiftmax, GeluToShiftGelu>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
