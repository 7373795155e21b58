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
#include "qopt/Quantization/Calibration.h"
#include "qopt/Quantization/FakeQuant.h"
#include "qopt/Quantization/Observer.h"
#include "qopt/Quantization/Report.h"
#include "qopt/Target/CPU/AOTCompiler.h"
#include "qopt/Target/CPU/JITExecutable.h"
#include "qopt/Target/CPU/SharedLibraryModel.h"
#include "qopt/Dialect/QOpt/IR/QOpt.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

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

/// A model compiled for this CPU: by the JIT, or ahead of time into a shared
/// library loaded with load_library. Both run through qopt::CompiledModel.
class PyExecutable {
public:
  explicit PyExecutable(std::unique_ptr<qopt::CompiledModel> exe)
      : exe(std::move(exe)) {}

  void setThreads(int n) {
    std::string error = exe->setNumThreads(n);
    if (!error.empty())
      throw QOptError(error);
  }

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
  /// the outputs are written along that axis.
  ///
  /// Zero-copy: a C-contiguous input of the right dtype is handed to the
  /// kernels as is (its buffer, not a copy); any other layout is copied into
  /// a dense array first. A wrong dtype is an error, never a silent cast.
  /// The outputs are numpy arrays allocated once, into which the model
  /// writes directly; with `out` the caller's arrays are written instead.
  py::dict run(const py::dict &feeds, const py::object &outArg) {
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
      // A dense row-major view: the same array when it already is one
      // (no copy), a copy only when the layout requires it.
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
      if (!ok)
        throw QOptError("input '" + sig.name + "' must have shape " +
                        shapeText(sig.shape) +
                        " (the leading axis may be any multiple of " +
                        std::to_string(batch) + "), not " + shapeOf(a));
      int64_t r = a.shape(0) / batch;
      if (repeats >= 0 && r != repeats)
        throw QOptError("inputs hold different numbers of batches");
      repeats = r;
      arrays.push_back(a);
    }
    if (repeats < 0)
      repeats = 1;

    std::vector<py::array> results;
    py::dict given;
    if (!outArg.is_none()) {
      if (!py::isinstance<py::dict>(outArg))
        throw QOptError("out must be a dict {output name: array}");
      given = outArg;
      for (auto item : given) {
        std::string key = py::str(item.first);
        bool known = false;
        for (const auto &sig : outs)
          known = known || sig.name == key;
        if (!known)
          throw QOptError("out has an array for '" + key +
                          "', which is not an output of the model");
      }
    }
    for (const auto &sig : outs) {
      std::vector<py::ssize_t> shape(sig.shape.begin(), sig.shape.end());
      if (shape.empty())
        shape.push_back(1);
      shape[0] *= repeats;
      py::dtype dtype(numpyDtype(sig.dtype));
      if (!given.contains(sig.name.c_str())) {
        results.emplace_back(dtype, shape);
        continue;
      }
      // The caller's array is written in place: it must be exactly what
      // the model writes, since copying back would defeat its purpose.
      py::object o = given[sig.name.c_str()];
      if (!py::isinstance<py::array>(o))
        throw QOptError("out['" + sig.name + "'] is not a numpy array");
      py::array a = o;
      if (!a.dtype().is(dtype))
        throw QOptError("out['" + sig.name + "'] has dtype " +
                        std::string(py::str(a.dtype())) + ", expected " +
                        numpyDtype(sig.dtype));
      bool shapeOk = a.ndim() == (py::ssize_t)shape.size();
      for (size_t d = 0; shapeOk && d < shape.size(); ++d)
        shapeOk = a.shape(d) == shape[d];
      if (!shapeOk)
        throw QOptError("out['" + sig.name + "'] must have shape " +
                        shapeText({shape.begin(), shape.end()}) + ", not " +
                        shapeOf(a));
      if (!(a.flags() & py::array::c_style) || !a.writeable())
        throw QOptError("out['" + sig.name +
                        "'] must be a writeable C-contiguous array");
      results.push_back(a);
    }

