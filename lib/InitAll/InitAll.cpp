//===- InitAll.cpp - register qopt's dialects, passes and pipelines -------===//

#include "qopt/InitAll.h"
#include "qopt/Dialect/QOpt/IR/QOpt.h"
#include "qopt/Dialect/QOpt/Transforms/Passes.h"
#include "qopt/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/Passes.h"

void mlir::qopt::registerAllDialects(DialectRegistry &registry) {
  registry.insert<QOptDialect, arith::ArithDialect, func::FuncDialect,
                  linalg::LinalgDialect, math::MathDialect,
                  quant::QuantDialect, tensor::TensorDialect>();
}

void mlir::qopt::registerAllPasses() {
  registerTransformsPasses(); // canonicalize, cse, ...
  registerQOptPasses();
  registerPipelines();
}
