//===- Normalization.cpp - softmax, layer_norm, batch_norm to linalg ------===//
//
// softmax (numerically stable): m = max over the axis (linalg.reduce),
//   e = exp(x - m), s = sum of e over the axis, y = e / s.
// layer_norm over dims axis..rank-1 (two passes, biased variance):
//   mean = Σx / n, d = x - mean, var = Σd² / n,
//   y = d / sqrt(var + epsilon) · scale + bias.
// batch_norm (inference, channel dim 1):
//   y = (x - mean[c]) / sqrt(var[c] + epsilon) · scale[c] + bias[c].
// The reduced tensors are read back with projected indexing maps.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qopt/Conversion/QOptToLinalg/QOptToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::qopt;
using namespace mlir::qopt::linalg_lowering;

/// A linalg.generic over `resultType` reading each input through its map.
static Value
createMapped(OpBuilder &b, Location loc, RankedTensorType resultType,
             ValueRange inputs, ArrayRef<AffineMap> inputMaps,
             function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  unsigned numInputs = inputs.size();
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, inputs,
             ValueRange{createEmpty(b, loc, resultType)}, maps,
             parallelIterators(resultType.getRank()),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(
                   nb, nloc, body(nb, nloc, args.take_front(numInputs)));
             })
      .getResult(0);
}

/// d / sqrt(var + epsilon) · scale (+ bias).
static Value normalize(OpBuilder &b, Location loc, Value d, Value var,
                       double epsilon, Value scale, Value bias) {
  Value eps = createFloatConstant(b, loc, d.getType(), epsilon);
  Value stddev =
      math::SqrtOp::create(b, loc, arith::AddFOp::create(b, loc, var, eps));
  Value y = arith::MulFOp::create(
      b, loc, arith::DivFOp::create(b, loc, d, stddev), scale);
  if (bias)
    y = arith::AddFOp::create(b, loc, y, bias);
  return y;
}

namespace {

struct SoftmaxLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis();
    AffineMap identity = rewriter.getMultiDimIdentityMap(type.getRank());
    AffineMap reduced =
        getDropDimsMap(type.getRank(), {axis}, rewriter.getContext());

    Value max = createReduction(rewriter, loc, x, {axis}, Combiner::max);
    Value exp = createMapped(
        rewriter, loc, type, {x, max}, {identity, reduced},
        [](OpBuilder &b, Location nloc, ValueRange args) {
          Value shifted = arith::SubFOp::create(b, nloc, args[0], args[1]);
          return math::ExpOp::create(b, nloc, shifted).getResult();
        });
    Value sum = createReduction(rewriter, loc, exp, {axis}, Combiner::add);
    Value y = createMapped(
        rewriter, loc, type, {exp, sum}, {identity, reduced},
        [](OpBuilder &b, Location nloc, ValueRange args) {
          return arith::DivFOp::create(b, nloc, args[0], args[1]).getResult();
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct LayerNormLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank(), axis = op.getAxis();
    SmallVector<int64_t> dims;
    int64_t count = 1;
    for (int64_t d = axis; d < rank; ++d) {
      dims.push_back(d);
      count *= type.getDimSize(d);
    }
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = getDropDimsMap(rank, dims, context);
    // The normalised dims, read by scale and bias.
    SmallVector<int64_t> outer;
    for (int64_t d = 0; d < axis; ++d)
      outer.push_back(d);
    AffineMap inner = getDropDimsMap(rank, outer, context);

    Value mean = createMean(rewriter, loc, x, dims);
    Value centered = createMapped(
        rewriter, loc, type, {x, mean}, {identity, reduced},
        [](OpBuilder &b, Location nloc, ValueRange args) {
          return arith::SubFOp::create(b, nloc, args[0], args[1]).getResult();
        });
    Value var = divideBy(rewriter, loc,
                         createReduction(rewriter, loc, centered, dims,
                                         Combiner::add, /*square=*/true),
                         (double)count);
    double epsilon = op.getEpsilon().convertToDouble();
    SmallVector<Value> inputs = {centered, var, adaptor.getScale()};
    SmallVector<AffineMap> maps = {identity, reduced, inner};
    if (Value bias = adaptor.getBias()) {
      inputs.push_back(bias);
      maps.push_back(inner);
    }
    Value y = createMapped(
        rewriter, loc, type, inputs, maps,
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          return normalize(b, nloc, args[0], args[1], epsilon, args[2],
                           args.size() > 3 ? args[3] : Value());
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isFloatComputeOp(op))
      return rewriter.notifyMatchFailure(op, "not a float tensor op");
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank();
    MLIRContext *context = rewriter.getContext();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, context));
    double epsilon = op.getEpsilon().convertToDouble();
    Value y = createMapped(
        rewriter, op.getLoc(), type,
        {adaptor.getInput(), adaptor.getMean(), adaptor.getVariance(),
         adaptor.getScale(), adaptor.getBias()},
        {identity, channel, channel, channel, channel},
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          Value d = arith::SubFOp::create(b, nloc, args[0], args[1]);
          return normalize(b, nloc, d, args[2], epsilon, args[3], args[4]);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void linalg_lowering::populateNormalizationPatterns(
    RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering, LayerNormLowering, BatchNormLowering>(
      patterns.getContext());
}
