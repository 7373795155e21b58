//===- ApproximateMath.cpp - vectorizable f32 transcendentals -------------===//
//
// convert-math-to-libm turns every math.exp / math.erf / math.tanh on f32
// into a call of expf / erff / tanhf, one element at a time: such a call
// stops LLVM from vectorizing the loop around it (softmax, GELU), and libm's
// erff alone was 5 % of ViT-B/16's time. MLIR's polynomial approximations
// are plain arith (range reduction, a polynomial, bit manipulation of the
// exponent), which the loop vectorizer turns into vector code.
//
//===----------------------------------------------------------------------===//

#include "qopt/Conversion/ApproximateMath/ApproximateMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTAPPROXIMATEMATHPASS
#include "qopt/Conversion/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

/// The functions the approximations replace: the ones softmax, GELU (both
/// forms), sigmoid-like activations and LayerNorm's relatives use. Others
/// (log, sin, ...) stay libm calls: they are rare in these models and libm
/// is exact to an ulp.
bool isApproximated(StringRef name) {
  return name == math::ExpOp::getOperationName() ||
         name == math::ExpM1Op::getOperationName() ||
         name == math::ErfOp::getOperationName() ||
         name == math::TanhOp::getOperationName();
}

struct QOptApproximateMathPass
    : qopt::impl::QOptApproximateMathPassBase<QOptApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, isApproximated);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
