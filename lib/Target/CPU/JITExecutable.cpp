//===- JITExecutable.cpp - run a qopt module on this CPU in process -------===//

#include "qopt/Target/CPU/JITExecutable.h"
#include "qopt/InitAll.h"
#include "qopt/Pipelines/Pipelines.h"
#include "qopt/Target/CPU/Signature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <cstdlib>
#include <mutex>

using namespace mlir;
using namespace mlir::qopt;

void mlir::qopt::stripQOptSignatureAttrs(ModuleOp module) {
  // qopt.name, and the calibration statistics (qopt.calib) that
  // quantization leaves on arguments.
  module.walk([](func::FuncOp func) {
    MLIRContext *context = func.getContext();
    for (StringRef name : {"qopt.name", "qopt.calib"}) {
      auto attrName = StringAttr::get(context, name);
      for (unsigned i = 0; i < func.getNumArguments(); ++i)
        func.removeArgAttr(i, attrName);
      for (unsigned i = 0; i < func.getNumResults(); ++i)
        func.removeResultAttr(i, attrName);
    }
  });
}

FailureOr<std::unique_ptr<JITExecutable>>
JITExecutable::compile(ModuleOp module, unsigned optLevel) {
  static std::once_flag initTarget;
  std::call_once(initTarget, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });

  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main)
    return module.emitError("the module has no func.func @main to compile");
  std::unique_ptr<JITExecutable> exe(new JITExecutable());
  FunctionType type = main.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto sig = signatureOf(main, type.getInput(i),
                           main.getArgAttrOfType<StringAttr>(i, "qopt.name"),
                           i, true);
    if (failed(sig))
      return failure();
    exe->inputSigs.push_back(*sig);
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    auto sig = signatureOf(main, type.getResult(i),
                           main.getResultAttrOfType<StringAttr>(i, "qopt.name"),
                           i, false);
    if (failed(sig))
      return failure();
    exe->outputSigs.push_back(*sig);
  }

  registerAllPasses();
  OwningOpRef<ModuleOp> lowered(module.clone());
  stripQOptSignatureAttrs(*lowered);
  MLIRContext *context = module.getContext();
  PassManager pm(context);
  buildCPULoweringPipeline(pm);
  if (failed(pm.run(*lowered)))
    return failure();

  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  context->appendDialectRegistry(registry);

  // Optimise and generate code for this CPU: the functions carry the host's
  // CPU name and features, so LLVM's vectorizers use its full vector width.
  auto hostBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!hostBuilder)
    return module.emitError("cannot detect the host CPU: ")
           << llvm::toString(hostBuilder.takeError());
  auto hostMachine = hostBuilder->createTargetMachine();
  if (!hostMachine)
    return module.emitError("cannot create a target machine for the host: ")
           << llvm::toString(hostMachine.takeError());
  std::shared_ptr<llvm::TargetMachine> machine = std::move(*hostMachine);
  std::string cpu = machine->getTargetCPU().str();
  std::string features = machine->getTargetFeatureString().str();
  auto optimize = makeOptimizingTransformer(optLevel, /*sizeLevel=*/0,
                                            machine.get());
  // The options hold a function_ref: the transformer must outlive create().
  std::function<llvm::Error(llvm::Module *)> transformer =
      [=](llvm::Module *m) -> llvm::Error {
    for (llvm::Function &f : *m)
      if (!f.isDeclaration()) {
        f.addFnAttr("target-cpu", cpu);
        f.addFnAttr("target-features", features);
      }
    return optimize(m);
  };
  ExecutionEngineOptions options;
  options.transformer = transformer;
  // The runtime's kernels and memrefCopy: the build's library, or
  // $QOPT_RUNTIME_LIBRARY where qopt-compile runs away from its build (the
  // statically linked one of scripts/link-static-qopt-compile.sh).
  std::string runtime = QOPT_RUNTIME_LIBRARY;
  if (const char *env = std::getenv("QOPT_RUNTIME_LIBRARY"); env && *env)
    runtime = env;
  if (!llvm::sys::fs::exists(runtime))
    return module.emitError("the qopt runtime library ")
           << runtime
           << " is missing (build target qopt_runtime_shared, or set "
              "QOPT_RUNTIME_LIBRARY)";
  llvm::SmallVector<StringRef> libraries{runtime};
  options.sharedLibPaths = libraries;
  options.jitCodeGenOptLevel = static_cast<llvm::CodeGenOptLevel>(
      std::min<unsigned>(optLevel, 3));
  auto engine = ExecutionEngine::create(*lowered, options);
  if (!engine) {
    std::string message;
    llvm::handleAllErrors(engine.takeError(), [&](const llvm::ErrorInfoBase &e) {
      message = e.message();
    });
    return module.emitError("JIT compilation failed: ") << message;
  }
  exe->engine = std::move(*engine);
  return exe;
}

JITExecutable::~JITExecutable() = default;

std::string JITExecutable::run(ArrayRef<const void *> inputs,
                               ArrayRef<void *> outputs) {
  if (inputs.size() != inputSigs.size() || outputs.size() != outputSigs.size())
    return "expected " + std::to_string(inputSigs.size()) + " inputs and " +
           std::to_string(outputSigs.size()) + " outputs";
  // Bare-pointer convention: main(in0*, ..., out0*, ...). invokePacked takes
  // a pointer to each argument.
  llvm::SmallVector<void *> pointers, args;
  for (const void *p : inputs)
    pointers.push_back(const_cast<void *>(p));
  for (void *p : outputs)
    pointers.push_back(p);
  for (void *&p : pointers)
    args.push_back(&p);
  if (llvm::Error error = engine->invokePacked("main", args)) {
    std::string message;
    llvm::handleAllErrors(std::move(error), [&](const llvm::ErrorInfoBase &e) {
      message = e.message();
    });
    return "running main failed: " + message;
  }
  return "";
}

std::string JITExecutable::setNumThreads(int n) {
  // The runtime library the JIT loaded (sharedLibPaths) is searchable
  // process-wide; without one, the generated code runs on one thread.
  void *symbol = llvm::sys::DynamicLibrary::SearchForAddressOfSymbol(
      "qopt_rt_set_num_threads");
  if (!symbol)
    return "the JIT has no qopt runtime loaded (qopt_rt_set_num_threads)";
  reinterpret_cast<void (*)(int)>(symbol)(n);
  return "";
}
