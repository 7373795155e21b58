//===- JITExecutable.h - run a qopt module on this CPU in process -*- C++ -*-===//
//
// Lowers a float qopt module with qopt-lower-to-llvm, compiles it with LLVM's
// ORC JIT (MLIR's ExecutionEngine) for the host CPU, and runs `main` on
// caller-owned buffers. Used for calibration, tests and Python.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TARGET_CPU_JITEXECUTABLE_H
#define QOPT_TARGET_CPU_JITEXECUTABLE_H

#include "qopt/Target/CPU/CompiledModel.h"

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

class JITExecutable : public CompiledModel {
public:
  /// Compiles `func.func @main` of `module` (left unchanged: a clone is
  /// lowered). Emits diagnostics on the module's context on failure.
  /// LLVM's -O2 is the default: -O3 spends minutes in IndVarSimplify on
  /// the large loop nests of transformer models for a few percent of speed
  /// (the heavy ops run in the runtime's kernels either way).
  static FailureOr<std::unique_ptr<JITExecutable>> compile(ModuleOp module,
                                                           unsigned optLevel = 2);
  ~JITExecutable() override;

  const std::vector<TensorSignature> &inputs() const override {
    return inputSigs;
  }
  const std::vector<TensorSignature> &outputs() const override {
    return outputSigs;
  }

  std::string run(ArrayRef<const void *> inputs,
                  ArrayRef<void *> outputs) override;
  /// Forwards to qopt_rt_set_num_threads of the runtime the JIT loaded.
  std::string setNumThreads(int n) override;

private:
  JITExecutable() = default;
  std::unique_ptr<ExecutionEngine> engine;
  std::vector<TensorSignature> inputSigs, outputSigs;
};

} // namespace mlir::qopt

#endif // QOPT_TARGET_CPU_JITEXECUTABLE_H
