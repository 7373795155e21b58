//===- AOTCompiler.cpp - qopt modules to optimized LLVM modules -----------===//

#include "qopt/Target/CPU/AOTCompiler.h"
#include "qopt/InitAll.h"
#include "qopt/Pipelines/Pipelines.h"
#include "qopt/Target/CPU/JITExecutable.h"
#include "qopt/Target/CPU/Signature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

#include <mutex>

using namespace mlir;
using namespace mlir::qopt;

FailureOr<std::unique_ptr<llvm::TargetMachine>>
mlir::qopt::createCPUTargetMachine(const AOTOptions &options,
                                   std::string &error) {
  static std::once_flag initTarget;
  std::call_once(initTarget, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    // The weights' module assembly (ExternalWeights.cpp) is parsed.
    llvm::InitializeNativeTargetAsmParser();
  });
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return failure();

  std::string cpu = options.cpu;
  std::string features;
  if (cpu.empty() || cpu == "native") {
    // The host CPU's name alone misses features the OS disabled or that the
    // name's model lacks; ask for them one by one, as clang -march=native.
    cpu = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features += (features.empty() ? "" : ",") +
                  std::string(feature.second ? "+" : "-") +
                  feature.first().str();
  } else {
    std::unique_ptr<llvm::MCSubtargetInfo> info(
        target->createMCSubtargetInfo(triple, cpu, ""));
    if (!info || !info->isCPUStringValid(cpu)) {
      error = "unknown CPU '" + cpu + "' for " + triple.str();
      return failure();
    }
  }
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, targetOptions, llvm::Reloc::PIC_, std::nullopt,
      options.optLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
      : options.optLevel == 0 ? llvm::CodeGenOptLevel::None
                              : llvm::CodeGenOptLevel::Default));
  if (!tm) {
    error = "cannot create a target machine for " + triple.str();
    return failure();
  }
  return tm;
}

std::unique_ptr<llvm::Module> mlir::qopt::compileToLLVMModule(
    ModuleOp module, llvm::LLVMContext &llvmContext, llvm::TargetMachine &tm,
    const AOTOptions &options, std::vector<TensorSignature> &inputs,
    std::vector<TensorSignature> &outputs,
    std::vector<ExternalWeight> *externalWeights) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main) {
    module.emitError("the module has no func.func @main to compile");
    return nullptr;
  }
  if (failed(getSignatures(main, inputs, outputs)))
    return nullptr;

  TimingScope untimed;
  TimingScope &timing = options.timing ? *options.timing : untimed;
  registerAllPasses();
  OwningOpRef<ModuleOp> lowered(module.clone());
  stripQOptSignatureAttrs(*lowered);
  MLIRContext *context = module.getContext();
  {
    TimingScope lowering = timing.nest("CPU lowering (MLIR passes)");
    PassManager pm(context);
    pm.enableTiming(lowering);
    buildCPULoweringPipeline(pm);
    if (failed(pm.run(*lowered)))
      return nullptr;
  }
  // Small tables stay in the IR, where LLVM may fold loads from them.
  if (externalWeights)
    *externalWeights = externalizeWeights(*lowered, /*minBytes=*/1024);

  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  context->appendDialectRegistry(registry);
  TimingScope translation = timing.nest("translation to LLVM IR");
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*lowered, llvmContext, "qopt_model");
  translation.stop();
  if (!llvmModule) {
    module.emitError("translation to LLVM IR failed");
    return nullptr;
  }
  std::string problem =
      addModelABI(*llvmModule, options.symbolPrefix, inputs, outputs);
  if (!problem.empty()) {
    module.emitError(problem);
    return nullptr;
  }
  llvmModule->setTargetTriple(tm.getTargetTriple());
  llvmModule->setDataLayout(tm.createDataLayout());
  // Functions carry no target attributes from MLIR: give them the machine's,
  // so that the optimizer's cost models and the vectorizer see AVX-512.
  for (llvm::Function &fn : llvmModule->functions()) {
    if (fn.isDeclaration())
      continue;
    fn.addFnAttr("target-cpu", tm.getTargetCPU());
    if (!tm.getTargetFeatureString().empty())
      fn.addFnAttr("target-features", tm.getTargetFeatureString());
  }
  TimingScope optimization = timing.nest("LLVM optimization");
  auto optimize =
      makeOptimizingTransformer(options.optLevel, /*sizeLevel=*/0, &tm);
  if (llvm::Error error = optimize(llvmModule.get())) {
    module.emitError("LLVM optimization failed: ")
        << llvm::toString(std::move(error));
    return nullptr;
  }
  return llvmModule;
}
