//===- FoldBatchNorm.cpp - fold batch_norm into the preceding conv2d ------===//

#include "qopt/Dialect/QOpt/IR/ElementsUtils.h"
#include "qopt/Dialect/QOpt/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTFOLDBATCHNORM
#include "qopt/Dialect/QOpt/Transforms/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

/// The values of `v` if it is a float constant.
static std::optional<std::vector<double>> constantValues(Value v) {
  ElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  return readFloatElements(attr);
}

namespace {
struct FoldBatchNormIntoConv : OpRewritePattern<BatchNormOp> {
  FoldBatchNormIntoConv(MLIRContext *context, llvm::Statistic &numFolded)
      : OpRewritePattern(context), numFolded(numFolded) {}

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto conv = bn.getInput().getDefiningOp<Conv2DOp>();
    if (!conv || !conv->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "input is not a single-use conv2d");
    auto weightType = conv.getWeight().getType();
    auto resultType = bn.getOutput().getType();
    // Quant-typed inputs or results (with float weights) are not folded:
    // removing the conv's output quantization would change the numerics.
    if (!isa<FloatType>(weightType.getElementType()) ||
        !isa<FloatType>(conv.getInput().getType().getElementType()) ||
        !isa<FloatType>(resultType.getElementType()) ||
        resultType != conv.getOutput().getType())
      return rewriter.notifyMatchFailure(bn, "not a float conv2d");
    if (weightType.getDimSize(0) == 0)
      return rewriter.notifyMatchFailure(bn, "conv2d has no filters");

    auto weight = constantValues(conv.getWeight());
    auto scale = constantValues(bn.getScale());
    auto shift = constantValues(bn.getBias());
    auto mean = constantValues(bn.getMean());
    auto variance = constantValues(bn.getVariance());
    if (!weight || !scale || !shift || !mean || !variance)
      return rewriter.notifyMatchFailure(bn, "non-constant parameters");
    std::optional<std::vector<double>> bias;
    if (conv.getBias()) {
      bias = constantValues(conv.getBias());
      if (!bias)
        return rewriter.notifyMatchFailure(bn, "non-constant conv bias");
    }

    int64_t filters = weightType.getDimSize(0);
    int64_t perFilter = weightType.getNumElements() / filters;
    double eps = bn.getEpsilon().convertToDouble();
    std::vector<double> newWeight(*weight), newBias(filters);
    for (int64_t f = 0; f < filters; ++f) {
      double k = (*scale)[f] / std::sqrt((*variance)[f] + eps);
      for (int64_t i = 0; i < perFilter; ++i)
        newWeight[f * perFilter + i] *= k;
      double b = bias ? (*bias)[f] : 0.0;
      newBias[f] = (b - (*mean)[f]) * k + (*shift)[f];
    }

    Location loc = bn.getLoc();
    auto biasType =
        RankedTensorType::get({filters}, weightType.getElementType());
    auto w = ConstantOp::create(
        rewriter, loc, weightType,
        makeFloatResource(weightType, "folded_weight", newWeight));
    auto b = ConstantOp::create(
        rewriter, loc, biasType,
        makeFloatResource(biasType, "folded_bias", newBias));
    rewriter.replaceOpWithNewOp<Conv2DOp>(
        bn, resultType, conv.getInput(), w, b, conv.getStridesAttr(),
        conv.getPadsAttr(), conv.getDilationsAttr(), conv.getGroupAttr());
    rewriter.eraseOp(conv);
    ++numFolded;
    return success();
  }

  llvm::Statistic &numFolded;
};

struct QOptFoldBatchNormPass
    : qopt::impl::QOptFoldBatchNormBase<QOptFoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormIntoConv>(&getContext(), numFolded);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
