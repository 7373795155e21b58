//===- qopt-translate.cpp - qopt's mlir-translate ---------------------------===//
//
// Translations out of MLIR (the HLS C++ emitter registers here as
// --emit-hls) plus upstream's MLIR <-> LLVM IR translations.
//
//===----------------------------------------------------------------------===//

#include "qopt/InitAll.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  return mlir::failed(
             mlir::mlirTranslateMain(argc, argv, "qopt translation driver\n"))
             ? 1
             : 0;
}
