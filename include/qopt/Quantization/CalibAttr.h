//===- CalibAttr.h - calibration ranges as discardable attributes -*- C++ -*-===//
//
// Calibration statistics travel on the IR (DESIGN.md) so that qopt-quantize
// can run alone on printed IR. An op carries
//   qopt.calib = [{lo = .., hi = .., min = .., max = .., method = ".."}, ..]
// with one dictionary per result (an empty one for results not observed);
// a function argument carries one dictionary as the argument attribute
// `qopt.calib`. [lo, hi] is the chosen clipping range, [min, max] what the
// calibration data reached.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_QUANTIZATION_CALIBATTR_H
#define QOPT_QUANTIZATION_CALIBATTR_H

#include "mlir/IR/Value.h"

#include <optional>
#include <string>

namespace mlir::qopt {

inline constexpr llvm::StringLiteral kCalibAttrName = "qopt.calib";

struct CalibRange {
  double lo = 0, hi = 0;
  double min = 0, max = 0;
  std::string method;
};

/// The recorded range of `value` (an op result or a function argument).
std::optional<CalibRange> getCalibRange(Value value);
/// Records `range` for `value`, replacing an earlier one.
void setCalibRange(Value value, const CalibRange &range);

} // namespace mlir::qopt

#endif // QOPT_QUANTIZATION_CALIBATTR_H
