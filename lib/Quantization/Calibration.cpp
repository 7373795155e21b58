//===- Calibration.cpp - run the float graph and record ranges ------------===//

#include "qopt/Quantization/Calibration.h"

#include "qopt/Dialect/QOpt/IR/QOpt.h"
#include "qopt/Quantization/CalibAttr.h"
#include "qopt/Quantization/QuantizableOps.h"
#include "qopt/Target/CPU/JITExecutable.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::qopt;

/// A one-line bar redrawn in place: `what [#####.....] k/n`.
static void drawProgress(llvm::StringRef what, int64_t done, int64_t total) {
  constexpr int width = 30;
  int filled = int(done * width / std::max<int64_t>(total, 1));
  llvm::errs() << "\r" << what << " [";
  for (int i = 0; i < width; ++i)
    llvm::errs() << (i < filled ? '#' : '.');
  llvm::errs() << "] " << done << "/" << total;
  if (done == total)
    llvm::errs() << "\n";
  llvm::errs().flush();
}

LogicalResult qopt::runInstrumented(
    ModuleOp module, ArrayRef<Value> values, const CalibrationData &data,
    bool progress, llvm::StringRef what,
    const std::function<void(size_t, int64_t, ArrayRef<float>)> &consume) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main)
    return module.emitError("the module has no func.func @main");
  if (data.inputs.size() != main.getNumArguments())
    return module.emitError() << "calibration data has " << data.inputs.size()
                              << " inputs, @main takes "
                              << main.getNumArguments();
  for (Value v : values) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
      return module.emitError() << "cannot observe a value of type "
                                << v.getType() << " (f32 tensors only)";
  }

  // The clone returns each observed op result once (and nothing else):
  // function arguments are read from the input buffers instead, as the
  // bufferization of a returned argument is not supported.
  IRMapping mapping;
  OwningOpRef<ModuleOp> clone(cast<ModuleOp>(module->clone(mapping)));
  auto cloneMain = clone->lookupSymbol<func::FuncOp>("main");
  auto ret = cast<func::ReturnOp>(cloneMain.getBody().front().getTerminator());
  SmallVector<Value> results;
  // source[i]: {true, argument} or {false, result index}.
  SmallVector<std::pair<bool, unsigned>> source;
  llvm::DenseMap<Value, unsigned> resultIndex;
  for (Value v : values) {
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      source.push_back({true, arg.getArgNumber()});
      continue;
    }
    Value mapped = mapping.lookup(v);
    auto [it, inserted] = resultIndex.try_emplace(mapped, results.size());
    if (inserted)
      results.push_back(mapped);
    source.push_back({false, it->second});
  }
  ret->setOperands(results);
  cloneMain.removeResAttrsAttr();
  // LLVM IR has no place for the calibration attributes on arguments.
  for (unsigned i = 0; i < cloneMain.getNumArguments(); ++i)
    cloneMain.removeArgAttr(i, kCalibAttrName);
  cloneMain.setType(FunctionType::get(module.getContext(),
                                      cloneMain.getArgumentTypes(),
                                      ValueRange(results).getTypes()));

  auto exe = JITExecutable::compile(*clone);
  if (failed(exe))
    return failure();
  const auto &inSigs = (*exe)->inputs();
  const auto &outSigs = (*exe)->outputs();
  for (size_t i = 0; i < inSigs.size(); ++i) {
    size_t bytes = size_t(inSigs[i].numElements() * inSigs[i].elementSize());
    if (data.inputs[i].size() != bytes * size_t(data.numBatches))
      return module.emitError()
             << "calibration input #" << i << " ('" << inSigs[i].name
             << "') holds " << data.inputs[i].size() << " bytes, expected "
             << data.numBatches << " batches of " << bytes;
  }

  std::vector<std::vector<char>> outBuffers(outSigs.size());
  SmallVector<void *> outPtrs;
  for (size_t i = 0; i < outSigs.size(); ++i) {
    outBuffers[i].resize(outSigs[i].numElements() * outSigs[i].elementSize());
    outPtrs.push_back(outBuffers[i].data());
  }
  for (int64_t b = 0; b < data.numBatches; ++b) {
    SmallVector<const void *> inPtrs;
    for (size_t i = 0; i < inSigs.size(); ++i)
      inPtrs.push_back(data.inputs[i].data() +
                       b * inSigs[i].numElements() * inSigs[i].elementSize());
    std::string error = (*exe)->run(inPtrs, outPtrs);
    if (!error.empty())
      return module.emitError() << "running calibration batch " << b
                                << " failed: " << error;
    for (size_t v = 0; v < values.size(); ++v) {
      auto [isArg, index] = source[v];
      const auto &sig = isArg ? inSigs[index] : outSigs[index];
      const void *buffer = isArg ? inPtrs[index] : outPtrs[index];
      consume(v, b,
              ArrayRef<float>(reinterpret_cast<const float *>(buffer),
                              size_t(sig.numElements())));
    }
    if (progress)
      drawProgress(what, b + 1, data.numBatches);
  }
  return success();
}

LogicalResult qopt::calibrate(ModuleOp module, const CalibrationData &data,
                              const CalibrationOptions &options) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main)
    return module.emitError("the module has no func.func @main");
  if (data.numBatches <= 0)
    return module.emitError("no calibration samples");
  SmallVector<Value> values = selectObservedValues(main, options.integerOnly);
  // Only f32 tensors run through the JIT's float path; others stay float
  // and unobserved (the quantize pass leaves their ops alone).
  llvm::erase_if(values, [](Value v) {
    return !cast<RankedTensorType>(v.getType()).getElementType().isF32();
  });
  std::vector<HistogramObserver> observers(values.size(),
                                           HistogramObserver(options.numBins));
  if (failed(runInstrumented(module, values, data, options.progress,
                             "calibrating",
                             [&](size_t i, int64_t, ArrayRef<float> buffer) {
                               observers[i].observe(buffer);
                             })))
    return failure();
  for (size_t i = 0; i < values.size(); ++i) {
    const HistogramObserver &obs = observers[i];
    if (obs.empty())
      continue;
    // Softmax results (probabilities) keep their whole observed range
    // whatever the method: the histogram methods, entropy above all, clip
    // the few large attention weights that carry the result (to 0.25-0.5
    // instead of 1 on the bundled ViT, costing 2 points of top-1; see
    // docs/Quantization.md).
    CalibMethod chosen = options.method;
    if (values[i].getDefiningOp<SoftmaxOp>())
      chosen.kind = CalibMethod::MinMax;
    auto [lo, hi] = obs.computeRange(chosen, options.grid);
    setCalibRange(values[i], CalibRange{lo, hi, obs.min(), obs.max(),
                                        chosen.str()});
  }
  return success();
}
