//===- SharedLibraryModel.cpp - load an AOT-compiled model ----------------===//

#include "qopt/Target/CPU/SharedLibraryModel.h"
#include "qopt/Target/CPU/ModelABI.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"

#include <dlfcn.h>

using namespace mlir::qopt;
using llvm::StringRef;

/// The prefixes P of the dynamic symbols P_abi_version of `path`, or an error.
static std::string findPrefixes(const std::string &path,
                                std::vector<std::string> &prefixes) {
  auto object = llvm::object::ObjectFile::createObjectFile(path);
  if (!object)
    return llvm::toString(object.takeError());
  auto *elf = llvm::dyn_cast<llvm::object::ELFObjectFileBase>(
      object->getBinary());
  if (!elf)
    return "not an ELF shared library";
  for (const auto &symbol : elf->getDynamicSymbolIterators()) {
    auto name = symbol.getName();
    if (!name) {
      llvm::consumeError(name.takeError());
      continue;
    }
    if (name->ends_with("_abi_version"))
      prefixes.push_back(name->drop_back(strlen("_abi_version")).str());
  }
  return "";
}

template <typename Fn>
static Fn lookup(void *handle, const std::string &name) {
  return reinterpret_cast<Fn>(dlsym(handle, name.c_str()));
}

static std::string readInfos(const qopt_tensor_info *(*info)(int), int count,
                             const char *kind,
                             std::vector<TensorSignature> &sigs) {
  for (int i = 0; i < count; ++i) {
    const qopt_tensor_info *t = info(i);
    std::string dtype = t ? dtypeOfABICode(t->dtype) : "";
    if (!t || !t->name || t->rank < 0 || (t->rank > 0 && !t->shape) ||
        dtype.empty())
      return std::string("invalid metadata for ") + kind + " #" +
             std::to_string(i);
    TensorSignature sig;
    sig.name = t->name;
    sig.dtype = dtype;
    sig.shape.assign(t->shape, t->shape + t->rank);
    sigs.push_back(sig);
  }
  return "";
}

std::unique_ptr<SharedLibraryModel>
SharedLibraryModel::load(const std::string &path, const std::string &prefix,
                         std::string &error) {
  std::string chosen = prefix;
  if (chosen.empty()) {
    std::vector<std::string> prefixes;
    std::string problem = findPrefixes(path, prefixes);
    if (!problem.empty()) {
      error = path + ": " + problem;
      return nullptr;
    }
    if (prefixes.empty()) {
      error = path + ": not a qopt model (no symbol PREFIX_abi_version)";
      return nullptr;
    }
    if (prefixes.size() > 1) {
      error = path + ": holds several models (" + prefixes[0] + ", " +
              prefixes[1] + (prefixes.size() > 2 ? ", ..." : "") +
              "); choose one with a symbol prefix";
      return nullptr;
    }
    chosen = prefixes[0];
  }

  // RTLD_LOCAL: two models, each with its own runtime copy, coexist.
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *message = dlerror();
    error = path + ": cannot load: " + (message ? message : "unknown error");
    return nullptr;
  }
  std::unique_ptr<SharedLibraryModel> model(new SharedLibraryModel());
  model->handle = handle;
  model->prefix = chosen;
  auto version = lookup<int (*)()>(handle, chosen + "_abi_version");
  auto numInputs = lookup<int (*)()>(handle, chosen + "_num_inputs");
  auto numOutputs = lookup<int (*)()>(handle, chosen + "_num_outputs");
  auto inputInfo =
      lookup<const qopt_tensor_info *(*)(int)>(handle, chosen + "_input_info");
  auto outputInfo = lookup<const qopt_tensor_info *(*)(int)>(
      handle, chosen + "_output_info");
  model->runFn = lookup<int (*)(const void *const *, void *const *)>(
      handle, chosen + "_run");
  model->setThreadsFn = lookup<void (*)(int)>(handle, chosen + "_set_num_threads");
  if (!version || !numInputs || !numOutputs || !inputInfo || !outputInfo ||
      !model->runFn || !model->setThreadsFn) {
    error = path + ": not a qopt model with symbol prefix '" + chosen + "'";
    return nullptr;
  }
  if (version() != QOPT_ABI_VERSION) {
    error = path + ": model ABI version " + std::to_string(version()) +
            ", this loader reads version " + std::to_string(QOPT_ABI_VERSION);
    return nullptr;
  }
  std::string problem =
      readInfos(inputInfo, numInputs(), "input", model->inputSigs);
  if (problem.empty())
    problem = readInfos(outputInfo, numOutputs(), "output", model->outputSigs);
  if (!problem.empty()) {
    error = path + ": " + problem;
    return nullptr;
  }
  return model;
}

SharedLibraryModel::~SharedLibraryModel() {
  if (handle)
    dlclose(handle);
}

std::string SharedLibraryModel::run(llvm::ArrayRef<const void *> inputs,
                                    llvm::ArrayRef<void *> outputs) {
  if (inputs.size() != inputSigs.size() || outputs.size() != outputSigs.size())
    return "expected " + std::to_string(inputSigs.size()) + " inputs and " +
           std::to_string(outputSigs.size()) + " outputs";
  int rc = runFn(inputs.data(), outputs.data());
  if (rc == QOPT_ERR_NULL_ARGUMENT)
    return "a buffer passed to " + prefix + "_run is NULL";
  if (rc != 0)
    return prefix + "_run failed with code " + std::to_string(rc);
  return "";
}

std::string SharedLibraryModel::setNumThreads(int n) {
  setThreadsFn(n);
  return "";
}
