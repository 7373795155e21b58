//===- Dyadic.h - real scale ratios as integer multiplier and shift -*- C++ -*-===//
//
// HAWQ-V3's dyadic numbers: a positive real ratio r becomes an int32
// multiplier m and a right shift s with r ≈ m / 2^s. The multiplier is
// normalised into [2^30, 2^31) so that it keeps 31 significant bits; ratios
// too small for a shift of at most 62 keep shift 62 and a smaller multiplier
// (0 when r < 2^-63). docs/Numerics.md specifies how qopt.rescale applies it.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QOPT_UTILS_DYADIC_H
#define QOPT_DIALECT_QOPT_UTILS_DYADIC_H

#include <cmath>
#include <cstdint>
#include <optional>

namespace mlir::qopt {

struct DyadicScale {
  int32_t multiplier = 0;
  int32_t shift = 0;
  double value() const { return std::ldexp(double(multiplier), -shift); }
};

/// The dyadic form of `ratio`, or nullopt when it is negative, not finite,
/// or at least 2^31 (a multiplier in [2^30, 2^31) would need a negative
/// shift).
inline std::optional<DyadicScale> computeDyadicScale(double ratio) {
  if (!std::isfinite(ratio) || ratio < 0)
    return std::nullopt;
  if (ratio == 0)
    return DyadicScale{0, 0};
  int exponent = 0;
  double fraction = std::frexp(ratio, &exponent); // ratio = f·2^e, f∈[0.5,1)
  int64_t m = std::llround(std::ldexp(fraction, 31));
  if (m == (int64_t(1) << 31)) { // rounding carried into the next binade
    m >>= 1;
    ++exponent;
  }
  int shift = 31 - exponent;
  if (shift < 0)
    return std::nullopt;
  if (shift > 62) {
    m = std::llround(std::ldexp(ratio, 62));
    shift = 62;
  }
  return DyadicScale{int32_t(m), shift};
}

} // namespace mlir::qopt

#endif // QOPT_DIALECT_QOPT_UTILS_DYADIC_H
