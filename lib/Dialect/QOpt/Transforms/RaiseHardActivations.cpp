//===- RaiseHardActivations.cpp - HardSigmoid/HardSwish pieces ------------===//
//
//   HardSigmoid: Clip(x + 3, 0, 6) / 6            → hard_sigmoid(x, 1/6, 1/2)
//   HardSwish:   x · hard_sigmoid(x, 1/6, 1/2)    → hard_swish(x)
//                x · Clip(x + 3, 0, 6) / 6        → hard_swish(x)
// Division by 6 may also be written as multiplication by 1/6.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "RaisePatterns.h"

using namespace mlir;
using namespace mlir::qopt;

namespace {
/// If `v` is Clip(x + 3, 0, 6), returns x.
Value matchRelu6OfPlus3(Value v) {
  auto clamp = v.getDefiningOp<ClampOp>();
  if (!clamp || clamp.getMin().convertToDouble() != 0.0 ||
      clamp.getMax().convertToDouble() != 6.0)
    return {};
  auto add = clamp.getInput().getDefiningOp<AddOp>();
  Value x = otherOperandIfSplat(add, 3.0);
  return x && x.getType() == v.getType() ? x : Value();
}

/// If `op` divides by 6 or multiplies by 1/6, the other operand.
Value dividedBySix(Operation *op) {
  if (auto div = dyn_cast_or_null<DivOp>(op))
    return isSplatNear(div.getRhs(), 6.0) ? div.getLhs() : Value();
  if (isa_and_nonnull<MulOp>(op))
    return otherOperandIfSplat(op, 1.0 / 6.0);
  return {};
}

template <typename OpTy> struct RaiseOverSix : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Value inner = dividedBySix(op);
    if (!inner || !isFloatTensor(inner) || inner.getType() != op.getType())
      return failure();
    if (Value x = matchRelu6OfPlus3(inner)) {
      rewriter.replaceOpWithNewOp<HardSigmoidOp>(
          op, op.getType(), x, rewriter.getF32FloatAttr(1.0f / 6.0f),
          rewriter.getF32FloatAttr(0.5f));
      return success();
    }
    auto mul = inner.getDefiningOp<MulOp>();
    if (!mul)
      return failure();
    for (auto [x, r] : {std::pair(mul.getLhs(), mul.getRhs()),
                        std::pair(mul.getRhs(), mul.getLhs())})
      if (matchRelu6OfPlus3(r) == x) {
        rewriter.replaceOpWithNewOp<HardSwishOp>(op, op.getType(), x);
        return success();
      }
    return failure();
  }
};

struct RaiseHardSwish : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    if (!isFloatTensor(mul))
      return failure();
    for (auto [x, r] : {std::pair(mul.getLhs(), mul.getRhs()),
                        std::pair(mul.getRhs(), mul.getLhs())}) {
      auto hs = r.getDefiningOp<HardSigmoidOp>();
      if (hs && hs.getInput() == x && x.getType() == mul.getType() &&
          std::abs(hs.getAlpha().convertToDouble() - 1.0 / 6.0) < 1e-6 &&
          hs.getBeta().convertToDouble() == 0.5) {
        rewriter.replaceOpWithNewOp<HardSwishOp>(mul, mul.getType(), x);
        return success();
      }
    }
    return failure();
  }
};
} // namespace

void mlir::qopt::populateRaiseHardActivationPatterns(
    RewritePatternSet &patterns) {
  patterns.add<RaiseOverSix<DivOp>, RaiseOverSix<MulOp>, RaiseHardSwish>(
      patterns.getContext());
}
