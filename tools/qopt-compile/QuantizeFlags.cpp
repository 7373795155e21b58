//===- QuantizeFlags.cpp - qopt-compile's post-training quantization -----===//

#include "QuantizeFlags.h"

#include "qopt/Dialect/QOpt/Transforms/Passes.h"
#include "qopt/Pipelines/Pipelines.h"
#include "qopt/Quantization/Calibration.h"
#include "qopt/Quantization/Report.h"
#include "qopt/Support/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

#include <random>

using namespace mlir;
namespace cl = llvm::cl;

cl::OptionCategory &qopt_compile::quantizationCategory() {
  static cl::OptionCategory category("qopt-compile quantization options");
  return category;
}

namespace {
enum class QuantMode { None, Int8, W4A8 };
enum class QuantForm { Integer, Quantized, Fake };
} // namespace

static cl::opt<QuantMode> quantize(
    "quantize", cl::desc("Post-training quantization"),
    cl::init(QuantMode::None),
    cl::values(clEnumValN(QuantMode::None, "none", "keep the float graph"),
               clEnumValN(QuantMode::Int8, "int8",
                          "int8 weights and activations"),
               clEnumValN(QuantMode::W4A8, "w4a8",
                          "int4 weights, int8 activations")),
    cl::cat(qopt_compile::quantizationCategory()));

static cl::opt<std::string> calibration(
    "calibration",
    cl::desc("Calibration data: FILE.npy[,FILE.npy...] (one per model input, "
             "samples on the leading axis) or random:N"),
    cl::value_desc("files"), cl::cat(qopt_compile::quantizationCategory()));

static cl::opt<std::string> calibMethod(
    "calib-method",
    cl::desc("Range method: minmax (default), percentile[:P] (P defaults to "
             "99.99), entropy, mse"),
    cl::init("minmax"), cl::cat(qopt_compile::quantizationCategory()));

static cl::opt<bool> perChannel(
    "per-channel",
    cl::desc("One weight scale per output channel (default on; "
             "--per-channel=false for per-tensor weights)"),
    cl::init(true), cl::cat(qopt_compile::quantizationCategory()));

static cl::opt<bool> actSymmetric(
    "act-symmetric",
    cl::desc("Symmetric activations (zero point 0); default asymmetric"),
    cl::init(false), cl::cat(qopt_compile::quantizationCategory()));

static cl::opt<QuantForm> quantForm(
    "quant-form", cl::desc("Form of the quantized graph"),
    cl::init(QuantForm::Integer),
    cl::values(clEnumValN(QuantForm::Integer, "integer",
                          "integer ops on storage types (default)"),
               clEnumValN(QuantForm::Quantized, "quantized",
                          "graph ops on !quant.uniform types"),
               clEnumValN(QuantForm::Fake, "fake",
                          "float ops between quantize/dequantize pairs")),
    cl::cat(qopt_compile::quantizationCategory()));

static cl::opt<bool> integerOnly(
    "integer-only",
    cl::desc("Integer-only inference (HAWQ-V3 dyadic rescales, I-ViT's "
             "Shiftmax/ShiftGELU/I-LayerNorm): no float op between the input "
             "quantize and the output dequantize, verified"),
    cl::init(false), cl::cat(qopt_compile::quantizationCategory()));

static cl::opt<std::string> reportFile(
    "report", cl::desc("Write a per-layer quantization report (JSON)"),
    cl::value_desc("file.json"), cl::cat(qopt_compile::quantizationCategory()));

static void error(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "") << message << "\n";
}

bool qopt_compile::quantizationRequested() {
  return quantize != QuantMode::None;
}

bool qopt_compile::validateQuantizationFlags() {
  if (quantize == QuantMode::None) {
    for (auto *opt : std::initializer_list<cl::Option *>{
             &calibration, &calibMethod, &reportFile, &quantForm, &perChannel,
             &actSymmetric, &integerOnly})
      if (opt->getNumOccurrences()) {
        error("--" + opt->ArgStr + " needs --quantize=int8 or --quantize=w4a8");
        return false;
      }
    return true;
  }
  if (calibration.empty()) {
    error("--quantize needs --calibration=FILE.npy[,FILE.npy...] or "
          "--calibration=random:N");
    return false;
  }
  if (integerOnly && quantForm != QuantForm::Integer) {
    error("--integer-only needs --quant-form=integer (the default): the "
          "integer-only graph has no quantized or fake-quant form");
    return false;
  }
  qopt::CalibMethod method;
  std::string problem = qopt::CalibMethod::parse(calibMethod, method);
  if (!problem.empty()) {
    error("--calib-method: " + problem);
    return false;
  }
  return true;
}

