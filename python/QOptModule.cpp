//===- QOptModule.cpp - the qopt Python extension (pybind11) --------------===//
//
// A thin layer over qopt's C++ libraries. Every compiler diagnostic is
// captured and raised as qopt.Error; nothing is printed to stderr. The GIL is
// released while the compiler works.
//
//===----------------------------------------------------------------------===//

#include "qopt/Import/ONNXImporter.h"
#include "qopt/InitAll.h"
#include "qopt/Pipelines/Pipelines.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace py = pybind11;
using namespace mlir;

namespace {
/// Raised as qopt.Error, carrying the compiler's diagnostics.
struct QOptError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Collects every diagnostic emitted on a context while it lives.
class DiagnosticCapture {
public:
  explicit DiagnosticCapture(MLIRContext *context)
      : handler(context, [this](Diagnostic &diag) {
          if (!text.empty())
            text += "\n";
          llvm::raw_string_ostream os(text);
          if (!isa<UnknownLoc>(diag.getLocation()))
            os << diag.getLocation() << ": ";
          os << diag.str();
          for (const Diagnostic &note : diag.getNotes())
            os << "\n  note: " << note.str();
          return success();
        }) {}

  /// Throws QOptError with the captured text (or `fallback`).
  [[noreturn]] void raise(const std::string &fallback) {
    throw QOptError(text.empty() ? fallback : text);
  }

  std::string text;

private:
  ScopedDiagnosticHandler handler;
};

void registerEverythingOnce() {
  static std::once_flag once;
  std::call_once(once, [] { qopt::registerAllPasses(); });
}

std::unique_ptr<MLIRContext> makeContext() {
  DialectRegistry registry;
  qopt::registerAllDialects(registry);
  auto context = std::make_unique<MLIRContext>(registry);
  context->loadAllAvailableDialects();
  return context;
}

/// An MLIR module with the context that owns it.
class PyModule {
public:
  PyModule(std::unique_ptr<MLIRContext> context, OwningOpRef<ModuleOp> module)
      : context(std::move(context)), module(std::move(module)) {}

  std::string mlir(bool elideWeights) {
    std::string text;
    llvm::raw_string_ostream os(text);
    OpPrintingFlags flags;
    if (elideWeights)
      flags.elideLargeResourceString(64);
    module->print(os, flags);
    return text;
  }

  void runPipeline(const std::string &pipeline) {
    DiagnosticCapture capture(context.get());
    std::string parseErrors;
    bool ok;
    {
      py::gil_scoped_release release;
      // Accept "builtin.module(...)" and a bare list of module passes.
      std::string text = llvm::StringRef(pipeline).trim().starts_with(
                             "builtin.module(")
                             ? pipeline
                             : "builtin.module(" + pipeline + ")";
      llvm::raw_string_ostream errorStream(parseErrors);
      FailureOr<OpPassManager> parsed = parsePassPipeline(text, errorStream);
      ok = succeeded(parsed);
      if (ok) {
        PassManager pm(context.get());
        static_cast<OpPassManager &>(pm) = std::move(*parsed);
        ok = succeeded(pm.run(*module));
      }
    }
    if (!ok)
      capture.raise(parseErrors.empty()
                        ? "the pipeline '" + pipeline + "' failed"
                        : "invalid pass pipeline '" + pipeline +
                              "': " + parseErrors);
  }

  void cleanup() {
    DiagnosticCapture capture(context.get());
    bool ok;
    {
      py::gil_scoped_release release;
      PassManager pm(context.get());
      qopt::buildCleanupPipeline(pm);
      ok = succeeded(pm.run(*module));
    }
    if (!ok)
      capture.raise("the qopt-cleanup pipeline failed");
  }

  std::map<std::string, int> opCounts() {
    std::map<std::string, int> counts;
    module->walk([&](Operation *op) {
      if (op != module->getOperation())
        ++counts[op->getName().getStringRef().str()];
    });
    return counts;
  }

private:
  std::unique_ptr<MLIRContext> context;
  OwningOpRef<ModuleOp> module;
};

PyModule loadOnnx(const std::string &path,
                  const std::map<std::string, std::vector<int64_t>> &shapes) {
  registerEverythingOnce();
  auto context = makeContext();
  DiagnosticCapture capture(context.get());
  qopt::ONNXImportOptions options;
  for (const auto &[name, dims] : shapes) {
    for (int64_t d : dims)
      if (d < 0)
        throw QOptError("input_shapes['" + name + "'] has a negative dimension");
    options.inputShapes[name] = llvm::SmallVector<int64_t>(dims.begin(), dims.end());
  }
  OwningOpRef<ModuleOp> module;
  {
    py::gil_scoped_release release;
    module = qopt::importONNXFile(path, context.get(), options);
  }
  if (!module)
    capture.raise(path + ": import failed");
  return PyModule(std::move(context), std::move(module));
}

PyModule parseMlir(const std::string &text) {
  registerEverythingOnce();
  auto context = makeContext();
  DiagnosticCapture capture(context.get());
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, ParserConfig(context.get()));
  if (!module)
    capture.raise("the MLIR text does not parse");
  return PyModule(std::move(context), std::move(module));
}
} // namespace

PYBIND11_MODULE(_qopt, m) {
  m.doc() = "qopt: an MLIR-based quantization compiler (C++ extension)";
  py::register_exception<QOptError>(m, "Error");

  py::class_<PyModule>(m, "Module",
                       "An MLIR module of qopt IR with its own context.")
      .def("mlir", &PyModule::mlir, py::arg("elide_weights") = false,
           "The module as MLIR text. With elide_weights, weight blobs are "
           "printed as elided resources.")
      .def("run_pipeline", &PyModule::runPipeline, py::arg("pipeline"),
           "Runs a textual pass pipeline in place, e.g. "
           "'builtin.module(qopt-cleanup)', 'qopt-cleanup' or "
           "'func.func(qopt-raise-composites)'.")
      .def("cleanup", &PyModule::cleanup,
           "Runs the qopt-cleanup pipeline in place.")
      .def("op_counts", &PyModule::opCounts,
           "How many of each operation the module holds.")
      .def("__str__", [](PyModule &self) { return self.mlir(true); });

  m.def("load_onnx", &loadOnnx, py::arg("path"),
        py::arg("input_shapes") = std::map<std::string, std::vector<int64_t>>{},
        "Imports an ONNX model. input_shapes maps graph input names to "
        "static shapes for symbolic dims.");
  m.def("parse_mlir", &parseMlir, py::arg("text"),
        "Parses MLIR text of qopt and upstream dialects.");
  m.def(
      "supported_onnx_ops",
      [] {
        std::map<std::string, std::string> ops;
        for (const auto &op : qopt::getSupportedONNXOps())
          ops[op.opType] = op.handling;
        return ops;
      },
      "The ONNX op types the importer handles, with how.");
}
