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
// LLVM vectorizes for the host CPU; the big ones run on the runtime's
// threads (convert-parallel-loops-to-qopt-runtime), and exp/erf/tanh
// become polynomials that vectorize (qopt-approximate-math). Heap buffers
// come from the runtime's aligned allocator, whose result is marked
// noalias (qopt-mark-allocations-noalias), so LLVM knows that distinct
// buffers do not overlap.
static constexpr llvm::StringLiteral kCPULowering =
    "convert-qopt-to-linalg,"
    "func.func(convert-elementwise-to-linalg),"
    "canonicalize,"
    "func.func(qopt-fuse-elementwise),"
    "func.func(qopt-tabulate-int8),"
    "canonicalize,"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{hoist-static-allocs modify-public-functions},"
    "canonicalize,"
    "buffer-deallocation-pipeline,"
    "convert-linalg-to-qopt-runtime,"
    "canonicalize,"
    "fuse-conv-epilogue-into-qopt-runtime,"
    "canonicalize,"
    "fuse-expand-depthwise-into-qopt-runtime,"
    "func.func(qopt-promote-small-buffers),"
    "func.func(convert-linalg-to-parallel-loops),"
    "func.func(qopt-interleave-reductions),"
    "convert-parallel-loops-to-qopt-runtime,"
    "func.func(qopt-approximate-math),"
    "expand-strided-metadata,"
    "lower-affine,"
    "convert-scf-to-cf,"
    "convert-math-to-llvm,"
    "convert-math-to-libm,"
    "finalize-memref-to-llvm{use-generic-functions use-aligned-alloc},"
    "convert-arith-to-llvm,"
    "convert-func-to-llvm{use-bare-ptr-memref-call-conv},"
    "convert-cf-to-llvm,"
    "reconcile-unrealized-casts,"
    "qopt-mark-allocations-noalias";

void qopt::buildCPULoweringPipeline(OpPassManager &pm) {
  // The text is fixed and tested; a parse failure is a build defect.
  if (failed(parsePassPipeline(kCPULowering, pm)))
    llvm::report_fatal_error("qopt: the CPU lowering pipeline does not parse; "
                             "call qopt::registerAllPasses() first");
}

void qopt::buildQuantizePipeline(OpPassManager &pm,
                                 const QOptQuantizeOptions &options) {
  pm.addNestedPass<func::FuncOp>(createQOptQuantize(options));
}

void qopt::buildLowerQuantizedPipeline(OpPassManager &pm, bool integerOnly,
                                       bool onnxRequant) {
  if (integerOnly)
    pm.addNestedPass<func::FuncOp>(createQOptIntegerOnly());
  QOptLowerQuantizedOptions options;
  options.rescale = onnxRequant ? "onnx" : "dyadic";
  pm.addNestedPass<func::FuncOp>(createQOptLowerQuantized(options));
  if (integerOnly)
    pm.addNestedPass<func::FuncOp>(createQOptVerifyIntegerOnly());
}

void qopt::buildIntegerOnlyPipeline(OpPassManager &pm,
                                    QOptQuantizeOptions options) {
  options.integerOnly = true;
  options.fakeQuant = false;
  buildQuantizePipeline(pm, options);
  buildLowerQuantizedPipeline(pm, /*integerOnly=*/true);
}

namespace {
/// The options of qopt-integer-only-pipeline: qopt-quantize's weight
/// scheme (integer-only mode and integer form are implied).
struct IntegerOnlyPipelineOptions
    : PassPipelineOptions<IntegerOnlyPipelineOptions> {
  Option<unsigned> weightBits{*this, "weight-bits",
                              llvm::cl::desc("Bits of the weights: 8 or 4"),
                              llvm::cl::init(8)};
  Option<bool> perChannel{*this, "per-channel",
                          llvm::cl::desc("One weight scale per channel"),
                          llvm::cl::init(true)};
  Option<bool> actSymmetric{*this, "act-symmetric",
                            llvm::cl::desc("Activations with zero point 0"),
                            llvm::cl::init(false)};
};
} // namespace

void qopt::registerPipelines() {
  PassPipelineRegistration<IntegerOnlyPipelineOptions>(
      "qopt-integer-only-pipeline",
      "Quantize a calibrated graph integer-only (qopt-quantize{integer-only}, "
      "qopt-integer-only, qopt-lower-quantized) and verify that no float op "
      "is left (qopt-verify-integer-only)",
      [](OpPassManager &pm, const IntegerOnlyPipelineOptions &o) {
        QOptQuantizeOptions options;
        options.weightBits = o.weightBits;
        options.perChannel = o.perChannel;
        options.actSymmetric = o.actSymmetric;
        buildIntegerOnlyPipeline(pm, options);
      });
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
