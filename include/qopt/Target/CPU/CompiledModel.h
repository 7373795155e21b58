//===- CompiledModel.h - one interface for JIT and AOT models ---*- C++ -*-===//
//
// A model compiled for this CPU, whichever way it was compiled: in process by
// the JIT (JITExecutable) or ahead of time into a shared library that is
// dlopen'ed (SharedLibraryModel). qopt-run, the Python module and the tests
// drive both through this interface, so they run the same way.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TARGET_CPU_COMPILEDMODEL_H
#define QOPT_TARGET_CPU_COMPILEDMODEL_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::qopt {

/// One input or output of a compiled model.
struct TensorSignature {
  std::string name;
  /// "f32", "f16", "bf16", "f64", "i8", "i16", "i32", "i64" or "i1".
  std::string dtype;
  std::vector<int64_t> shape;
  int64_t numElements() const;
  /// Bytes per element.
  int64_t elementSize() const;
  int64_t numBytes() const { return numElements() * elementSize(); }
  /// "1x3x224x224" ("scalar" for rank 0).
  std::string shapeString() const;
};

/// The qopt_dtype code (ModelABI.h) of a signature dtype, or -1.
int abiDTypeCode(const std::string &dtype);
/// The signature dtype of a qopt_dtype code, or "" if unknown.
std::string dtypeOfABICode(int code);

class CompiledModel {
public:
  virtual ~CompiledModel();
  virtual const std::vector<TensorSignature> &inputs() const = 0;
  virtual const std::vector<TensorSignature> &outputs() const = 0;
  /// Runs the model once. `inputs[i]` and `outputs[i]` point to dense
  /// row-major buffers of the signatures' shapes. Returns an error message,
  /// or "" on success.
  virtual std::string run(llvm::ArrayRef<const void *> inputs,
                          llvm::ArrayRef<void *> outputs) = 0;
  /// Sets the number of threads the model's kernels use (n <= 0: all cores).
  /// Returns an error message, or "" on success.
  virtual std::string setNumThreads(int n) = 0;
};

} // namespace mlir::qopt

#endif // QOPT_TARGET_CPU_COMPILEDMODEL_H