    std::string error;
    lastInputAddresses.clear();
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
        if (r == 0)
          for (const void *p : in)
            lastInputAddresses.push_back(reinterpret_cast<uintptr_t>(p));
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

  static std::string shapeText(const std::vector<int64_t> &shape) {
    std::string text;
    for (int64_t d : shape)
      text += (text.empty() ? "" : "x") + std::to_string(d);
    return text.empty() ? "scalar" : text;
  }
  static std::string shapeOf(const py::array &a) {
    return shapeText(std::vector<int64_t>(a.shape(), a.shape() + a.ndim()));
  }

  /// The input addresses the kernels received on the last run (the first
  /// batch's), in input order: a test hook that proves zero-copy inputs.
  std::vector<uintptr_t> lastInputAddresses;
  std::unique_ptr<qopt::CompiledModel> exe;
};

class PyModule;
PyModule parseMlir(const std::string &text);

/// The layer an op belongs to: its location's name (the ONNX node name the
/// importer gives it; rewrites keep it, possibly fused with others).
std::string layerOf(Operation *op) {
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    if (!fused.getLocations().empty())
      loc = fused.getLocations().front();
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  return "";
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

  /// Post-training quantization: calibrates a copy of the float module on
  /// `calibration` ({input name: array} or one array for a one-input
  /// model; samples on the leading axis), runs qopt-quantize, measures the
  /// report, and returns the quantized module ("quantized": quant types,
  /// "integer": qopt-lower-quantized, "fake": QDQ, "simulated": QDQ
  /// expanded into float ops that compile_cpu() runs). This module is left
  /// as it is.
  PyModule quantize(const py::object &calibration, const std::string &method,
                    unsigned weightBits, unsigned actBits, bool perChannel,
                    bool actSymmetric, const py::object &formArg,
                    bool integerOnly) {
    // integer_only implies the integer form; another explicit form is a
    // mistake (the integer-only graph has no quantized or QDQ form).
    std::string form = formArg.is_none()
                           ? std::string(integerOnly ? "integer" : "quantized")
                           : formArg.cast<std::string>();
    if (integerOnly && form != "integer")
      throw QOptError("integer_only=True needs form='integer' (the default "
                      "when integer_only is set), not '" + form + "'");
    qopt::CalibrationOptions options;
    std::string problem = qopt::CalibMethod::parse(method, options.method);
    if (!problem.empty())
      throw QOptError(problem);
    if (weightBits != 8 && weightBits != 4)
      throw QOptError("weight_bits must be 8 or 4");
    if (actBits != 8)
      throw QOptError("act_bits must be 8 (activations are int8)");
    if (form != "quantized" && form != "integer" && form != "fake" &&
        form != "simulated")
      throw QOptError(
          "form must be 'quantized', 'integer', 'fake' or 'simulated'");
    auto main = module->lookupSymbol<func::FuncOp>("main");
    if (!main)
      throw QOptError("the module has no func.func @main");

    // Calibration batches, in the order of @main's arguments.
    qopt::CalibrationData data;
    for (unsigned i = 0; i < main.getNumArguments(); ++i) {
      auto name = main.getArgAttrOfType<StringAttr>(i, "qopt.name");
      std::string key = name ? name.str() : "input" + std::to_string(i);
      py::object given;
      if (py::isinstance<py::dict>(calibration)) {
        py::dict d = calibration;
        if (!d.contains(key))
          throw QOptError("calibration has no array for input '" + key + "'");
        given = d[key.c_str()];
      } else if (main.getNumArguments() == 1) {
        given = calibration;
      } else {
        throw QOptError("the model has several inputs: pass calibration as "
                        "{input name: array}");
      }
      auto type = dyn_cast<RankedTensorType>(main.getArgument(i).getType());
      if (!type || !type.getElementType().isF32() || type.getRank() == 0)
        throw QOptError("input '" + key + "': calibration supports f32 "
                        "inputs of rank >= 1");
      auto a = py::array_t<float, py::array::c_style | py::array::forcecast>::
          ensure(given);
      if (!a)
        throw QOptError("calibration for '" + key + "' is not an array");
      bool ok = a.ndim() == type.getRank();
      for (int64_t d = 1; ok && d < type.getRank(); ++d)
        ok = a.shape(d) == type.getDimSize(d);
      ok = ok && a.shape(0) > 0 && a.shape(0) % type.getDimSize(0) == 0;
      if (!ok)
        throw QOptError("calibration for '" + key + "' must be N samples of "
                        "the input's shape, N a multiple of its batch");
      int64_t batches = a.shape(0) / type.getDimSize(0);
      if (i > 0 && batches != data.numBatches)
        throw QOptError("calibration arrays hold different sample counts");
      data.numBatches = batches;
      auto bytes = reinterpret_cast<const char *>(a.data());
      data.inputs.emplace_back(bytes, bytes + a.size() * sizeof(float));
    }

    qopt::QuantizeConfig config;
    config.weightBits = weightBits;
    config.perChannel = perChannel;
    config.actSymmetric = actSymmetric;
    config.integerOnly = integerOnly;
    options.grid.symmetric = actSymmetric;
    options.integerOnly = integerOnly;

    DiagnosticCapture capture(context.get());
    std::string text, reportText;
    bool ok;
    {
      py::gil_scoped_release release;
      ok = [&] {
        OwningOpRef<ModuleOp> calibrated(module->clone());
        if (failed(qopt::calibrate(*calibrated, data, options)))
          return false;
        qopt::tagLayers(*calibrated);
        // qopt-quantize, then the integer lowering: the pipelines that
        // qopt-compile runs (qopt/Pipelines/Pipelines.h).
        auto quantize = [&](ModuleOp m, bool fake) {
          PassManager pm(context.get());
          qopt::buildQuantizePipeline(pm, qopt::quantizeOptions(config, fake));
          return succeeded(pm.run(m));
        };
        OwningOpRef<ModuleOp> quantized(calibrated->clone());
        if (!quantize(*quantized, false))
          return false;
        auto report = qopt::buildQuantReport(*calibrated, *quantized, data,
                                             config, /*progress=*/false);
        if (failed(report))
          return false;
        (*report)["calibration_method"] = options.method.str();
        reportText = llvm::formatv("{0}", llvm::json::Value(std::move(*report)));
        OwningOpRef<ModuleOp> result;
        if (form == "fake" || form == "simulated") {
          result = calibrated->clone();
          if (!quantize(*result, true))
            return false;
          // The QDQ graph in float ops, which the CPU JIT runs today.
          if (form == "simulated" &&
              failed(qopt::expandFakeQuantToFloat(
                  result->lookupSymbol<func::FuncOp>("main"))))
            return false;
        } else {
          result = std::move(quantized);
          if (form == "integer") {
            PassManager pm(context.get());
            qopt::buildLowerQuantizedPipeline(pm, integerOnly);
            if (failed(pm.run(*result)))
              return false;
          }
        }
        qopt::stripLayerTags(*result);
        llvm::raw_string_ostream os(text);
        // With locations: they name the layers (ops(), with_outputs()).
        result->print(os, OpPrintingFlags().enableDebugInfo());
        return true;
      }();
    }
    if (!ok)
      capture.raise("quantization failed");
    PyModule q = parseMlir(text);
    q.reportJson = reportText;
    return q;
  }

  py::object report() {
    if (reportJson.empty())
      throw QOptError("this module has no quantization report (it was not "
                      "made by quantize())");
    return py::module_::import("json").attr("loads")(reportJson);
  }

  std::string reportJson;

  /// Compiles ahead of time into the shared library `path` and writes its C
  /// header (next to it as PREFIX.h unless `header` is given).
  std::string compileShared(const std::string &path,
                            const std::string &symbolPrefix,
                            const std::string &cpu, const std::string &header,
                            unsigned optLevel) {
    DiagnosticCapture capture(context.get());
    qopt::AOTOptions options;
    options.symbolPrefix = symbolPrefix;
    options.cpu = cpu;
    options.optLevel = optLevel;
    if (!qopt::isValidSymbolPrefix(symbolPrefix))
      throw QOptError("symbol_prefix '" + symbolPrefix +
                      "' is not a C identifier");
    std::string error;
    std::vector<qopt::TensorSignature> inputs, outputs;
    std::string headerPath = header;
    {
      py::gil_scoped_release release;
      auto tm = qopt::createCPUTargetMachine(options, error);
      if (succeeded(tm)) {
        llvm::LLVMContext llvmContext;
        std::vector<qopt::ExternalWeight> weights;
        auto llvmModule = qopt::compileToLLVMModule(
            *module, llvmContext, **tm, options, inputs, outputs, &weights);
        llvm::SmallString<128> object;
        if (!llvmModule)
          error = "compiling for the CPU failed";
        else if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
                     "qopt-model", "o", object))
          error = "cannot create a temporary file: " + ec.message();
        if (error.empty())
          error = qopt::emitObjectFile(*llvmModule, **tm, object, weights);
        if (error.empty())
          error = qopt::linkSharedLibrary(object, path);
        if (!object.empty())
          llvm::sys::fs::remove(object);
      }
      if (error.empty()) {
        if (headerPath.empty()) {
          llvm::SmallString<256> p(llvm::sys::path::parent_path(path));
          llvm::sys::path::append(p, symbolPrefix + ".h");
          headerPath = p.str().str();
        }
        std::error_code ec;
        llvm::raw_fd_ostream os(headerPath, ec, llvm::sys::fs::OF_Text);
        if (ec)
          error = headerPath + ": cannot write: " + ec.message();
        else
          os << qopt::generateCHeader(symbolPrefix, inputs, outputs);
      }
    }
    if (!error.empty())
      capture.raise(error);
    return headerPath;
  }

  /// A copy of this module whose @main also returns the named layers'
  /// outputs, to read intermediate tensors: for each name, the result of
  /// the last op in @main whose location is that name (the ONNX node name;
  /// the ops a rewrite makes of one layer keep its location, so the last
  /// one holds the layer's final value). A quantized value (!quant.uniform,
  /// also behind the storage cast that ends a layer in the integer form) is
  /// returned dequantized to float; other values as they are (in the
  /// integer form: the storage integers, which the report's scale and zero
  /// point of the layer dequantize). Each extra
  /// output is named after its layer.
  PyModule withOutputs(const std::vector<std::string> &names) {
    auto main = module->lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal())
      throw QOptError("the module has no func.func @main with a body");
    std::map<std::string, Operation *> last;
    for (Operation &op : main.getBody().front())
      if (op.getNumResults() > 0)
        last[layerOf(&op)] = &op;
    std::vector<Operation *> ops;
    for (const std::string &name : names) {
      auto it = name.empty() ? last.end() : last.find(name);
      if (it == last.end())
        throw QOptError("no op of @main is named '" + name + "'");
      if (it->second->getNumResults() != 1 ||
          !isa<RankedTensorType>(it->second->getResult(0).getType()))
        throw QOptError("the last op named '" + name +
                        "' does not have one tensor result");
      ops.push_back(it->second);
    }

    OwningOpRef<ModuleOp> copy(module->clone());
    auto copyMain = copy->lookupSymbol<func::FuncOp>("main");
    // Ops are matched between the module and its copy by their position.
    std::map<Operation *, size_t> position;
    for (auto [i, op] : llvm::enumerate(main.getBody().front()))
      position[&op] = i;
    std::vector<Operation *> copyOps;
    for (Operation &op : copyMain.getBody().front())
      copyOps.push_back(&op);
    auto ret = cast<func::ReturnOp>(copyMain.getBody().front().getTerminator());
    OpBuilder b(ret);
    SmallVector<Value> results(ret.getOperands());
    for (Operation *op : ops) {
      Value v = copyOps[position[op]]->getResult(0);
      // In the integer form a layer ends in a storage cast to its integer
      // storage type: its operand still carries the scale and zero point.
      if (auto cast = v.getDefiningOp<quant::StorageCastOp>())
        if (isa<quant::QuantizedType>(
                getElementTypeOrSelf(cast.getInput().getType())))
          v = cast.getInput();
      auto type = cast<RankedTensorType>(v.getType());
      if (auto q = dyn_cast<quant::QuantizedType>(type.getElementType()))
        v = qopt::DequantizeOp::create(
            b, v.getLoc(), type.clone(q.getExpressedType()), v);
      results.push_back(v);
    }
    unsigned oldCount = ret.getNumOperands();
    ret->setOperands(results);
    SmallVector<Type> resultTypes;
    for (Value v : results)
      resultTypes.push_back(v.getType());
    copyMain.setFunctionType(FunctionType::get(
        context.get(), copyMain.getArgumentTypes(), resultTypes));
    SmallVector<DictionaryAttr> resultAttrs;
    for (unsigned i = 0; i < results.size(); ++i) {
      if (i < oldCount) {
        resultAttrs.push_back(copyMain.getResultAttrDict(i)
                                  ? copyMain.getResultAttrDict(i)
                                  : DictionaryAttr::get(context.get()));
        continue;
      }
      NamedAttribute name(StringAttr::get(context.get(), "qopt.name"),
                          StringAttr::get(context.get(), names[i - oldCount]));
      resultAttrs.push_back(DictionaryAttr::get(context.get(), {name}));
    }
    copyMain.setAllResultAttrs(resultAttrs);

    DiagnosticCapture capture(context.get());
    if (failed(verify(*copy)))
      capture.raise("the module with extra outputs does not verify");
    std::string text;
    llvm::raw_string_ostream os(text);
    copy->print(os, OpPrintingFlags().enableDebugInfo());
    PyModule result = parseMlir(text);
    result.reportJson = reportJson;
    return result;
  }

  /// @main's ops in order, each as {"name": its layer name ("" when its
  /// location has none), "op": its op name}, constants left out.
  py::list ops() {
    auto main = module->lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal())
      throw QOptError("the module has no func.func @main with a body");
    py::list out;
    for (Operation &op : main.getBody().front()) {
      if (op.hasTrait<OpTrait::ConstantLike>() ||
          op.hasTrait<OpTrait::IsTerminator>())
        continue;
      out.append(py::dict(py::arg("name") = layerOf(&op),
                          py::arg("op") = op.getName().getStringRef().str()));
    }
    return out;
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

