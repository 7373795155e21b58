//===- GraphImporter.h - one ONNX graph to one func.func -----------*- C++ -*-===//

#ifndef QOPT_LIB_IMPORT_GRAPHIMPORTER_H
#define QOPT_LIB_IMPORT_GRAPHIMPORTER_H

#include "HostTensor.h"
#include "NodeImporter.h"

#include "qopt/Import/ONNXImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::qopt::onnx_import {

class GraphImporter {
public:
  GraphImporter(MLIRContext *context, llvm::StringRef fileName)
      : context(context), fileName(fileName.str()) {}

  /// Builds `func.func @name` in `module` from the checked, converted and
  /// shape-inferred model.
  /// The initializers' raw bytes are moved out of `model` (not copied).
  LogicalResult importGraph(onnx::ModelProto &model, ModuleOp module,
                            const ONNXImportOptions &options);

  MLIRContext *context;
  std::string fileName;
  llvm::StringMap<Value> values;
  llvm::StringMap<HostTensor> constants;
  llvm::StringMap<const onnx::TypeProto *> types;

  /// The ranked static type recorded for `name`, with a reason on failure.
  FailureOr<RankedTensorType> typeOf(llvm::StringRef name, std::string &why);
  /// Runs ONNX shape inference again for `node` alone, now that its inputs
  /// have static types and its constant inputs are known, and records the
  /// output types found. For shapes that whole-graph inference could not see
  /// through (e.g. an Expand of a Where/Equal/ConstantOfShape chain that the
  /// importer folded). Fails quietly; callers report the original problem.
  LogicalResult reinferNode(const onnx::NodeProto &node);
  /// A qopt.constant for the host constant `name` (created once).
  Value materialize(llvm::StringRef name, OpBuilder &b);

private:
  llvm::StringMap<Value> materialized;
  Block *entry = nullptr;
  const onnx::ModelProto *model = nullptr;
  /// Output types from reinferNode (StringMap keeps their addresses stable).
  llvm::StringMap<onnx::TypeProto> reinferred;
  llvm::SmallPtrSet<const onnx::NodeProto *, 4> reinferAttempted;
};

} // namespace mlir::qopt::onnx_import

#endif // QOPT_LIB_IMPORT_GRAPHIMPORTER_H
