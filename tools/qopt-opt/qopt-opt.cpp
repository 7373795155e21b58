//===- qopt-opt.cpp - qopt's mlir-opt ---------------------------------------===//
//
// Runs qopt and upstream passes and pipelines on .mlir files, with
// mlir-opt's conventions (--pass-pipeline, -split-input-file,
// -verify-diagnostics, ...).
//
//===----------------------------------------------------------------------===//

#include "qopt/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::qopt::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::qopt::registerAllDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "qopt optimizer driver\n", registry));
}
