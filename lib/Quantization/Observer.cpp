//===- Observer.cpp - tensor statistics and calibration range methods -----===//

#include "qopt/Quantization/Observer.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qopt;

//===----------------------------------------------------------------------===//
// CalibMethod
//===----------------------------------------------------------------------===//

std::string CalibMethod::parse(llvm::StringRef text, CalibMethod &method) {
  method = CalibMethod();
  auto [name, arg] = text.split(':');
  if (name == "minmax" || name == "entropy" || name == "mse") {
    if (text.contains(':'))
      return "calibration method '" + name.str() + "' takes no parameter";
    method.kind = name == "minmax"    ? MinMax
                  : name == "entropy" ? Entropy
                                      : MSE;
    return "";
  }
  if (name == "percentile") {
    method.kind = Percentile;
    if (!text.contains(':'))
      return "";
    double p = 0;
    if (arg.getAsDouble(p) || !(p > 50 && p <= 100))
      return "percentile '" + arg.str() +
             "' is not a number in (50, 100] (e.g. percentile:99.99)";
    method.percentile = p;
    return "";
  }
  return "unknown calibration method '" + text.str() +
         "' (expected minmax, percentile[:P], entropy or mse)";
}

std::string CalibMethod::str() const {
  switch (kind) {
  case MinMax:
    return "minmax";
  case Entropy:
    return "entropy";
  case MSE:
    return "mse";
  case Percentile: {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << "percentile:" << llvm::format("%g", percentile);
    return s;
  }
  }
  return "";
}

//===----------------------------------------------------------------------===//
// Accumulation
//===----------------------------------------------------------------------===//

HistogramObserver::HistogramObserver(unsigned numBins) : bins(numBins, 0.0) {
  // Doubling merges pairs of bins into the central half.
  assert(numBins >= 8 && numBins % 4 == 0 && "bins must be a multiple of 4");
}

double HistogramObserver::edge(size_t i) const {
  return -halfWidth + 2 * halfWidth * double(i) / double(bins.size());
}

void HistogramObserver::grow(double needed) {
  size_t n = bins.size();
  while (halfWidth < needed) {
    std::vector<double> merged(n, 0.0);
    for (size_t i = 0; i < n / 2; ++i)
      merged[n / 4 + i] = bins[2 * i] + bins[2 * i + 1];
    bins.swap(merged);
    halfWidth *= 2;
  }
}

void HistogramObserver::observe(llvm::ArrayRef<float> values) {
  double batchMin = std::numeric_limits<double>::infinity();
  double batchMax = -batchMin;
  uint64_t finite = 0;
  for (float v : values) {
    if (!std::isfinite(v)) {
      ++nonFinite;
      continue;
    }
    batchMin = std::min(batchMin, double(v));
    batchMax = std::max(batchMax, double(v));
    ++finite;
  }
  if (finite == 0)
    return;
  minValue = count == 0 ? batchMin : std::min(minValue, batchMin);
  maxValue = count == 0 ? batchMax : std::max(maxValue, batchMax);
  count += finite;

  double batchAbs = std::max(-batchMin, batchMax);
  if (halfWidth == 0) {
    // The first batch sets the histogram's range; an all-zero tensor has no
    // scale yet, so the smallest normal float stands in and doubles later.
    halfWidth = batchAbs > 0 ? batchAbs
                             : double(std::numeric_limits<float>::min());
  } else if (batchAbs > halfWidth) {
    grow(batchAbs);
  }
  size_t n = bins.size();
  double perUnit = double(n) / (2 * halfWidth);
  for (float v : values) {
    if (!std::isfinite(v))
      continue;
    // np.histogram's convention: [a, b) bins, the last one closed.
    double pos = (double(v) + halfWidth) * perUnit;
    size_t i = pos <= 0 ? 0 : std::min<size_t>(size_t(pos), n - 1);
    bins[i] += 1;
  }
}

//===----------------------------------------------------------------------===//
// Range methods
//===----------------------------------------------------------------------===//

std::pair<double, double> HistogramObserver::rangeMinMax() const {
  return {std::min(minValue, 0.0), std::max(maxValue, 0.0)};
}

std::pair<double, double>
HistogramObserver::rangePercentile(double percentile) const {
  double total = 0;
  for (double c : bins)
    total += c;
  if (total == 0)
    return {0, 0};
  double lowTarget = total * (1 - percentile / 100);
  double highTarget = total * (percentile / 100);
  // lo: the left edge of the first bin whose cumulative count exceeds the
  // low tail; hi: the right edge of the bin where the count reaches P%.
  double lo = minValue, hi = maxValue, cum = 0;
  bool haveLo = false;
  for (size_t i = 0; i < bins.size(); ++i) {
    cum += bins[i];
    if (!haveLo && cum > lowTarget) {
      lo = std::max(minValue, edge(i));
      haveLo = true;
    }
    if (cum >= highTarget) {
      hi = std::min(maxValue, edge(i + 1));
      break;
    }
  }
  return {std::min(lo, 0.0), std::max(hi, 0.0)};
}

