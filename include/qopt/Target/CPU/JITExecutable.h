//===- JITExecutable.h - run a qopt module on this CPU in process -*- C++ -*-===//
//
// Lowers a float qopt module with qopt-lower-to-llvm, compiles it with LLVM's
// ORC JIT (MLIR's ExecutionEngine) for the host CPU, and runs `main` on
// caller-owned buffers. Used for calibration, tests and Python.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TARGET_CPU_JITEXECUTABLE_H
#define QOPT_TARGET_CPU_JITEXECUTABLE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace mlir::qopt {

/// Removes qopt's discardable argument and result attributes (qopt.name)
/// from every function: LLVM IR has no place for them.
void stripQOptSignatureAttrs(ModuleOp module);

/// One input or output of a compiled model.
struct TensorSignature {
  std::string name;
  /// "f32", "f16", "bf16", "f64", "i8", "i16", "i32", "i64" or "i1".
  std::string dtype;
  std::vector<int64_t> shape;
  int64_t numElements() const;
  /// Bytes per element.
  int64_t elementSize() const;
};

class JITExecutable {
public:
  /// Compiles `func.func @main` of `module` (left unchanged: a clone is
  /// lowered). Emits diagnostics on the module's context on failure.
  /// LLVM's -O2 is the default: -O3 spends minutes in IndVarSimplify on
  /// the large loop nests of transformer models for a few percent of speed
  /// (the heavy ops run in the runtime's kernels either way).
  static FailureOr<std::unique_ptr<JITExecutable>> compile(ModuleOp module,
                                                           unsigned optLevel = 2);
  ~JITExecutable();

  const std::vector<TensorSignature> &inputs() const { return inputSigs; }
  const std::vector<TensorSignature> &outputs() const { return outputSigs; }

  /// Runs the model once. `inputs[i]` and `outputs[i]` point to dense
  /// row-major buffers of the signatures' shapes. Returns an error message,
  /// or "" on success.
  std::string run(ArrayRef<const void *> inputs, ArrayRef<void *> outputs);

private:
  JITExecutable() = default;
  std::unique_ptr<ExecutionEngine> engine;
  std::vector<TensorSignature> inputSigs, outputSigs;
};

} // namespace mlir::qopt

#endif // QOPT_TARGET_CPU_JITEXECUTABLE_H