/// Calibration batches from --calibration for @main's inputs.
static FailureOr<qopt::CalibrationData> loadCalibration(func::FuncOp main) {
  qopt::CalibrationData data;
  FunctionType type = main.getFunctionType();
  auto argName = [&](unsigned i) -> std::string {
    if (auto name = main.getArgAttrOfType<StringAttr>(i, "qopt.name"))
      return name.str();
    return "#" + std::to_string(i);
  };
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto tensor = dyn_cast<RankedTensorType>(type.getInput(i));
    if (!tensor || !tensor.getElementType().isF32() ||
        !tensor.hasStaticShape() || tensor.getRank() == 0) {
      error("calibration supports statically shaped f32 inputs of rank >= 1; "
            "input '" + argName(i) + "' has type " +
            [&] {
              std::string s;
              llvm::raw_string_ostream os(s);
              os << type.getInput(i);
              return s;
            }());
      return failure();
    }
  }

  llvm::StringRef spec = calibration;
  if (spec.consume_front("random:")) {
    int64_t n = 0;
    if (spec.getAsInteger(10, n) || n <= 0) {
      error("--calibration=random:N needs a positive sample count, not '" +
            spec + "'");
      return failure();
    }
    llvm::WithColor::warning(llvm::errs(), "")
        << "CALIBRATING ON " << n
        << " RANDOM SAMPLES (standard normal, seed 0): the ranges do not "
           "reflect real data and the quantized model's accuracy means "
           "nothing; pass --calibration=FILE.npy for a model to deploy\n";
    std::mt19937 rng(0);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (Type t : type.getInputs()) {
      auto tensor = cast<RankedTensorType>(t);
      int64_t batch = tensor.getDimSize(0);
      int64_t batches = (n + batch - 1) / batch;
      if (data.numBatches == 0)
        data.numBatches = batches;
      data.numBatches = std::min(data.numBatches, batches);
    }
    for (Type t : type.getInputs()) {
      auto tensor = cast<RankedTensorType>(t);
      std::vector<float> values(data.numBatches * tensor.getNumElements());
      for (float &v : values)
        v = normal(rng);
      auto bytes = reinterpret_cast<const char *>(values.data());
      data.inputs.emplace_back(bytes, bytes + values.size() * sizeof(float));
    }
    return data;
  }

  llvm::SmallVector<llvm::StringRef> files;
  spec.split(files, ',', -1, false);
  if (files.size() != type.getNumInputs()) {
    error("--calibration names " + llvm::Twine(files.size()) +
          " file(s), the model has " + llvm::Twine(type.getNumInputs()) +
          " input(s) (give one .npy per input, in order, separated by commas)");
    return failure();
  }
  for (auto [i, file] : llvm::enumerate(files)) {
    qopt::NpyArray array;
    std::string problem = qopt::readNpy(file.str(), array);
    if (!problem.empty()) {
      error(problem);
      return failure();
    }
    auto tensor = cast<RankedTensorType>(type.getInput(i));
    ArrayRef<int64_t> want = tensor.getShape();
    auto shapeStr = [](ArrayRef<int64_t> s) {
      std::string out;
      for (auto [k, d] : llvm::enumerate(s))
        out += (k ? "x" : "") + std::to_string(d);
      return out.empty() ? std::string("scalar") : out;
    };
    if (array.shape.size() != want.size() ||
        !llvm::equal(ArrayRef<int64_t>(array.shape).drop_front(),
                     want.drop_front()) ||
        array.shape[0] == 0 || array.shape[0] % want[0] != 0) {
      error(file + ": shape " + shapeStr(array.shape) +
            " does not match input '" + argName(i) + "' (" + shapeStr(want) +
            "): expected Nx" +
            shapeStr(want.drop_front()) + " with N a positive multiple of " +
            llvm::Twine(want[0]));
      return failure();
    }
    int64_t batches = array.shape[0] / want[0];
    if (i > 0 && batches != data.numBatches) {
      error(file + ": holds " + llvm::Twine(batches) + " batches, " +
            files[0] + " holds " + llvm::Twine(data.numBatches));
      return failure();
    }
    data.numBatches = batches;
    std::vector<float> values = array.toFloat();
    auto bytes = reinterpret_cast<const char *>(values.data());
    data.inputs.emplace_back(bytes, bytes + values.size() * sizeof(float));
  }
  return data;
}

/// qopt-quantize with `config` (the shared pipeline of qopt/Pipelines).
static LogicalResult runQuantize(ModuleOp module,
                                 const qopt::QuantizeConfig &config,
                                 bool fake) {
  PassManager pm(module.getContext());
  qopt::buildQuantizePipeline(pm, qopt::quantizeOptions(config, fake));
  return pm.run(module);
}