PyExecutable loadLibrary(const std::string &path,
                         const std::string &symbolPrefix) {
  std::string error;
  llvm::SmallString<256> absolute(path);
  llvm::sys::fs::make_absolute(absolute);
  if (!llvm::sys::fs::exists(absolute))
    throw QOptError(path + ": no such file");
  auto model = qopt::SharedLibraryModel::load(absolute.str().str(),
                                              symbolPrefix, error);
  if (!model)
    throw QOptError(error);
  return PyExecutable(std::move(model));
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
/// The range methods on one tensor's batches, for tests and notebooks.
py::dict calibrationRange(
    const std::vector<py::array_t<float, py::array::c_style |
                                             py::array::forcecast>> &batches,
    const std::string &method, unsigned bits, bool symmetric,
    unsigned numBins) {
  qopt::CalibMethod m;
  std::string problem = qopt::CalibMethod::parse(method, m);
  if (!problem.empty())
    throw QOptError(problem);
  if (bits < 2 || bits > 16)
    throw QOptError("bits must be in [2, 16]");
  if (numBins < 8 || numBins % 4 != 0)
    throw QOptError("num_bins must be a multiple of 4, at least 8");
  qopt::HistogramObserver observer(numBins);
  for (const auto &batch : batches)
    observer.observe(llvm::ArrayRef<float>(batch.data(), batch.size()));
  if (observer.empty())
    throw QOptError("no finite values observed");
  qopt::QuantGrid grid;
  grid.bits = bits;
  grid.symmetric = symmetric;
  auto [lo, hi] = observer.computeRange(m, grid);
  llvm::ArrayRef<double> hist = observer.histogram();
  return py::dict(py::arg("lo") = lo, py::arg("hi") = hi,
                  py::arg("min") = observer.min(),
                  py::arg("max") = observer.max(),
                  py::arg("threshold") = observer.threshold(),
                  py::arg("histogram") =
                      py::array_t<double>(hist.size(), hist.data()));
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
      .def("compile_cpu", &PyModule::compileCpu, py::arg("opt_level") = 2,
           "Compiles the module for this CPU with the JIT (float graphs).")
      .def("quantize", &PyModule::quantize, py::arg("calibration"),
           py::arg("method") = "minmax", py::arg("weight_bits") = 8,
           py::arg("act_bits") = 8, py::arg("per_channel") = true,
           py::arg("act_symmetric") = false, py::arg("form") = py::none(),
           py::arg("integer_only") = false,
           "Post-training quantization: calibrates on `calibration` "
           "({input: array} or one array; samples on the leading axis) "
           "with `method` (minmax, percentile[:P], entropy, mse) and "
           "returns the quantized module; report() describes it. `form`: "
           "'quantized' (default), 'integer', 'fake' or 'simulated'. "
           "integer_only=True runs the integer-only pipeline (form "
           "'integer'; no float op is left, verified).")
      .def("report", &PyModule::report,
           "The per-layer quantization report of a module made by "
           "quantize(): bits, scales, zero points, ranges, SQNR.")
      .def("compile_shared", &PyModule::compileShared, py::arg("path"),
           py::arg("symbol_prefix") = "qopt_model", py::arg("cpu") = "native",
           py::arg("header") = "", py::arg("opt_level") = 2,
           "Compiles ahead of time into the shared library `path` (weights "
           "embedded, the C ABI of docs/CABI.md) and writes its C header; "
           "returns the header's path. Load it with qopt.load_library.")
      .def("with_outputs", &PyModule::withOutputs, py::arg("layers"),
           "A copy of the module whose @main also returns the outputs of "
           "the named layers (ONNX node names; the last op of each), "
           "quantized values dequantized to float (integer-form values come out "
           "as their storage integers), each output named after its layer: "
           "compile and run it to read intermediate tensors.")
      .def("ops", &PyModule::ops,
           "@main's ops in order (constants left out): [{'name': layer "
           "(ONNX node) name, 'op': op name}].")
      .def("op_counts", &PyModule::opCounts,
           "How many of each operation the module holds.")
      .def("__str__", [](PyModule &self) { return self.mlir(true); });

  py::class_<PyExecutable>(m, "Executable",
                           "A model compiled for this CPU (JIT or a loaded "
                           "shared library).")
      .def("set_threads", &PyExecutable::setThreads, py::arg("n"),
           "Threads the model's kernels use (n <= 0: all cores).")
      .def("run", &PyExecutable::run, py::arg("inputs"),
           py::arg("out") = py::none(),
           "Runs the model on {input name: array}; returns {output name: "
           "array}. The leading axis may hold several batches. C-contiguous "
           "inputs of the model's dtype are not copied; `out` ({output name: "
           "array}, C-contiguous, the model's dtype and shape) is written in "
           "place and returned.")
      .def_property_readonly(
          "_last_input_addresses",
          [](PyExecutable &self) { return self.lastInputAddresses; },
          "Test hook: the data addresses the kernels got on the last run.")
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
  m.def("calibration_range", &calibrationRange, py::arg("batches"),
        py::arg("method") = "minmax", py::arg("bits") = 8,
        py::arg("symmetric") = false, py::arg("num_bins") = 2048,
        "Feeds the arrays in `batches` to one histogram observer and returns "
        "the clipping range [lo, hi] that `method` (minmax, percentile[:P], "
        "entropy, mse) chooses, with the observed min/max, the histogram's "
        "half-width `threshold` and its bins over [-threshold, threshold].");
  m.def("load_library", &loadLibrary, py::arg("path"),
        py::arg("symbol_prefix") = "",
        "Loads a model compiled with `qopt-compile --emit=shared` (or "
        "Module.compile_shared). The symbol prefix is found by itself when "
        "the library holds one model.");
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
