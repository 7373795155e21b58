//===- Calibration.h - run the float graph and record ranges -----*- C++ -*-===//
//
// Calibration clones @main, returns every observed tensor as an extra
// result, JIT-compiles the clone for this CPU and runs it over the
// calibration batches, feeding each observed tensor to a HistogramObserver.
// The chosen ranges are written back onto the original IR as `qopt.calib`.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_QUANTIZATION_CALIBRATION_H
#define QOPT_QUANTIZATION_CALIBRATION_H

#include "qopt/Quantization/Observer.h"

#include "mlir/IR/BuiltinOps.h"

#include <functional>
#include <vector>

namespace mlir::qopt {

/// Calibration inputs: for each argument of @main, `numBatches` consecutive
/// row-major buffers of its type (raw bytes of its element type).
struct CalibrationData {
  int64_t numBatches = 0;
  std::vector<std::vector<char>> inputs;
};

struct CalibrationOptions {
  CalibMethod method;
  QuantGrid grid;
  unsigned numBins = 2048;
  /// Draw a progress bar on stderr (the caller decides whether it is a TTY).
  bool progress = false;
  /// Observe the tensors of qopt-quantize's integer-only mode too.
  bool integerOnly = false;
};

/// Observes the tensors selectObservedValues(@main) picks over `data` and
/// records their ranges on `module`. Emits an error on `module` and fails
/// when the JIT cannot compile or run the model, or when `data` does not
/// match @main's inputs.
LogicalResult calibrate(ModuleOp module, const CalibrationData &data,
                        const CalibrationOptions &options);

/// Runs `module`'s @main extended to also return `values` (which must be
/// f32 tensors of @main) over `data`, calling `consume(i, batch, buffer)`
/// for values[i] on each batch. Shared by calibration and the report.
LogicalResult runInstrumented(
    ModuleOp module, ArrayRef<Value> values, const CalibrationData &data,
    bool progress, llvm::StringRef what,
    const std::function<void(size_t, int64_t, ArrayRef<float>)> &consume);

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_CALIBRATION_H
