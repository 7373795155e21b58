//===- Report.cpp - per-layer quantization report (JSON) ------------------===//

#include "qopt/Quantization/Report.h"

#include "qopt/Dialect/QOpt/IR/QOpt.h"
#include "qopt/Quantization/CalibAttr.h"
#include "qopt/Quantization/FakeQuant.h"
#include "qopt/Quantization/QuantParams.h"
#include "qopt/Quantization/QuantizableOps.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <cmath>
#include <map>

using namespace mlir;
using namespace mlir::qopt;

static constexpr llvm::StringLiteral kLayerAttr = "qopt.layer";

std::string qopt::quantizePassOptions(const QuantizeConfig &config,
                                      bool fakeQuant) {
  return "weight-bits=" + std::to_string(config.weightBits) +
         " per-channel=" + (config.perChannel ? "1" : "0") +
         " act-symmetric=" + (config.actSymmetric ? "1" : "0") +
         " fake-quant=" + (fakeQuant ? "1" : "0") +
         " integer-only=" + (config.integerOnly ? "1" : "0");
}

QOptQuantizeOptions qopt::quantizeOptions(const QuantizeConfig &config,
                                          bool fakeQuant) {
  QOptQuantizeOptions options;
  options.weightBits = config.weightBits;
  options.perChannel = config.perChannel;
  options.actSymmetric = config.actSymmetric;
  options.fakeQuant = fakeQuant;
  options.integerOnly = config.integerOnly;
  return options;
}

void qopt::tagLayers(ModuleOp module) {
  int64_t next = 0;
  Builder b(module.getContext());
  module.walk([&](Operation *op) {
    if (getQuantRole(op) != QuantRole::None)
      op->setAttr(kLayerAttr, b.getI64IntegerAttr(next++));
  });
}

void qopt::stripLayerTags(ModuleOp module) {
  module.walk([](Operation *op) { op->removeAttr(kLayerAttr); });
}

static std::map<int64_t, Operation *> layersOf(ModuleOp module) {
  std::map<int64_t, Operation *> layers;
  module.walk([&](Operation *op) {
    if (auto id = op->getAttrOfType<IntegerAttr>(kLayerAttr))
      layers[id.getInt()] = op;
  });
  return layers;
}

static std::string layerName(Operation *op) {
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    if (!fused.getLocations().empty())
      loc = fused.getLocations().front();
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  return "";
}

static llvm::json::Object describeType(Type type) {
  auto q = cast<quant::QuantizedType>(
      cast<RankedTensorType>(type).getElementType());
  llvm::json::Object o;
  o["bits"] = int64_t(q.getStorageTypeIntegralWidth());
  o["storage_min"] = q.getStorageTypeMin();
  o["storage_max"] = q.getStorageTypeMax();
  if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(q)) {
    llvm::json::Array scales, zps;
    for (double s : axis.getScales())
      scales.push_back(s);
    for (int64_t z : axis.getZeroPoints())
      zps.push_back(z);
    o["axis"] = int64_t(axis.getQuantizedDimension());
    o["scales"] = std::move(scales);
    o["zero_points"] = std::move(zps);
  } else {
    auto u = cast<quant::UniformQuantizedType>(q);
    o["scale"] = u.getScale();
    o["zero_point"] = u.getZeroPoint();
  }
  // The bits of a narrow-range weight type are those of its range.
  int64_t levels = q.getStorageTypeMax() - q.getStorageTypeMin() + 1;
  o["bits"] = int64_t(std::ceil(std::log2(double(levels))));
  return o;
}

static void addRange(llvm::json::Object &o, Value floatValue) {
  if (auto range = getCalibRange(floatValue)) {
    o["calibration_range"] = llvm::json::Array{range->lo, range->hi};
    o["observed_range"] = llvm::json::Array{range->min, range->max};
    o["calibration_method"] = range->method;
  }
}

