//===- ObjectEmitter.cpp - LLVM module to an object file ------------------===//

#include "qopt/Target/CPU/AOTCompiler.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
using namespace mlir::qopt;

std::string mlir::qopt::emitObjectFile(llvm::Module &module,
                                       llvm::TargetMachine &tm,
                                       StringRef path,
                                       ArrayRef<ExternalWeight> weights) {
  WeightsFile weightsFile;
  std::string problem = weightsFile.write(weights, module);
  if (!problem.empty())
    return problem;
  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return "cannot write " + path.str() + ": " + ec.message();
  // Code generation still needs the legacy pass manager.
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, out.os(), nullptr,
                             llvm::CodeGenFileType::ObjectFile))
    return "the target cannot emit object files";
  pm.run(module);
  out.os().flush();
  if (out.os().has_error())
    return "cannot write " + path.str() + ": " + out.os().error().message();
  out.keep();
  return "";
}
