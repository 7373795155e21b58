//===- RaiseSoftmax.cpp - decomposed softmax → qopt.softmax ---------------===//
//
//   e = Exp(x - ReduceMax(x, a))  (or Exp(x));  y = e / ReduceSum(e, a)
// with keep_dims and a single axis a.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "RaisePatterns.h"

using namespace mlir;
using namespace mlir::qopt;

namespace {
/// `v` = reduce(kind, input, [axis], keep_dims); returns the axis.
std::optional<int64_t> singleAxisReduce(Value v, ReduceKind kind,
                                        Value input) {
  auto reduce = v.getDefiningOp<ReduceOp>();
  if (!reduce || reduce.getKind() != kind || !reduce.getKeepDims() ||
      reduce.getAxes().size() != 1 || reduce.getInput() != input)
    return std::nullopt;
  return reduce.getAxes()[0];
}

struct RaiseSoftmax : OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DivOp div,
                                PatternRewriter &rewriter) const override {
    auto exp = div.getLhs().getDefiningOp<ExpOp>();
    if (!exp || !isFloatTensor(div) || div.getType() != exp.getType())
      return failure();
    auto axis = singleAxisReduce(div.getRhs(), ReduceKind::sum, exp);
    if (!axis)
      return failure();
    Value x = exp.getInput();
    if (auto sub = x.getDefiningOp<SubOp>()) {
      auto maxAxis = singleAxisReduce(sub.getRhs(), ReduceKind::max,
                                      sub.getLhs());
      if (maxAxis && *maxAxis == *axis)
        x = sub.getLhs();
    }
    if (x.getType() != div.getType())
      return failure();
    rewriter.replaceOpWithNewOp<SoftmaxOp>(div, div.getType(), x,
                                           rewriter.getI64IntegerAttr(*axis));
    return success();
  }
};
} // namespace

void mlir::qopt::populateRaiseSoftmaxPatterns(RewritePatternSet &patterns) {
  patterns.add<RaiseSoftmax>(patterns.getContext());
}
