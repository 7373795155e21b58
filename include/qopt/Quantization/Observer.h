//===- Observer.h - tensor statistics and calibration range methods -*- C++ -*-===//
//
// An observer accumulates the values one tensor takes over the calibration
// data: its exact min/max and a histogram. The range methods (minmax,
// percentile, entropy, mse) choose the clipping range [lo, hi] that the
// quantizer maps onto the integer grid.
//
// The histogram is symmetric about zero, [-T, T] in `numBins` bins, as ONNX
// Runtime's HistogramCollector keeps it, so that the entropy method can grow
// candidate ranges outwards from the zero bin. When a batch exceeds T the
// range doubles (repeatedly) and pairs of bins merge into the central half:
// the re-binning is exact, no count is interpolated.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_QUANTIZATION_OBSERVER_H
#define QOPT_QUANTIZATION_OBSERVER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::qopt {

/// How a calibration range is chosen from the observed statistics.
struct CalibMethod {
  enum Kind { MinMax, Percentile, Entropy, MSE } kind = MinMax;
  /// For Percentile: the percentage of values kept inside the range on each
  /// side (99.99 keeps everything between the 0.01th and 99.99th
  /// percentiles).
  double percentile = 99.99;

  /// "minmax", "percentile" or "percentile:P", "entropy", "mse"; returns an
  /// error message, or "" on success.
  static std::string parse(llvm::StringRef text, CalibMethod &method);
  /// The spelling `parse` accepts ("percentile:99.99").
  std::string str() const;
};

/// The grid the range will be quantized onto (the mse and entropy methods
/// depend on it).
struct QuantGrid {
  unsigned bits = 8;
  /// Symmetric grids put zero in the middle: the step is max(|lo|,|hi|)/qmax.
  bool symmetric = false;
};

class HistogramObserver {
public:
  explicit HistogramObserver(unsigned numBins = 2048);

  /// Adds values; NaNs are ignored (counted in numNaN), infinities too.
  void observe(llvm::ArrayRef<float> values);

  bool empty() const { return count == 0; }
  double min() const { return minValue; }
  double max() const { return maxValue; }
  /// The histogram's half-width T: bins cover [-T, T].
  double threshold() const { return halfWidth; }
  llvm::ArrayRef<double> histogram() const { return bins; }
  uint64_t numValues() const { return count; }
  uint64_t numNonFinite() const { return nonFinite; }

  /// The clipping range [lo, hi] for `method`. It always contains 0 (a
  /// zero must be exactly representable: padding, ReLU) and lies within
  /// [min(min,0), max(max,0)].
  std::pair<double, double> computeRange(const CalibMethod &method,
                                         const QuantGrid &grid) const;

  /// The methods one by one (exposed for tests).
  std::pair<double, double> rangeMinMax() const;
  std::pair<double, double> rangePercentile(double percentile) const;
  /// The KL-optimal threshold c ≥ 0 of |x| (TensorRT / ONNX Runtime).
  double entropyThreshold(unsigned bits) const;
  /// The threshold c ≥ 0 minimising the expected squared error of
  /// quantizing onto the grid over [max(min,-c), min(max,c)].
  double mseThreshold(const QuantGrid &grid) const;

private:
  /// The value of the left edge of bin `i`.
  double edge(size_t i) const;
  void grow(double needed);

  std::vector<double> bins;
  double halfWidth = 0;
  double minValue = 0, maxValue = 0;
  uint64_t count = 0, nonFinite = 0;
};

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_OBSERVER_H
