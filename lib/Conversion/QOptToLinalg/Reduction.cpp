//===- Reduction.cpp - qopt.reduce to linalg.reduce -----------------------===//
//
// sum, max and min are one linalg.reduce (from 0, -inf, +inf; max and min
// propagate NaN as numpy does); mean divides the sum by the number of
// reduced elements. With `keep_dims` the result expands back to the input's
// rank with size-1 reduced dims (tensor.expand_shape).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"

#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::linalg_lowering;

namespace {

struct ReduceLowering : OpConversionPattern<ReduceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    ArrayRef<int64_t> axes = op.getAxes();
    Value reduced;
    switch (op.getKind()) {
    case ReduceKind::mean:
      reduced = createMean(rewriter, loc, input, axes);
      break;
    case ReduceKind::sum:
      reduced = createReduction(rewriter, loc, input, axes, Combiner::add);
      break;
    case ReduceKind::max:
      reduced = createReduction(rewriter, loc, input, axes, Combiner::max);
      break;
    case ReduceKind::min:
      reduced = createReduction(rewriter, loc, input, axes, Combiner::min);
      break;
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, reduced,
                                     cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void linalg_lowering::populateReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<ReduceLowering>(patterns.getContext());
}
