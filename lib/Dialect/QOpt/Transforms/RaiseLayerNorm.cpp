//===- RaiseLayerNorm.cpp - decomposed LayerNorm → qopt.layer_norm --------===//
//
// Exporters (torch below opset 17) write LayerNorm as
//   m = ReduceMean(x); d = x - m; v = ReduceMean(d^2);
//   y = d / Sqrt(v + eps) [* gamma] [+ beta]
// over the trailing dims. This pattern matches at the division and absorbs
// the affine Mul/Add when they follow with constant parameters.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "RaisePatterns.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qopt;

namespace {
/// d = x - mean(x) over the trailing dims from `axis`.
bool matchCentered(Value d, Value &x, int64_t &axis) {
  auto sub = d.getDefiningOp<SubOp>();
  if (!sub)
    return false;
  Value reduced;
  auto a = trailingReduceAxis(sub.getRhs(), ReduceKind::mean, reduced);
  if (!a || reduced != sub.getLhs())
    return false;
  x = sub.getLhs();
  axis = *a;
  return true;
}

/// sq = d^2 as Pow(d, 2) or Mul(d, d).
bool isSquareOf(Value sq, Value d) {
  if (auto pow = sq.getDefiningOp<PowOp>())
    return pow.getLhs() == d && isSplatNear(pow.getRhs(), 2.0);
  if (auto mul = sq.getDefiningOp<MulOp>())
    return mul.getLhs() == d && mul.getRhs() == d;
  return false;
}

/// A constant whose shape is the normalised dims, possibly with leading 1s.
Value affineParam(Value v, llvm::ArrayRef<int64_t> normalized) {
  ElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return {};
  auto shape = cast<ShapedType>(v.getType()).getShape();
  while (!shape.empty() && shape.size() > normalized.size() && shape[0] == 1)
    shape = shape.drop_front();
  return shape == normalized ? v : Value();
}

struct RaiseLayerNorm : OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DivOp div,
                                PatternRewriter &rewriter) const override {
    Value d = div.getLhs(), x;
    int64_t axis;
    if (!isFloatTensor(d) || !matchCentered(d, x, axis) ||
        div.getType() != x.getType())
      return failure();
    auto sqrt = div.getRhs().getDefiningOp<SqrtOp>();
    if (!sqrt)
      return failure();
    auto addEps = sqrt.getInput().getDefiningOp<AddOp>();
    if (!addEps)
      return failure();
    auto eps = getSplatValue(addEps.getRhs());
    Value var = addEps.getLhs();
    if (!eps) {
      eps = getSplatValue(addEps.getLhs());
      var = addEps.getRhs();
    }
    if (!eps || *eps < 0)
      return failure();
    Value sq;
    auto varAxis = trailingReduceAxis(var, ReduceKind::mean, sq);
    if (!varAxis || *varAxis != axis)
      return failure();
    // The squared value may come from its own copy of x - mean(x).
    Value d2x;
    int64_t d2axis;
    Value squared = sq.getDefiningOp() && sq.getDefiningOp()->getNumOperands()
                        ? sq.getDefiningOp()->getOperand(0)
                        : Value();
    if (!squared || !isSquareOf(sq, squared) ||
        (squared != d && !(matchCentered(squared, d2x, d2axis) && d2x == x &&
                           d2axis == axis)))
      return failure();

    auto type = cast<RankedTensorType>(x.getType());
    auto normalized = type.getShape().drop_front(axis);
    Operation *root = div;
    Value gamma, beta;
    if (div->hasOneUse())
      if (auto mul = dyn_cast<MulOp>(*div->user_begin()))
        if (mul.getType() == type) {
          Value other = mul.getLhs() == div ? mul.getRhs() : mul.getLhs();
          if ((gamma = affineParam(other, normalized))) {
            root = mul;
            if (mul->hasOneUse())
              if (auto add = dyn_cast<AddOp>(*mul->user_begin()))
                if (add.getType() == type) {
                  Value b = add.getLhs() == mul ? add.getRhs() : add.getLhs();
                  if ((beta = affineParam(b, normalized)))
                    root = add;
                }
          }
        }

    Location loc = root->getLoc();
    auto paramType = RankedTensorType::get(normalized, type.getElementType());
    auto fit = [&](Value v) -> Value {
      if (!v || cast<RankedTensorType>(v.getType()) == paramType)
        return v;
      return ReshapeOp::create(rewriter, loc, paramType, v);
    };
    if (!gamma)
      gamma = ConstantOp::create(
          rewriter, loc, paramType,
          DenseElementsAttr::get(paramType,
                                 rewriter.getFloatAttr(type.getElementType(), 1.0)));
    rewriter.replaceOpWithNewOp<LayerNormOp>(
        root, type, x, fit(gamma), fit(beta), rewriter.getI64IntegerAttr(axis),
        rewriter.getF32FloatAttr(*eps));
    return success();
  }
};
} // namespace

void mlir::qopt::populateRaiseLayerNormPatterns(RewritePatternSet &patterns) {
  patterns.add<RaiseLayerNorm>(patterns.getContext());
}
