//===- ONNXImporter.h - import ONNX models into the qopt dialect --*- C++ -*-===//
//
// Reads an ONNX model with libonnx (protobuf parsing, checker, version
// converter, shape inference) and builds a `func.func` of qopt graph ops with
// static shapes. Errors are emitted as one diagnostic each, naming the file,
// the node (name and index), its op type and opset, and the reason.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_IMPORT_ONNXIMPORTER_H
#define QOPT_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace mlir::qopt {

struct ONNXImportOptions {
  /// Static shapes for graph inputs whose shapes are symbolic or unknown (or
  /// to override the model's). Keyed by input name.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// The opset every model is converted to before import.
  int64_t targetOpset = 17;
  /// Name of the generated function.
  std::string functionName = "main";
};

/// Parses "NAME:1x3x224x224" into `options.inputShapes`. Returns an error
/// message, or an empty string on success.
std::string parseInputShapeSpec(llvm::StringRef spec,
                                ONNXImportOptions &options);

/// Imports the model stored at `path`. External data is read from the
/// model's folder only. Returns null after emitting a diagnostic on failure.
OwningOpRef<ModuleOp> importONNXFile(llvm::StringRef path, MLIRContext *context,
                                     const ONNXImportOptions &options);

/// Imports a serialized model from memory. `displayName` names it in
/// diagnostics; external data is resolved in `modelDir`, or refused when
/// `modelDir` is empty.
OwningOpRef<ModuleOp> importONNXBuffer(llvm::StringRef bytes,
                                       llvm::StringRef displayName,
                                       llvm::StringRef modelDir,
                                       MLIRContext *context,
                                       const ONNXImportOptions &options);

/// One supported ONNX op type (default domain) and how it is handled:
/// "converted" (becomes qopt ops), "converted,folded" (also evaluated at
/// import time when every input is constant), or "folded" (only evaluated at
/// import time, on constant inputs).
struct SupportedONNXOp {
  std::string opType;
  std::string handling;
};

/// Every op type the importer handles, sorted by name.
std::vector<SupportedONNXOp> getSupportedONNXOps();

} // namespace mlir::qopt

#endif // QOPT_IMPORT_ONNXIMPORTER_H
