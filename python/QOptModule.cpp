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
#include "qopt/Target/CPU/JITExecutable.h"

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
#include <pybind11/numpy.h>
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

/// numpy's name for a runtime dtype.
std::string numpyDtype(const std::string &dtype) {
  if (dtype == "f32") return "float32";
  if (dtype == "f64") return "float64";
  if (dtype == "f16") return "float16";
  if (dtype == "i8") return "int8";
  if (dtype == "i16") return "int16";
  if (dtype == "i32") return "int32";
  if (dtype == "i64") return "int64";
  if (dtype == "i1") return "bool";
  throw QOptError("dtype " + dtype + " has no numpy equivalent");
}

/// A model compiled for this CPU by the JIT.
class PyExecutable {
public:
  explicit PyExecutable(std::unique_ptr<qopt::JITExecutable> exe)
      : exe(std::move(exe)) {}

  static py::list describe(const std::vector<qopt::TensorSignature> &sigs) {
    py::list out;
    for (const auto &sig : sigs)
      out.append(py::dict(py::arg("name") = sig.name,
                          py::arg("dtype") = numpyDtype(sig.dtype),
                          py::arg("shape") = sig.shape));
    return out;
  }

  /// Runs the model on a dict of arrays. Each input's leading axis may hold
  /// any multiple of the model's batch; the model runs once per slice and
  /// the outputs are concatenated along that axis.
  py::dict run(const py::dict &feeds) {
    const auto &ins = exe->inputs();
    const auto &outs = exe->outputs();
    std::vector<py::array> arrays;
    int64_t repeats = -1;
    for (const auto &sig : ins) {
      if (!feeds.contains(sig.name))
        throw QOptError("missing input '" + sig.name + "'");
      py::dtype want(numpyDtype(sig.dtype));
      py::array given = py::array::ensure(feeds[sig.name.c_str()]);
      if (!given)
        throw QOptError("input '" + sig.name + "' is not an array");
      if (!given.dtype().is(want))
        throw QOptError("input '" + sig.name + "' has dtype " +
                        std::string(py::str(given.dtype())) + ", expected " +
                        numpyDtype(sig.dtype));
      // A dense row-major view; copies only when the layout requires it.
      py::array a = py::array::ensure(given, py::array::c_style);
      // A rank-0 input is a 0-d array, one value: it has no batch axis.
      if (sig.shape.empty() && a.ndim() == 0) {
        if (repeats > 1)
          throw QOptError("inputs hold different numbers of batches");
        repeats = 1;
        arrays.push_back(a);
        continue;
      }
      bool ok = a.ndim() == (py::ssize_t)sig.shape.size() && a.ndim() > 0;
      for (size_t d = 1; ok && d < sig.shape.size(); ++d)
        ok = a.shape(d) == sig.shape[d];
      int64_t batch = sig.shape.empty() ? 1 : sig.shape[0];
      ok = ok && batch > 0 && a.shape(0) % batch == 0 && a.shape(0) > 0;
      if (!ok) {
        std::string shape;
        for (int64_t d : sig.shape)
          shape += (shape.empty() ? "" : "x") + std::to_string(d);
        throw QOptError("input '" + sig.name + "' must have shape " + shape +
                        " (the leading axis may be any multiple of " +
                        std::to_string(batch) + ")");
      }
      int64_t r = a.shape(0) / batch;
      if (repeats >= 0 && r != repeats)
        throw QOptError("inputs hold different numbers of batches");
      repeats = r;
      arrays.push_back(a);
    }
    if (repeats < 0)
      repeats = 1;
    std::vector<py::array> results;
    for (const auto &sig : outs) {
      std::vector<py::ssize_t> shape(sig.shape.begin(), sig.shape.end());
      if (shape.empty())
        shape.push_back(1);
      shape[0] *= repeats;
      results.emplace_back(py::dtype(numpyDtype(sig.dtype)), shape);
    }
    std::string error;
    {
      py::gil_scoped_release release;
      for (int64_t r = 0; r < repeats && error.empty(); ++r) {
        std::vector<const void *> in;
        std::vector<void *> out;
        for (size_t i = 0; i < ins.size(); ++i)
          in.push_back(static_cast<const char *>(arrays[i].data()) +
                       r * ins[i].numElements() * ins[i].elementSize());
        for (size_t i = 0; i < outs.size(); ++i)
          out.push_back(static_cast<char *>(results[i].mutable_data()) +
                        r * outs[i].numElements() * outs[i].elementSize());
        error = exe->run(in, out);
      }
    }
    if (!error.empty())
      throw QOptError(error);
    py::dict out;
    for (size_t i = 0; i < outs.size(); ++i)
      out[outs[i].name.c_str()] = results[i];
    return out;
  }

  std::unique_ptr<qopt::JITExecutable> exe;
};

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

  PyExecutable compileCpu(unsigned optLevel) {
    DiagnosticCapture capture(context.get());
    FailureOr<std::unique_ptr<qopt::JITExecutable>> exe = failure();
    {
      py::gil_scoped_release release;
      exe = qopt::JITExecutable::compile(*module, optLevel);
    }
    if (failed(exe))
      capture.raise("compiling for the CPU failed");
    return PyExecutable(std::move(*exe));
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
      .def("compile_cpu", &PyModule::compileCpu, py::arg("opt_level") = 3,
           "Compiles the module for this CPU with the JIT (float graphs).")
      .def("op_counts", &PyModule::opCounts,
           "How many of each operation the module holds.")
      .def("__str__", [](PyModule &self) { return self.mlir(true); });

  py::class_<PyExecutable>(m, "Executable",
                           "A model compiled for this CPU (JIT).")
      .def("run", &PyExecutable::run, py::arg("inputs"),
           "Runs the model on {input name: array}; returns {output name: "
           "array}. The leading axis may hold several batches.")
      .def_property_readonly("inputs", [](PyExecutable &self) {
        return PyExecutable::describe(self.exe->inputs());
      })
      .def_property_readonly("outputs", [](PyExecutable &self) {
        return PyExecutable::describe(self.exe->outputs());
      });

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
