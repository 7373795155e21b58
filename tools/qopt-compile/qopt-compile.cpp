//===- qopt-compile.cpp - ONNX model in, compiled model out -----------------===//
//
// A thin driver over qopt's libraries: import (libonnx), the named pipelines,
// and the emitters. Every failure prints one `error: ...` line and exits 1.
//
//===----------------------------------------------------------------------===//

#include "QuantizeFlags.h"

#include "qopt/Import/ONNXImporter.h"
#include "qopt/InitAll.h"
#include "qopt/Pipelines/Pipelines.h"
#include "qopt/Target/CPU/AOTCompiler.h"
#include "qopt/Target/CPU/JITExecutable.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("qopt-compile options");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"),
                                      cl::cat(category));
static cl::opt<bool> listOps(
    "list-onnx-ops",
    cl::desc("List the ONNX op types the importer supports and exit"),
    cl::init(false), cl::cat(category));
static cl::opt<std::string> outputFile("o", cl::desc("Output file ('-' for stdout)"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(category));

// --- Output: what to emit and for which target ------------------------------
enum class Emit { MLIR, LLVM, Obj, Shared };
static cl::opt<Emit> emit(
    "emit", cl::desc("What to write"), cl::init(Emit::MLIR),
    cl::values(clEnumValN(Emit::MLIR, "mlir",
                          "MLIR at the --stage given (qopt dialect IR by "
                          "default)"),
               clEnumValN(Emit::LLVM, "llvm",
                          "LLVM IR of the float graph for this CPU "
                          "(qopt-lower-to-llvm), main(in*, ..., out*, ...)"),
               clEnumValN(Emit::Obj, "obj",
                          "an object file with the weights embedded and the "
                          "C ABI of docs/CABI.md, plus its C header"),
               clEnumValN(Emit::Shared, "shared",
                          "a shared library (the object linked with qopt's "
                          "runtime), plus its C header")),
    cl::cat(category));
static cl::opt<std::string> target(
    "target", cl::desc("Target to compile for (cpu)"), cl::init("cpu"),
    cl::value_desc("cpu"), cl::cat(category));
static cl::opt<std::string> mcpu(
    "mcpu",
    cl::desc("CPU to generate code for with --emit=obj|shared: 'native' "
             "(default: this machine's CPU and features) or an LLVM CPU name "
             "such as znver4 or x86-64-v3"),
    cl::value_desc("cpu"), cl::init("native"), cl::cat(category));
static cl::opt<std::string> headerFile(
    "header",
    cl::desc("Where --emit=obj|shared writes the C header (default: "
             "PREFIX.h next to the output)"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> symbolPrefix(
    "symbol-prefix",
    cl::desc("Prefix of the C ABI's symbols with --emit=obj|shared "
             "(default qopt_model)"),
    cl::value_desc("name"), cl::init("qopt_model"), cl::cat(category));
// --- end of output options ---------------------------------------------------

enum class Stage { Import, Cleanup, LLVMDialect };
static cl::opt<Stage> stopAfter(
    "stage", cl::desc("Last stage to run before emitting"),
    cl::init(Stage::Cleanup),
    cl::values(clEnumValN(Stage::Import, "import", "the imported graph as is"),
               clEnumValN(Stage::Cleanup, "cleanup",
                          "after the qopt-cleanup pipeline (default)"),
               clEnumValN(Stage::LLVMDialect, "llvm-dialect",
                          "after the CPU lowering to the LLVM dialect "
                          "(with --emit=mlir)")),
    cl::cat(category));

static cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Static shape of a graph input, NAME:1x3x224x224 (repeatable)"),
    cl::value_desc("name:dims"), cl::cat(category));

static cl::opt<bool> elideResources(
    "elide-weights",
    cl::desc("Print weight blobs as elided resources (smaller output; the "
             "IR can then not be compiled further)"),
    cl::init(false), cl::cat(category));

static bool reportError(const std::string &message) {
  llvm::WithColor::error(llvm::errs(), "") << message << "\n";
  return false;
}

/// --emit=obj|shared: the object (a temporary one for a shared library), the
/// link, and the header. Diagnostics of the lowering go through the
/// context's handler.
static bool emitNative(ModuleOp module, TimingScope &timing) {
  qopt::AOTOptions aot;
  aot.symbolPrefix = symbolPrefix;
  aot.cpu = mcpu;
  aot.timing = &timing;
  std::string error;
  auto tm = qopt::createCPUTargetMachine(aot, error);
  if (failed(tm))
    return reportError(error);
  llvm::LLVMContext llvmContext;
  std::vector<qopt::TensorSignature> inputs, outputs;
  std::vector<qopt::ExternalWeight> weights;
  std::unique_ptr<llvm::Module> llvmModule = qopt::compileToLLVMModule(
      module, llvmContext, **tm, aot, inputs, outputs, &weights);
  if (!llvmModule)
    return false;

  std::string objectPath = outputFile;
  llvm::SmallString<128> temporary;
  if (emit == Emit::Shared) {
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
            "qopt-model", "o", temporary))
      return reportError("cannot create a temporary file: " + ec.message());
    objectPath = temporary.str().str();
  }
  {
    TimingScope codegen = timing.nest("code generation (object file)");
    error = qopt::emitObjectFile(*llvmModule, **tm, objectPath, weights);
  }
  if (error.empty() && emit == Emit::Shared) {
    TimingScope link = timing.nest("link (compiler driver)");
    error = qopt::linkSharedLibrary(objectPath, outputFile);
  }
  if (!temporary.empty())
    llvm::sys::fs::remove(temporary);
  if (!error.empty())
    return reportError(error);

  std::string header = headerFile;
  if (header.empty()) {
    llvm::SmallString<256> path(llvm::sys::path::parent_path(outputFile));
    llvm::sys::path::append(path, symbolPrefix + ".h");
    header = path.str().str();
  }
  std::error_code ec;
  llvm::raw_fd_ostream os(header, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return reportError(header + ": cannot write: " + ec.message());
  os << qopt::generateCHeader(symbolPrefix, inputs, outputs);
  return true;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // -mlir-timing (and -mlir-timing-display=tree|list): the time of each
  // stage and of each pass, as mlir-opt prints it.
  registerDefaultTimingManagerCLOptions();
  cl::HideUnrelatedOptions(
      {&category, &qopt_compile::quantizationCategory()});
  cl::ParseCommandLineOptions(argc, argv, "qopt: ONNX model compiler\n");

  if (listOps) {
    for (const auto &op : qopt::getSupportedONNXOps())
      llvm::outs() << op.opType << " " << op.handling << "\n";
    return 0;
  }
  if (inputFile.empty()) {
    llvm::WithColor::error(llvm::errs(), "")
        << "no input model given (usage: qopt-compile MODEL.onnx -o OUT)\n";
    return 1;
  }

  if (!qopt_compile::validateQuantizationFlags())
    return 1;

  qopt::registerAllPasses();
  DialectRegistry registry;
  qopt::registerAllDialects(registry);
  MLIRContext context(registry);

  // One `error: ...` line per diagnostic; messages already name the file.
  bool hadError = false;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    auto &os = diag.getSeverity() == DiagnosticSeverity::Error
                   ? llvm::WithColor::error(llvm::errs(), "")
                   : llvm::WithColor::warning(llvm::errs(), "");
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      hadError = true;
    // The importer locates each op at "node name"(model.onnx:INDEX+1:0).
    Location loc = diag.getLocation();
    if (auto name = dyn_cast<NameLoc>(loc)) {
      if (auto file = dyn_cast<FileLineColLoc>(name.getChildLoc()))
        os << file.getFilename().getValue() << ": node '"
           << name.getName().getValue() << "' (#" << file.getLine() - 1
           << "): ";
      else
        os << "'" << name.getName().getValue() << "': ";
    } else if (auto file = dyn_cast<FileLineColLoc>(loc)) {
      os << file.getFilename().getValue() << ": ";
    } else if (!isa<UnknownLoc>(loc)) {
      os << loc << ": ";
    }
    os << diag.str() << "\n";
    return success();
  });

  if (target != "cpu") {
    llvm::WithColor::error(llvm::errs(), "")
        << "--target=" << target << " is not supported (targets: cpu)\n";
    return 1;
  }
  if ((emit == Emit::Obj || emit == Emit::Shared) &&
      (outputFile == "-" || outputFile.empty())) {
    llvm::WithColor::error(llvm::errs(), "")
        << "--emit=obj and --emit=shared need an output file (-o FILE)\n";
    return 1;
  }
  if (!qopt::isValidSymbolPrefix(symbolPrefix)) {
    llvm::WithColor::error(llvm::errs(), "")
        << "--symbol-prefix='" << symbolPrefix
        << "' is not a C identifier\n";
    return 1;
  }

  qopt::ONNXImportOptions options;
  for (const std::string &spec : inputShapes) {
    std::string problem = qopt::parseInputShapeSpec(spec, options);
    if (!problem.empty()) {
      llvm::WithColor::error(llvm::errs(), "") << problem << "\n";
      return 1;
    }
  }

  DefaultTimingManager timingManager;
  applyDefaultTimingManagerCLOptions(timingManager);
  TimingScope timing = timingManager.getRootScope();

  TimingScope importTiming = timing.nest("ONNX import");
  OwningOpRef<ModuleOp> module =
      qopt::importONNXFile(inputFile, &context, options);
  importTiming.stop();
  if (!module || hadError)
    return 1;

  if (stopAfter >= Stage::Cleanup) {
    TimingScope cleanupTiming = timing.nest("qopt-cleanup");
    PassManager pm(&context);
    pm.enableTiming(cleanupTiming);
    qopt::buildCleanupPipeline(pm);
    if (failed(pm.run(*module)))
      return 1;
  }

  // Post-training quantization (QuantizeFlags.cpp): calibrate, quantize,
  // report, lower to integer ops.
  if (qopt_compile::quantizationRequested()) {
    if (stopAfter < Stage::Cleanup) {
      llvm::WithColor::error(llvm::errs(), "")
          << "--quantize needs the cleanup stage (drop --stage=import)\n";
      return 1;
    }
    if (failed(qopt_compile::runQuantization(module, inputFile)))
      return 1;
  } else if (stopAfter >= Stage::Cleanup &&
             failed(qopt_compile::lowerPreQuantized(module))) {
    return 1;
  }

  if (emit == Emit::Obj || emit == Emit::Shared)
    return emitNative(*module, timing) ? 0 : 1;

  if (stopAfter == Stage::LLVMDialect) {
    qopt::stripQOptSignatureAttrs(*module);
    TimingScope loweringTiming = timing.nest("CPU lowering (MLIR passes)");
    PassManager pm(&context);
    pm.enableTiming(loweringTiming);
    qopt::buildCPULoweringPipeline(pm);
    if (failed(pm.run(*module)))
      return 1;
  }

  std::unique_ptr<llvm::LLVMContext> llvmContext;
  std::unique_ptr<llvm::Module> llvmModule;
  if (emit == Emit::LLVM) {
    if (stopAfter != Stage::LLVMDialect) {
      qopt::stripQOptSignatureAttrs(*module);
      PassManager pm(&context);
      qopt::buildCPULoweringPipeline(pm);
      if (failed(pm.run(*module)))
        return 1;
    }
    DialectRegistry translations;
    registerBuiltinDialectTranslation(translations);
    registerLLVMDialectTranslation(translations);
    context.appendDialectRegistry(translations);
    llvmContext = std::make_unique<llvm::LLVMContext>();
    llvmModule = translateModuleToLLVMIR(*module, *llvmContext, inputFile);
    if (!llvmModule) {
      llvm::WithColor::error(llvm::errs(), "")
          << inputFile << ": translation to LLVM IR failed\n";
      return 1;
    }
  }

  std::string error;
  auto output = openOutputFile(outputFile, &error);
  if (!output) {
    llvm::WithColor::error(llvm::errs(), "") << error << "\n";
    return 1;
  }
  if (llvmModule) {
    llvmModule->print(output->os(), nullptr);
    output->keep();
    return 0;
  }
  OpPrintingFlags flags;
  if (elideResources)
    flags.elideLargeResourceString(64);
  module->print(output->os(), flags);
  output->keep();
  return 0;
}
