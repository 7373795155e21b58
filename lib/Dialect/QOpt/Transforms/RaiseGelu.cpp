//===- RaiseGelu.cpp - decomposed GELU → qopt.gelu ------------------------===//
//
// Exporters write GELU as a product of three factors in some order:
//   exact: 0.5 · x · (1 + Erf(x / √2))            (or Erf(x · 1/√2))
//   tanh:  0.5 · x · (1 + Tanh(√(2/π) · (x + 0.044715 · x³)))
// The pattern flattens a tree of single-use Muls into its factors and
// recognises the three.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "RaisePatterns.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qopt;

namespace {
/// The leaves of a product tree rooted at `root`; inner Muls must have one use.
void collectFactors(Value v, bool isRoot, int depth,
                    llvm::SmallVectorImpl<Value> &factors) {
  auto mul = v.getDefiningOp<MulOp>();
  // Operands must keep the product's type, except splat constants, which
  // broadcast without changing it.
  auto keepsType = [&](Value operand) {
    return operand.getType() == mul.getType() ||
           getSplatValue(operand).has_value();
  };
  if (mul && depth < 3 && (isRoot || mul->hasOneUse()) &&
      keepsType(mul.getLhs()) && keepsType(mul.getRhs())) {
    collectFactors(mul.getLhs(), false, depth + 1, factors);
    collectFactors(mul.getRhs(), false, depth + 1, factors);
    return;
  }
  factors.push_back(v);
}

/// x³ as Pow(x, 3) or x·x·x.
bool isCubeOf(Value v, Value x) {
  if (auto pow = v.getDefiningOp<PowOp>())
    return pow.getLhs() == x && isSplatNear(pow.getRhs(), 3.0);
  llvm::SmallVector<Value> f;
  collectFactors(v, true, 0, f);
  return f.size() == 3 && llvm::all_of(f, [&](Value y) { return y == x; });
}

/// If `t` is 1 + Erf(x/√2) or 1 + Tanh(...) for some x, returns x and sets
/// `approx`.
Value matchOnePlus(Value t, GeluApproximation &approx) {
  auto add = t.getDefiningOp<AddOp>();
  if (!add)
    return {};
  Value inner = otherOperandIfSplat(add, 1.0);
  if (!inner)
    return {};
  if (auto erf = inner.getDefiningOp<ErfOp>()) {
    Value z = erf.getInput();
    approx = GeluApproximation::none;
    if (auto div = z.getDefiningOp<DivOp>())
      return isSplatNear(div.getRhs(), std::sqrt(2.0)) ? div.getLhs() : Value();
    if (auto mul = z.getDefiningOp<MulOp>())
      return otherOperandIfSplat(mul, 1.0 / std::sqrt(2.0));
    return {};
  }
  if (auto tanh = inner.getDefiningOp<TanhOp>()) {
    approx = GeluApproximation::tanh;
    auto mul = tanh.getInput().getDefiningOp<MulOp>();
    Value sum = otherOperandIfSplat(mul, std::sqrt(2.0 / M_PI));
    auto addX = sum ? sum.getDefiningOp<AddOp>() : AddOp();
    if (!addX)
      return {};
    for (auto [x, cubic] : {std::pair(addX.getLhs(), addX.getRhs()),
                            std::pair(addX.getRhs(), addX.getLhs())}) {
      Value cube = otherOperandIfSplat(cubic.getDefiningOp(), 0.044715);
      if (cube && cubic.getDefiningOp<MulOp>() && isCubeOf(cube, x))
        return x;
    }
  }
  return {};
}

struct RaiseGelu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp root,
                                PatternRewriter &rewriter) const override {
    if (!isFloatTensor(root))
      return failure();
    llvm::SmallVector<Value> factors;
    collectFactors(root, true, 0, factors);
    if (factors.size() != 3)
      return failure();
    for (int half = 0; half < 3; ++half) {
      if (!isSplatNear(factors[half], 0.5))
        continue;
      for (int t = 0; t < 3; ++t) {
        if (t == half)
          continue;
        Value x = factors[3 - half - t];
        GeluApproximation approx;
        if (matchOnePlus(factors[t], approx) == x && x.getType() == root.getType()) {
          rewriter.replaceOpWithNewOp<GeluOp>(
              root, root.getType(), x,
              GeluApproximationAttr::get(rewriter.getContext(), approx));
          return success();
        }
      }
    }
    return failure();
  }
};
} // namespace

void mlir::qopt::populateRaiseGeluPatterns(RewritePatternSet &patterns) {
  patterns.add<RaiseGelu>(patterns.getContext());
}
