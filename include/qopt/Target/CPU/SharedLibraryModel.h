//===- SharedLibraryModel.h - load an AOT-compiled model --------*- C++ -*-===//
//
// dlopen's a shared library written by `qopt-compile --emit=shared` and runs
// it through the C ABI of ModelABI.h.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TARGET_CPU_SHAREDLIBRARYMODEL_H
#define QOPT_TARGET_CPU_SHAREDLIBRARYMODEL_H

#include "qopt/Target/CPU/CompiledModel.h"

#include <memory>

namespace mlir::qopt {

class SharedLibraryModel : public CompiledModel {
public:
  /// Loads `path`. `prefix` is the models' symbol prefix; when empty, the
  /// library's dynamic symbols are searched for exactly one PREFIX_abi_version.
  /// On failure returns null and sets `error`.
  static std::unique_ptr<SharedLibraryModel>
  load(const std::string &path, const std::string &prefix, std::string &error);
  ~SharedLibraryModel() override;

  const std::vector<TensorSignature> &inputs() const override {
    return inputSigs;
  }
  const std::vector<TensorSignature> &outputs() const override {
    return outputSigs;
  }
  std::string run(llvm::ArrayRef<const void *> inputs,
                  llvm::ArrayRef<void *> outputs) override;
  std::string setNumThreads(int n) override;
  const std::string &symbolPrefix() const { return prefix; }

private:
  SharedLibraryModel() = default;
  void *handle = nullptr;
  std::string prefix;
  int (*runFn)(const void *const *, void *const *) = nullptr;
  void (*setThreadsFn)(int) = nullptr;
  std::vector<TensorSignature> inputSigs, outputSigs;
};

} // namespace mlir::qopt

#endif // QOPT_TARGET_CPU_SHAREDLIBRARYMODEL_H
