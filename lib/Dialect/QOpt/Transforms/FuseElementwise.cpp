//===- FuseElementwise.cpp - fuse elementwise linalg chains ---------------===//
//
// Upstream's elementwise fusion patterns, allowed only between all-parallel
// generics (see the pass description in Passes.td for why).
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QOpt/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qopt {
#define GEN_PASS_DEF_QOPTFUSEELEMENTWISE
#include "qopt/Dialect/QOpt/Transforms/Passes.h.inc"
} // namespace mlir::qopt

using namespace mlir;

namespace {

bool isElementwiseGeneric(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  return generic && generic.getNumLoops() == generic.getNumParallelLoops();
}

struct QOptFuseElementwise
    : qopt::impl::QOptFuseElementwiseBase<QOptFuseElementwise> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::ControlFusionFn control = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      Operation *consumer = fused->getOwner();
      // A producer with several users would be computed once per user.
      return isElementwiseGeneric(producer) &&
             isElementwiseGeneric(consumer) && producer->hasOneUse();
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
