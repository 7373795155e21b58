//===- Pipelines.cpp - qopt's named pass pipelines ------------------------===//

#include "qopt/Pipelines/Pipelines.h"
#include "qopt/Dialect/QOpt/Transforms/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void qopt::buildCleanupPipeline(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createQOptRaiseComposites());
  pm.addNestedPass<func::FuncOp>(createQOptFoldBatchNorm());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void qopt::registerPipelines() {
  PassPipelineRegistration<>(
      "qopt-cleanup",
      "Canonicalize, raise decomposed LayerNorm/GELU/softmax/HardSwish, fold "
      "batch norms into convolutions, and CSE an imported graph",
      buildCleanupPipeline);
}