LogicalResult
qopt_compile::lowerPreQuantized(OwningOpRef<ModuleOp> &module) {
  if (quantForm != QuantForm::Integer)
    return success();
  bool quantized = false, unsignedType = false;
  module->walk([&](Operation *op) {
    for (Type type : llvm::concat<Type>(op->getOperandTypes(),
                                        op->getResultTypes()))
      if (auto tensor = dyn_cast<RankedTensorType>(type))
        if (auto q = dyn_cast<quant::QuantizedType>(tensor.getElementType())) {
          quantized = true;
          unsignedType |= !q.isSigned();
        }
  });
  if (!quantized)
    return success();
  auto warn = [](const llvm::Twine &why) {
    llvm::WithColor::warning(llvm::errs(), "qopt-compile")
        << "the pre-quantized model runs as float simulation: " << why
        << "\n";
  };
  if (unsignedType) {
    // qopt's integer ops read storage as signed (docs/Numerics.md).
    warn("it has unsigned (u8) quantized types");
    return success();
  }
  // Lower a copy: if the integer lowering refuses an op, the model still
  // compiles in float simulation.
  OwningOpRef<ModuleOp> lowered = module->clone();
  std::string firstError;
  {
    ScopedDiagnosticHandler handler(
        module->getContext(), [&](Diagnostic &diagnostic) {
          if (diagnostic.getSeverity() == DiagnosticSeverity::Error &&
              firstError.empty())
            firstError = diagnostic.str();
          return success();
        });
    PassManager pm(lowered->getContext());
    pm.addNestedPass<func::FuncOp>(qopt::createQOptFoldQDQ());
    // ONNX's requantization, so that the model computes what ONNX Runtime
    // computes on it (qopt's own --quantize keeps the dyadic spec).
    qopt::buildLowerQuantizedPipeline(pm, /*integerOnly=*/false,
                                      /*onnxRequant=*/true);
    if (failed(pm.run(*lowered))) {
      warn(firstError.empty() ? "the integer lowering failed" : firstError);
      return success();
    }
  }
  module = std::move(lowered);
  return success();
}

LogicalResult
qopt_compile::runQuantization(OwningOpRef<ModuleOp> &module,
                              llvm::StringRef modelPath) {
  auto main = module->lookupSymbol<func::FuncOp>("main");
  if (!main) {
    error(modelPath + ": the model has no main function");
    return failure();
  }
  auto data = loadCalibration(main);
  if (failed(data))
    return failure();

  qopt::CalibrationOptions options;
  (void)qopt::CalibMethod::parse(calibMethod, options.method);
  options.grid.bits = 8;
  options.grid.symmetric = actSymmetric;
  options.progress = llvm::sys::Process::StandardErrIsDisplayed();
  options.integerOnly = integerOnly;
  if (failed(qopt::calibrate(*module, *data, options)))
    return failure();

  qopt::QuantizeConfig config;
  config.weightBits = quantize == QuantMode::W4A8 ? 4 : 8;
  config.perChannel = perChannel;
  config.actSymmetric = actSymmetric;
  config.integerOnly = integerOnly;

  bool wantReport = !reportFile.empty();
  if (wantReport)
    qopt::tagLayers(*module);
  OwningOpRef<ModuleOp> quantized(module->clone());
  bool fake = quantForm == QuantForm::Fake;
  if (failed(runQuantize(*quantized, config, fake)))
    return failure();

  if (wantReport) {
    OwningOpRef<ModuleOp> reference;
    if (fake) {
      // The report describes quant-typed layers: quantize a copy for it.
      reference = module->clone();
      if (failed(runQuantize(*reference, config, false)))
        return failure();
    }
    auto report = qopt::buildQuantReport(
        *module, reference ? *reference : *quantized, *data, config,
        options.progress);
    if (failed(report))
      return failure();
    (*report)["model"] = modelPath.str();
    (*report)["quantize"] = quantize == QuantMode::W4A8 ? "w4a8" : "int8";
    (*report)["calibration"] = calibration.getValue();
    (*report)["calibration_method"] = options.method.str();
    std::string problem;
    auto out = openOutputFile(reportFile, &problem);
    if (!out) {
      error(problem);
      return failure();
    }
    out->os() << llvm::formatv("{0:2}",
                               llvm::json::Value(std::move(*report)))
              << "\n";
    out->keep();
    qopt::stripLayerTags(*quantized);
  }

  if (quantForm == QuantForm::Integer) {
    PassManager pm(quantized->getContext());
    qopt::buildLowerQuantizedPipeline(pm, integerOnly);
    if (failed(pm.run(*quantized)))
      return failure();
  }
  module = std::move(quantized);
  return success();
}