/// The histogram of |x|: bin k covers [k·w, (k+1)·w) with w = T/(n/2).
static std::vector<double> foldAbs(llvm::ArrayRef<double> bins) {
  size_t half = bins.size() / 2;
  std::vector<double> abs(half);
  for (size_t k = 0; k < half; ++k)
    abs[k] = bins[half + k] + bins[half - 1 - k];
  return abs;
}

double HistogramObserver::entropyThreshold(unsigned bits) const {
  std::vector<double> hist = foldAbs(bins);
  size_t n = hist.size();
  double width = halfWidth / double(n);
  // Magnitudes get 2^(bits-1) levels, as TensorRT's 128 for int8.
  size_t levels = size_t(1) << (bits - 1);
  if (n <= levels)
    return halfWidth;
  double bestKL = std::numeric_limits<double>::infinity();
  size_t bestI = n;
  std::vector<double> q;
  for (size_t i = levels; i <= n; ++i) {
    // Reference distribution P: the first i bins, the clipped tail folded
    // into the last one.
    double tail = 0;
    for (size_t j = i; j < n; ++j)
      tail += hist[j];
    // Candidate Q: the i bins merged into `levels` groups (bin j goes to
    // group ⌊j·levels/i⌋), each group's count spread evenly over its
    // non-empty bins; empty bins stay empty.
    std::vector<double> groupSum(levels, 0.0), groupNonZero(levels, 0.0);
    for (size_t j = 0; j < i; ++j) {
      size_t g = j * levels / i;
      groupSum[g] += hist[j];
      if (hist[j] != 0)
        groupNonZero[g] += 1;
    }
    q.assign(i, 0.0);
    double pTotal = tail, qTotal = 0;
    for (size_t j = 0; j < i; ++j) {
      pTotal += hist[j];
      size_t g = j * levels / i;
      if (hist[j] != 0)
        q[j] = groupSum[g] / groupNonZero[g];
      qTotal += q[j];
    }
    if (pTotal == 0 || qTotal == 0)
      continue;
    double kl = 0;
    for (size_t j = 0; j < i; ++j) {
      double p = hist[j] + (j == i - 1 ? tail : 0);
      if (p == 0)
        continue;
      if (q[j] == 0) {
        kl = std::numeric_limits<double>::infinity();
        break;
      }
      double pn = p / pTotal, qn = q[j] / qTotal;
      kl += pn * std::log(pn / qn);
    }
    // Ties go to the wider range.
    if (kl <= bestKL) {
      bestKL = kl;
      bestI = i;
    }
  }
  return double(bestI) * width;
}

/// The grid's levels: 2^bits - 1 steps asymmetric, 2^(bits-1) - 1 steps on
/// each side symmetric.
static double gridStep(double lo, double hi, const QuantGrid &grid) {
  if (grid.symmetric)
    return std::max(-lo, hi) / double((int64_t(1) << (grid.bits - 1)) - 1);
  return (hi - lo) / double((int64_t(1) << grid.bits) - 1);
}

double HistogramObserver::mseThreshold(const QuantGrid &grid) const {
  size_t n = bins.size();
  size_t half = n / 2;
  double width = 2 * halfWidth / double(n);
  double bestErr = std::numeric_limits<double>::infinity();
  double best = halfWidth;
  // Candidates: every bin edge of |x|. Values inside the range contribute
  // the uniform rounding noise step²/12, clipped ones their squared
  // distance to the range (bin centres stand for their values).
  for (size_t k = 1; k <= half; ++k) {
    double c = double(k) * width;
    double lo = std::min(0.0, std::max(minValue, -c));
    double hi = std::max(0.0, std::min(maxValue, c));
    double step = gridStep(lo, hi, grid);
    double noise = step * step / 12;
    double err = 0;
    for (size_t i = 0; i < n; ++i) {
      if (bins[i] == 0)
        continue;
      double x = edge(i) + width / 2;
      if (x < lo)
        err += bins[i] * (lo - x) * (lo - x);
      else if (x > hi)
        err += bins[i] * (x - hi) * (x - hi);
      else
        err += bins[i] * noise;
    }
    if (err <= bestErr) {
      bestErr = err;
      best = c;
    }
  }
  return best;
}

std::pair<double, double>
HistogramObserver::computeRange(const CalibMethod &method,
                                const QuantGrid &grid) const {
  if (count == 0)
    return {0, 0};
  auto clip = [&](double c) -> std::pair<double, double> {
    return {std::min(0.0, std::max(minValue, -c)),
            std::max(0.0, std::min(maxValue, c))};
  };
  switch (method.kind) {
  case CalibMethod::MinMax:
    return rangeMinMax();
  case CalibMethod::Percentile:
    return rangePercentile(method.percentile);
  case CalibMethod::Entropy:
    return clip(entropyThreshold(grid.bits));
  case CalibMethod::MSE:
    return clip(mseThreshold(grid));
  }
  return rangeMinMax();
}
