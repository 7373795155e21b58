//===- qopt-run.cpp - run a compiled model on .npy files ------------------===//
//
//   qopt-run model.so --input NAME=FILE.npy ... [--output-dir DIR]
//            [--bench N] [--threads N]
//
// A thin driver over SharedLibraryModel and ModelRunner. Every failure prints
// one `error: ...` line and exits 1.
//
//===----------------------------------------------------------------------===//

#include "qopt/Support/Npy.h"
#include "qopt/Target/CPU/ModelRunner.h"
#include "qopt/Target/CPU/SharedLibraryModel.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>

using namespace mlir::qopt;
namespace cl = llvm::cl;

static cl::OptionCategory category("qopt-run options");
static cl::opt<std::string> modelPath(cl::Positional, cl::desc("<model.so>"),
                                      cl::cat(category));
static cl::list<std::string> inputSpecs(
    "input",
    cl::desc("An input, NAME=FILE.npy (just FILE.npy if the model has one "
             "input); its leading axis may be any multiple of the model's "
             "batch"),
    cl::value_desc("name=file.npy"), cl::cat(category));
static cl::opt<std::string> outputDir(
    "output-dir", cl::desc("Write each output to DIR/NAME.npy"),
    cl::value_desc("dir"), cl::cat(category));
static cl::opt<int> benchRuns(
    "bench",
    cl::desc("Time N runs of the first batch after warm-up and print the "
             "median and minimum latency"),
    cl::value_desc("N"), cl::init(0), cl::cat(category));
static cl::opt<int> warmupRuns("warmup",
                               cl::desc("Warm-up runs before --bench"),
                               cl::value_desc("N"), cl::init(5),
                               cl::cat(category));
static cl::opt<std::string> symbolPrefix(
    "symbol-prefix",
    cl::desc("Symbol prefix of the model in the library (found by itself "
             "when the library holds one model)"),
    cl::value_desc("name"), cl::cat(category));
static cl::opt<bool> printInfo(
    "print-signature", cl::desc("Print the model's inputs and outputs"),
    cl::init(false), cl::cat(category));

static int fail(const std::string &message) {
  llvm::WithColor::error(llvm::errs(), "") << message << "\n";
  return 1;
}

