//===- Reduction.cpp - qopt.reduce to linalg.reduce -----------------------===//
//
// sum, max, min and prod are one linalg.reduce (from 0, -inf, +inf, 1; max and min
// propagate NaN as numpy does); mean divides the sum by the number of
// reduced elements. With `keep_dims` the result expands back to the input's
// rank with size-1 reduced dims (tensor.expand_shape).
//
// qopt.arg_reduce is one linalg.generic reducing the axis into two results,
// the best value so far and its index (linalg.index). A later element
// replaces the best one only when strictly better, which keeps the first
// index; with select_last_index ties replace too, which keeps the last.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

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
    case ReduceKind::prod:
      reduced = createReduction(rewriter, loc, input, axes, Combiner::mul);
      break;
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, reduced,
                                     cast<RankedTensorType>(op.getType())));
    return success();
  }
};

struct ArgReduceLowering : OpConversionPattern<ArgReduceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ArgReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    Type elementType = inputType.getElementType();
    if (!isa<FloatType>(elementType))
      return rewriter.notifyMatchFailure(op, "not a float input");
    Location loc = op.getLoc();
    int64_t axis = op.getAxis();
    unsigned rank = inputType.getRank();
    bool isMax = op.getKind() == ReduceKind::max;
    bool last = op.getSelectLastIndex();

    SmallVector<int64_t> reducedShape;
    for (unsigned d = 0; d < rank; ++d)
      if ((int64_t)d != axis)
        reducedShape.push_back(inputType.getDimSize(d));
    auto valueType = RankedTensorType::get(reducedShape, elementType);
    auto indexType = RankedTensorType::get(reducedShape, rewriter.getI64Type());
    double inf = std::numeric_limits<double>::infinity();
    Value initValue = createFilled(
        rewriter, loc, valueType,
        createFloatConstant(rewriter, loc, elementType, isMax ? -inf : inf));
    Value initIndex = createFilled(
        rewriter, loc, indexType,
        arith::ConstantOp::create(rewriter, loc, rewriter.getI64IntegerAttr(0)));

    MLIRContext *context = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
    AffineMap reducedMap = getDropDimsMap(rank, {axis}, context);
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators[axis] = utils::IteratorType::reduction;
    // max: take x when x > best (x >= best for the last index); min: <, <=.
    arith::CmpFPredicate pred =
        isMax ? (last ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT)
              : (last ? arith::CmpFPredicate::OLE : arith::CmpFPredicate::OLT);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType, indexType},
        ValueRange{adaptor.getInput()}, ValueRange{initValue, initIndex},
        ArrayRef<AffineMap>{identity, reducedMap, reducedMap}, iterators,
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          Value x = args[0], best = args[1], bestIndex = args[2];
          Value index = arith::IndexCastOp::create(
              b, nloc, b.getI64Type(), linalg::IndexOp::create(b, nloc, axis));
          Value better = arith::CmpFOp::create(b, nloc, pred, x, best);
          Value newBest = arith::SelectOp::create(b, nloc, better, x, best);
          Value newIndex =
              arith::SelectOp::create(b, nloc, better, index, bestIndex);
          linalg::YieldOp::create(b, nloc, ValueRange{newBest, newIndex});
        });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, generic.getResult(1),
                                     cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void linalg_lowering::populateReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<ReduceLowering, ArgReduceLowering>(patterns.getContext());
}
