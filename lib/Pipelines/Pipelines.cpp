//===- Pipelines.cpp - qopt's named pass pipelines ------------------------===//

#include "qopt/Pipelines/Pipelines.h"
#include "qopt/Dialect/QOpt/Transforms/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/ErrorHandling.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void qopt::buildCleanupPipeline(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createQOptRaiseComposites());
  pm.addNestedPass<func::FuncOp>(createQOptFoldBatchNorm());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

// The CPU lowering as upstream spells its passes; each line is one stage. The
// list is parsed into a module-level pass manager (no `builtin.module(...)`).
// Elementwise arith on whole tensors (an integer bias add of
// qopt-lower-quantized) becomes linalg first. Elementwise chains (bias,
// residual add, activation) fuse into one loop
// nest on tensors; after bufferization, matrix products and convolutions
// become calls of the runtime's packed, vectorized, threaded kernels
// (convert-linalg-to-qopt-runtime), and what remains becomes loops that
// LLVM vectorizes for the host CPU.
static constexpr llvm::StringLiteral kCPULowering =
    "convert-qopt-to-linalg,"
    "func.func(convert-elementwise-to-linalg),"
    "canonicalize,"
    "func.func(qopt-fuse-elementwise),"
    "canonicalize,"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{hoist-static-allocs modify-public-functions},"
    "canonicalize,"
    "buffer-deallocation-pipeline,"
    "convert-linalg-to-qopt-runtime,"
    "canonicalize,"
    "func.func(convert-linalg-to-loops),"
    "expand-strided-metadata,"
    "lower-affine,"
    "convert-scf-to-cf,"
    "convert-math-to-llvm,"
    "convert-math-to-libm,"
    "finalize-memref-to-llvm{use-generic-functions},"
    "convert-arith-to-llvm,"
    "convert-func-to-llvm{use-bare-ptr-memref-call-conv},"
    "convert-cf-to-llvm,"
    "reconcile-unrealized-casts";

void qopt::buildCPULoweringPipeline(OpPassManager &pm) {
  // The text is fixed and tested; a parse failure is a build defect.
  if (failed(parsePassPipeline(kCPULowering, pm)))
    llvm::report_fatal_error("qopt: the CPU lowering pipeline does not parse; "
                             "call qopt::registerAllPasses() first");
}

void qopt::registerPipelines() {
  PassPipelineRegistration<>(
      "qopt-cleanup",
      "Canonicalize, raise decomposed LayerNorm/GELU/softmax/HardSwish, fold "
      "batch norms into convolutions, and CSE an imported graph",
      buildCleanupPipeline);
  PassPipelineRegistration<>(
      "qopt-lower-to-llvm",
      "Lower a float qopt graph through linalg, bufferization and loops to "
      "the LLVM dialect (bare-pointer calling convention)",
      buildCPULoweringPipeline);
}
