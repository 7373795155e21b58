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
#include "qopt/Target/CPU/JITExecutable.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

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

enum class Emit { MLIR, LLVM };
static cl::opt<Emit> emit(
    "emit", cl::desc("What to write"), cl::init(Emit::MLIR),
    cl::values(clEnumValN(Emit::MLIR, "mlir", "qopt dialect IR"),
               clEnumValN(Emit::LLVM, "llvm",
                          "LLVM IR of the float graph for this CPU "
                          "(qopt-lower-to-llvm), main(in*, ..., out*, ...)")),
    cl::cat(category));

enum class Stage { Import, Cleanup };
static cl::opt<Stage> stopAfter(
    "stage", cl::desc("Last stage to run before emitting"),
    cl::init(Stage::Cleanup),
    cl::values(clEnumValN(Stage::Import, "import", "the imported graph as is"),
               clEnumValN(Stage::Cleanup, "cleanup",
                          "after the qopt-cleanup pipeline (default)")),
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

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
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

  qopt::ONNXImportOptions options;
  for (const std::string &spec : inputShapes) {
    std::string problem = qopt::parseInputShapeSpec(spec, options);
    if (!problem.empty()) {
      llvm::WithColor::error(llvm::errs(), "") << problem << "\n";
      return 1;
    }
  }

  OwningOpRef<ModuleOp> module =
      qopt::importONNXFile(inputFile, &context, options);
  if (!module || hadError)
    return 1;

  if (stopAfter >= Stage::Cleanup) {
    PassManager pm(&context);
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
  }

  std::unique_ptr<llvm::LLVMContext> llvmContext;
  std::unique_ptr<llvm::Module> llvmModule;
  if (emit == Emit::LLVM) {
    qopt::stripQOptSignatureAttrs(*module);
    PassManager pm(&context);
    qopt::buildCPULoweringPipeline(pm);
    if (failed(pm.run(*module)))
      return 1;
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
