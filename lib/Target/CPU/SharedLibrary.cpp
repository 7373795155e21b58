//===- SharedLibrary.cpp - link a model object into a shared library ------===//
//
// LLVM has no linker library we can call, so the system's compiler driver
// links: it knows the C library's start files and the linker to use. The
// driver found at configure time (QOPT_LINKER_DRIVER) is preferred; if it has
// gone, the usual names are searched on PATH. $QOPT_LINKER overrides both.
//
//===----------------------------------------------------------------------===//

#include "qopt/Target/CPU/AOTCompiler.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::qopt;

static std::string findLinkerDriver() {
  if (const char *env = std::getenv("QOPT_LINKER"))
    if (*env)
      return env;
  if (llvm::sys::fs::can_execute(QOPT_LINKER_DRIVER))
    return QOPT_LINKER_DRIVER;
  for (StringRef name : {"clang-22", "clang", "cc", "gcc"})
    if (auto path = llvm::sys::findProgramByName(name))
      return *path;
  return "";
}

/// The runtime archive: $QOPT_RUNTIME_ARCHIVE, else the build's.
static std::string findRuntimeArchive() {
  if (const char *env = std::getenv("QOPT_RUNTIME_ARCHIVE"))
    if (*env)
      return env;
  return QOPT_RUNTIME_ARCHIVE;
}

std::string mlir::qopt::linkSharedLibrary(StringRef objectPath,
                                          StringRef outputPath) {
  std::string driver = findLinkerDriver();
  if (driver.empty())
    return "no C compiler driver to link with (looked for " QOPT_LINKER_DRIVER
           ", clang-22, clang, cc, gcc; set QOPT_LINKER)";
  std::string runtime = findRuntimeArchive();
  if (!llvm::sys::fs::exists(runtime))
    return "the qopt runtime library " + runtime +
           " is missing (build target qopt_runtime, or set "
           "QOPT_RUNTIME_ARCHIVE)";

  llvm::SmallString<128> log;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("qopt-link", "log", log))
    return "cannot create a temporary file: " + ec.message();
  std::string objectArg = objectPath.str(), outputArg = outputPath.str();
  // The runtime's symbols stay inside the library (--exclude-libs): two
  // models loaded into one process then keep separate thread pools and
  // cannot bind to each other's copy. The runtime is C++ (std::thread).
  llvm::SmallVector<StringRef> args{driver,
                                    "-shared",
                                    "-o",
                                    outputArg,
                                    objectArg,
                                    runtime,
                                    "-Wl,--exclude-libs,ALL",
                                    "-Wl,-z,noexecstack",
                                    "-lstdc++",
                                    "-lm",
                                    "-lpthread"};
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(log),
                                          StringRef(log)};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(driver, args, std::nullopt, redirects,
                                     /*SecondsToWait=*/0, /*MemoryLimit=*/0,
                                     &message);
  std::string output;
  if (auto buffer = llvm::MemoryBuffer::getFile(log))
    output = (*buffer)->getBuffer().trim().str();
  llvm::sys::fs::remove(log);
  if (rc != 0) {
    std::string first = StringRef(output).split('\n').first.str();
    return "linking " + outputPath.str() + " with " + driver + " failed" +
           (message.empty() ? "" : ": " + message) +
           (first.empty() ? "" : ": " + first);
  }
  return "";
}
