//===- InitAll.cpp - register qopt's dialects, passes and pipelines -------===//

#include "qopt/InitAll.h"
#include "qopt/Conversion/Passes.h"
#include "qopt/Dialect/QOpt/IR/QOpt.h"
#include "qopt/Dialect/QOpt/Transforms/Passes.h"
#include "qopt/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Transforms/Passes.h"

#include <mutex>

void mlir::qopt::registerAllDialects(DialectRegistry &registry) {
  registry.insert<QOptDialect>();
  // The lowering pipelines pass through many upstream dialects (bufferization,
  // memref, scf, cf, llvm, ...) and need their interface models (bufferization
  // of tensor ops, conversion to LLVM): register them all, as mlir-opt does.
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
}

static void registerEverything() {
  using namespace mlir::qopt;
  mlir::registerAllPasses(); // upstream passes, named in qopt's pipelines
  registerQOptPasses();
  registerQOptConversionPasses();
  registerPipelines();
}

void mlir::qopt::registerAllPasses() {
  // Pipelines may be registered only once per process; callers need not care.
  static std::once_flag once;
  std::call_once(once, registerEverything);
}
