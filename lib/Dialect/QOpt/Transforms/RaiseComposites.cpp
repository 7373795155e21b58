//===- RaiseComposites.cpp - the qopt-raise-composites pass ---------------===//

#include "PatternUtils.h"
#include "RaisePatterns.h"

#include "qopt/Dialect/QOpt/Transforms/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTRAISECOMPOSITES
#include "qopt/Dialect/QOpt/Transforms/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;
using namespace mlir::qopt;

namespace {
struct QOptRaiseCompositesPass
    : qopt::impl::QOptRaiseCompositesBase<QOptRaiseCompositesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateRaiseLayerNormPatterns(patterns);
    populateRaiseGeluPatterns(patterns);
    populateRaiseSoftmaxPatterns(patterns);
    populateRaiseHardActivationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