/// Prints the first values of an output, for a quick look without numpy.
static void printSummary(const std::string &name, const NpyArray &array) {
  llvm::outs() << name << ": " << array.dtype << " " << array.shapeString()
               << " [";
  int64_t n = std::min<int64_t>(array.numElements(), 8);
  for (int64_t i = 0; i < n; ++i) {
    const char *p = array.data.data() + i * array.elementSize();
    if (i)
      llvm::outs() << ", ";
    if (array.dtype == "f32") {
      float v;
      std::memcpy(&v, p, 4);
      llvm::outs() << llvm::format("%g", v);
    } else if (array.dtype == "f64") {
      double v;
      std::memcpy(&v, p, 8);
      llvm::outs() << llvm::format("%g", v);
    } else if (array.dtype == "i64") {
      int64_t v;
      std::memcpy(&v, p, 8);
      llvm::outs() << v;
    } else if (array.dtype == "i32") {
      int32_t v;
      std::memcpy(&v, p, 4);
      llvm::outs() << v;
    } else if (array.dtype == "i16" || array.dtype == "f16") {
      int16_t v;
      std::memcpy(&v, p, 2);
      llvm::outs() << v;
    } else {
      llvm::outs() << int(static_cast<int8_t>(*p));
    }
  }
  llvm::outs() << (array.numElements() > n ? ", ...]\n" : "]\n");
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // libLLVM registers an unrelated option named "threads"; ours replaces it
  // (a static cl::opt of that name would abort at start-up).
  if (cl::Option *other = cl::getRegisteredOptions().lookup("threads"))
    other->removeArgument();
  static cl::opt<int> threads(
      "threads", cl::desc("Threads the model's kernels use (0: all cores)"),
      cl::value_desc("N"), cl::init(0), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "qopt-run: run a model compiled by qopt-compile "
                              "--emit=shared on .npy inputs\n");
  if (modelPath.empty())
    return fail("no model given (usage: qopt-run MODEL.so --input "
                "NAME=FILE.npy ...)");
  if (benchRuns < 0 || warmupRuns < 0)
    return fail("--bench and --warmup take a count >= 0");
  if (!llvm::sys::fs::exists(modelPath))
    return fail(modelPath + ": no such file");

  std::string error;
  // dlopen of a relative name searches the library path: anchor it.
  llvm::SmallString<256> absolute(modelPath);
  llvm::sys::fs::make_absolute(absolute);
  auto model = SharedLibraryModel::load(absolute.str().str(), symbolPrefix, error);
  if (!model)
    return fail(error);
  if (printInfo) {
    for (const auto &sig : model->inputs())
      llvm::outs() << "input " << sig.name << ": " << sig.dtype << " "
                   << sig.shapeString() << "\n";
    for (const auto &sig : model->outputs())
      llvm::outs() << "output " << sig.name << ": " << sig.dtype << " "
                   << sig.shapeString() << "\n";
  }
  model->setNumThreads(threads);

  std::vector<std::pair<std::string, NpyArray>> given;
  given.reserve(inputSpecs.size());
  for (const std::string &spec : inputSpecs) {
    // NAME=FILE, or FILE alone; a path may itself hold '=' only after a '/'.
    std::string name, file = spec;
    size_t eq = spec.find('=');
    if (eq != std::string::npos && spec.find('/') > eq) {
      name = spec.substr(0, eq);
      file = spec.substr(eq + 1);
    }
    NpyArray array;
    error = readNpy(file, array);
    if (!error.empty())
      return fail(error);
    given.emplace_back(name, std::move(array));
  }
  if (given.empty() && !model->inputs().empty() && !printInfo)
    return fail("no inputs given (--input NAME=FILE.npy)");
  if (given.empty() && printInfo)
    return 0;

  BoundInputs bound;
  error = bindInputs(*model, given, bound);
  if (!error.empty())
    return fail(error);

  std::vector<NpyArray> outputs;
  error = runBatches(*model, bound, outputs);
  if (!error.empty())
    return fail(error);

  if (!outputDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
      return fail(outputDir + ": cannot create: " + ec.message());
    if (!llvm::sys::fs::is_directory(outputDir))
      return fail(outputDir + ": not a directory");
    for (size_t i = 0; i < outputs.size(); ++i) {
      llvm::SmallString<256> path(outputDir);
      llvm::sys::path::append(path, model->outputs()[i].name + ".npy");
      error = writeNpy(path.str().str(), outputs[i]);
      if (!error.empty())
        return fail(error);
      llvm::outs() << "wrote " << path << " (" << outputs[i].dtype << " "
                   << outputs[i].shapeString() << ")\n";
    }
  } else if (benchRuns == 0) {
    for (size_t i = 0; i < outputs.size(); ++i)
      printSummary(model->outputs()[i].name, outputs[i]);
  }

  if (benchRuns > 0) {
    std::vector<double> millis;
    error = benchmark(*model, bound, warmupRuns, benchRuns, millis);
    if (!error.empty())
      return fail(error);
    std::sort(millis.begin(), millis.end());
    size_t n = millis.size();
    double median =
        n % 2 ? millis[n / 2] : (millis[n / 2 - 1] + millis[n / 2]) / 2;
    int64_t batch = model->inputs().empty() || model->inputs()[0].shape.empty()
                        ? 1
                        : model->inputs()[0].shape[0];
    llvm::outs() << llvm::format(
        "latency: median %.3f ms, min %.3f ms over %zu runs (batch %lld, "
        "%d warm-up, threads %d)\n",
        median, millis[0], n, static_cast<long long>(batch), int(warmupRuns),
        int(threads));
  }
  return 0;
}