FailureOr<llvm::json::Object>
qopt::buildQuantReport(ModuleOp calibrated, ModuleOp quantized,
                       const CalibrationData &data,
                       const QuantizeConfig &config, bool progress) {
  MLIRContext *context = calibrated.getContext();
  auto floatLayers = layersOf(calibrated);
  auto quantLayers = layersOf(quantized);

  // The fake-quant twin, expanded into float ops.
  OwningOpRef<ModuleOp> fake(calibrated.clone());
  {
    PassManager pm(context);
    std::string pipeline = "func.func(qopt-quantize{" +
                           quantizePassOptions(config, true) + "})";
    if (failed(parsePassPipeline(pipeline, pm)) || failed(pm.run(*fake)))
      return failure();
  }
  auto fakeMain = fake->lookupSymbol<func::FuncOp>("main");
  auto floatMain = calibrated.lookupSymbol<func::FuncOp>("main");
  // Each quantized layer's output in the fake graph: the dequantize that
  // follows its quantize.
  std::map<int64_t, Value> fakeOutputs;
  for (auto [id, op] : layersOf(*fake)) {
    Value r = op->getResult(0);
    if (!r.hasOneUse())
      continue;
    auto q = dyn_cast<QuantizeOp>(*r.getUsers().begin());
    if (!q || !q->hasOneUse())
      continue;
    if (auto dq = dyn_cast<DequantizeOp>(*q->getUsers().begin()))
      fakeOutputs[id] = dq.getResult();
  }
  if (failed(expandFakeQuantToFloat(fakeMain, [&](Value old, Value repl) {
        for (auto &entry : fakeOutputs)
          if (entry.second == old)
            entry.second = repl;
      })))
    return failure();

  // The float graph runs in the same function, so one JIT run per batch
  // yields both outputs of every layer.
  IRMapping mapping;
  for (auto [f, q] : llvm::zip(floatMain.getArguments(), fakeMain.getArguments()))
    mapping.map(f, q);
  OpBuilder b(context);
  b.setInsertionPointToStart(&fakeMain.getBody().front());
  for (Operation &op : floatMain.getBody().front().without_terminator())
    b.clone(op, mapping);

  std::vector<int64_t> ids;
  SmallVector<Value> observed;
  for (auto [id, fakeOut] : fakeOutputs) {
    auto it = floatLayers.find(id);
    if (it == floatLayers.end() ||
        !cast<RankedTensorType>(fakeOut.getType()).getElementType().isF32())
      continue;
    ids.push_back(id);
    observed.push_back(mapping.lookup(it->second->getResult(0)));
  }
  size_t n = ids.size();
  for (size_t i = 0; i < n; ++i)
    observed.push_back(fakeOutputs[ids[i]]);

  std::vector<std::vector<float>> reference(n);
  std::vector<double> signal(n, 0.0), noise(n, 0.0);
  if (failed(runInstrumented(
          *fake, observed, data, progress, "measuring SQNR",
          [&](size_t i, int64_t, ArrayRef<float> buffer) {
            if (i < n) {
              reference[i].assign(buffer.begin(), buffer.end());
              return;
            }
            const std::vector<float> &ref = reference[i - n];
            for (size_t k = 0; k < ref.size(); ++k) {
              double d = double(ref[k]) - double(buffer[k]);
              signal[i - n] += double(ref[k]) * ref[k];
              noise[i - n] += d * d;
            }
          })))
    return failure();
  std::map<int64_t, size_t> sqnrIndex;
  for (size_t i = 0; i < n; ++i)
    sqnrIndex[ids[i]] = i;

  llvm::json::Array layers;
  for (auto [id, op] : quantLayers) {
    QuantRole role = getQuantRole(op);
    if (role != QuantRole::Contraction && role != QuantRole::Arithmetic)
      continue;
    Value result = op->getResult(0);
    if (!isa<quant::QuantizedType>(
            cast<RankedTensorType>(result.getType()).getElementType()))
      continue;
    Operation *floatOp = floatLayers.count(id) ? floatLayers[id] : nullptr;
    llvm::json::Object layer;
    layer["name"] = layerName(op);
    layer["op"] = op->getName().getStringRef().str();
    llvm::json::Array inputs;
    // Contractions have one activation input, unless a matmul multiplies
    // two activations.
    unsigned numInputs = op->getNumOperands();
    if (role == QuantRole::Contraction)
      numInputs = isa<MatMulOp>(op) &&
                          !isa_and_nonnull<ConstantOp>(
                              op->getOperand(1).getDefiningOp())
                      ? 2
                      : 1;
    for (unsigned i = 0; i < numInputs; ++i) {
      llvm::json::Object in = describeType(op->getOperand(i).getType());
      if (floatOp)
        addRange(in, floatOp->getOperand(i));
      inputs.push_back(std::move(in));
    }
    layer["inputs"] = std::move(inputs);
    if (role == QuantRole::Contraction && numInputs == 1) {
      layer["weight"] = describeType(op->getOperand(1).getType());
      if (op->getNumOperands() > 2)
        layer["bias"] = describeType(op->getOperand(2).getType());
    }
    llvm::json::Object out = describeType(result.getType());
    if (floatOp)
      addRange(out, floatOp->getResult(0));
    layer["output"] = std::move(out);
    if (auto it = sqnrIndex.find(id); it != sqnrIndex.end()) {
      size_t i = it->second;
      // An exact output has no finite SQNR; JSON has no infinity: null.
      if (noise[i] > 0)
        layer["sqnr_db"] = 10 * std::log10(signal[i] / noise[i]);
      else
        layer["sqnr_db"] = nullptr;
    }
    layers.push_back(std::move(layer));
  }

  llvm::json::Object report;
  report["weight_bits"] = int64_t(config.weightBits);
  report["activation_bits"] = int64_t(8);
  report["per_channel"] = config.perChannel;
  report["activation_symmetric"] = config.actSymmetric;
  report["calibration_batches"] = data.numBatches;
  report["sqnr_mode"] =
      "fake-quant (QDQ simulated in float through the CPU JIT), accumulated "
      "through the network, on the calibration data";
  report["layers"] = std::move(layers);
  return report;
}
