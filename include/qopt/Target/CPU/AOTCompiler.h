//===- AOTCompiler.h - qopt modules to objects and shared libraries -*- C++ -*-//
//
// Ahead-of-time output for this (or another x86) CPU: the float qopt module
// is lowered with the CPU pipeline, translated to LLVM IR, wrapped in the
// stable C ABI of ModelABI.h (under a symbol prefix, with the I/O metadata as
// constant data and every other symbol internal), optimized and emitted as an
// object file with the weights embedded; a shared library is that object
// linked with libqopt_runtime.a by the system's compiler driver.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_TARGET_CPU_AOTCOMPILER_H
#define QOPT_TARGET_CPU_AOTCOMPILER_H

#include "qopt/Target/CPU/CompiledModel.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/SmallString.h"

#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace mlir::qopt {

struct AOTOptions {
  /// Prefix of every exported symbol (a C identifier).
  std::string symbolPrefix = "qopt_model";
  /// CPU to generate code for: "" or "native" is this machine's CPU with its
  /// features; otherwise an LLVM CPU name (e.g. znver4, x86-64-v3).
  std::string cpu;
  /// LLVM -O2 by default, as the JIT: -O3 spends minutes in IndVarSimplify
  /// on transformer loop nests for little speed (the heavy ops are runtime
  /// kernel calls).
  unsigned optLevel = 2;
  /// Where compileToLLVMModule reports the time of its stages (MLIR
  /// lowering per pass, translation, LLVM optimization), e.g. the root scope
  /// of a DefaultTimingManager behind -mlir-timing; null: not timed.
  TimingScope *timing = nullptr;
};

/// A weight that the AOT path keeps out of LLVM IR: `symbol` is a hidden
/// declaration in the module, and its bytes (owned by the MLIRContext: the
/// importer's resource blob or a folded DenseElementsAttr) go straight into
/// the object (ExternalWeights.cpp says why).
struct ExternalWeight {
  std::string symbol;
  ArrayRef<char> bytes;
  /// In bytes: the global's alignment, at least 16.
  uint64_t alignment;
};

/// Turns every constant llvm.mlir.global of `module` (LLVM dialect) whose
/// initializer is at least `minBytes` of plain element data into a hidden
/// external declaration, and returns those weights in module order.
std::vector<ExternalWeight> externalizeWeights(ModuleOp module,
                                               uint64_t minBytes);

/// The temporary file of the weights that an object's module assembly
/// includes (`.incbin`); removed when this goes out of scope, so it must
/// outlive the code generation of `module`.
class WeightsFile {
public:
  WeightsFile() = default;
  WeightsFile(const WeightsFile &) = delete;
  WeightsFile &operator=(const WeightsFile &) = delete;
  ~WeightsFile();
  /// Writes the bytes of `weights` and appends to `module` the assembly
  /// that defines their symbols in .rodata. Returns an error message or "".
  std::string write(ArrayRef<ExternalWeight> weights, llvm::Module &module);

private:
  llvm::SmallString<128> path;
};

/// A TargetMachine for `cpu` (see AOTOptions::cpu), position independent.
FailureOr<std::unique_ptr<llvm::TargetMachine>>
createCPUTargetMachine(const AOTOptions &options, std::string &error);

/// Lowers a clone of `module` (a float qopt module with func.func @main),
/// translates it to LLVM IR, adds the C ABI and optimizes it for `tm`.
/// Diagnostics go to the module's context. `inputs`/`outputs` receive the
/// signatures. With `externalWeights`, the large constant globals are left
/// as declarations and their bytes returned there (externalizeWeights), for
/// emitObjectFile; without it, the weights stay in the IR (--emit=llvm, JIT).
std::unique_ptr<llvm::Module>
compileToLLVMModule(ModuleOp module, llvm::LLVMContext &llvmContext,
                    llvm::TargetMachine &tm, const AOTOptions &options,
                    std::vector<TensorSignature> &inputs,
                    std::vector<TensorSignature> &outputs,
                    std::vector<ExternalWeight> *externalWeights = nullptr);

/// Adds the C ABI of ModelABI.h to a translated module whose bare-pointer
/// `main(in*..., out*...)` has the given signatures: renames `main` to
/// PREFIX_graph, makes every defined symbol internal and defines the
/// PREFIX_* entry points and the metadata. Returns an error message or "".
std::string addModelABI(llvm::Module &module, StringRef prefix,
                        const std::vector<TensorSignature> &inputs,
                        const std::vector<TensorSignature> &outputs);

/// Writes `module` as an object file for `tm`, with the bytes of `weights`
/// (compileToLLVMModule's externalWeights) defining their symbols in it.
/// Returns an error message or "".
std::string emitObjectFile(llvm::Module &module, llvm::TargetMachine &tm,
                           StringRef path,
                           ArrayRef<ExternalWeight> weights = {});

/// Links the object `objectPath` and libqopt_runtime.a into the shared
/// library `outputPath` with the system compiler driver. Returns an error
/// message or "".
std::string linkSharedLibrary(StringRef objectPath, StringRef outputPath);

/// The text of the C header PREFIX.h for a model with these signatures.
std::string generateCHeader(StringRef prefix,
                            const std::vector<TensorSignature> &inputs,
                            const std::vector<TensorSignature> &outputs);

/// Whether `prefix` is usable as a C identifier prefix.
bool isValidSymbolPrefix(StringRef prefix);

} // namespace mlir::qopt

#endif // QOPT_TARGET_CPU_AOTCOMPILER_H
