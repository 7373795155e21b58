//===- qopt-import-fuzzer.cpp - libFuzzer target for the ONNX importer ----===//
//
// Feeds arbitrary bytes to the importer as a serialized ModelProto. Any
// outcome but a crash, a hang or a sanitizer report is fine: malformed input
// must end in a diagnostic. External data is refused (no model folder).
//
//===----------------------------------------------------------------------===//

#include "qopt/Import/ONNXImporter.h"
#include "qopt/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::DialectRegistry registry;
  mlir::qopt::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  context.disableMultithreading();
  mlir::ScopedDiagnosticHandler silence(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  mlir::qopt::ONNXImportOptions options;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  auto module = mlir::qopt::importONNXBuffer(bytes, "fuzz.onnx", "", &context,
                                             options);
  // What the importer accepts must verify.
  if (module && mlir::failed(mlir::verify(*module)))
    std::abort();
  return 0;
}
