//===- EpilogueAVX2.h - the convolution epilogue on AVX2 registers -*- C++
//-*-===//
//
// For the AVX2 kernels that finish their output tiles in registers
// (Pointwise.cpp, Depthwise.cpp): applyEpilogue's vector steps on one
// __m256. Internal to each including file (anonymous namespace): the
// functions are compiled for AVX2 only, and must not be merged with
// copies compiled for another ISA.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_RUNTIME_EPILOGUEAVX2_H
#define QOPT_LIB_RUNTIME_EPILOGUEAVX2_H

#include "Microkernels.h"

#include <cstring>
#include <immintrin.h>

namespace {

using qopt_rt::EpiI8;
using qopt_rt::Epilogue;
using qopt_rt::EpiV8;

/// Microkernels.h's maximumV / minimumV, compiled for AVX2 here (calling
/// those from this target-attributed code would pass vectors across the
/// ISA boundary).
__attribute__((target("avx2,fma"), always_inline)) inline EpiV8 maxV(EpiV8 a,
                                                                     EpiV8 b) {
  EpiI8 bits;
  __builtin_memcpy(&bits, &a, sizeof(bits));
  EpiV8 m = a > b ? a : b;
  m = a == b ? (bits < 0 ? b : a) : m;
  return ((a != a) | (b != b)) ? a + b : m;
}
__attribute__((target("avx2,fma"), always_inline)) inline EpiV8 minV(EpiV8 a,
                                                                     EpiV8 b) {
  EpiI8 bits;
  __builtin_memcpy(&bits, &a, sizeof(bits));
  EpiV8 m = a < b ? a : b;
  m = a == b ? (bits < 0 ? a : b) : m;
  return ((a != a) | (b != b)) ? a + b : m;
}

/// The epilogue on the eight lanes of C at `p` (`bias`: their row's;
/// `fast`: fastClamps holds): applyEpilogue's vector steps.
__attribute__((target("avx2,fma"), always_inline)) inline __m256
finish8(const Epilogue &e, bool fast, float bias, const float *p, __m256 v) {
  EpiV8 u = (EpiV8)v;
  if (e.flags & 3)
    u = u + bias;
  if (e.flags & 16) {
    EpiV8 res;
    std::memcpy(&res, reinterpret_cast<const char *>(p) + e.residualDelta,
                sizeof(res));
    u = res + u;
  }
  if (fast) {
    FAST_CLAMPS_V8(u, e.flags, e.lo, e.hi);
  } else {
    if (e.flags & 4)
      u = maxV(u, splatV(e.lo));
    if (e.flags & 8)
      u = minV(u, splatV(e.hi));
  }
  return (__m256)u;
}

/// Bias and both clamps, the clamps fastClamps's (MobileNetV2's bias +
/// ReLU6): the common case, which gets straight-line code (biasClamps8).
inline bool biasAndClamps(const Epilogue &e) {
  return (e.flags & 3) && (e.flags & 12) == 12 && !(e.flags & 16) &&
         qopt_rt::fastClamps(e.flags, e.lo, e.hi);
}

/// finish8 when biasAndClamps holds: FAST_CLAMPS_V8 after the bias, with
/// vmaxps/vminps, which are exactly `v > lo ? v : lo` / `v < hi ? v : hi`;
/// NaN lanes get v + lo + hi.
__attribute__((target("avx2,fma"), always_inline)) inline __m256
biasClamps8(__m256 v, __m256 bias, __m256 lo, __m256 hi) {
  v = _mm256_add_ps(v, bias);
  __m256 clamped = _mm256_min_ps(_mm256_max_ps(v, lo), hi);
  __m256 nan = _mm256_add_ps(_mm256_add_ps(v, lo), hi);
  return _mm256_blendv_ps(clamped, nan, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
}

/// biasAndClamps with a lower bound of +0 and an upper one that is no zero
/// (ReLU6): the clamps then take two instructions and an add (biasRelu8)
/// instead of biasClamps8's five and a select. On AVX-512 these and the
/// FMAs share two ports: after a 16-deep 1×1 convolution's 8×32 tile,
/// biasClamps' 7 vector operations per register cost some 40 % of the
/// tile's FMA time.
inline bool biasRelu(const Epilogue &e) {
  return biasAndClamps(e) && e.lo == 0.0f && !__builtin_signbit(e.lo) &&
         e.hi != 0.0f;
}

/// biasClamps8 when biasRelu holds. vmaxps(0, v) is `0 > v ? 0 : v`: v
/// where v is NaN, and -0 for v = -0, which + 0 makes +0 (maximumf's
/// -0 < +0; + 0 changes no other value, and gives a NaN lane v + 0 + hi's
/// bits, biasClamps8's). vminps(hi, m) is `hi < m ? hi : m`: m where m is
/// NaN, and no ±0 tie with hi not a zero.
__attribute__((target("avx2,fma"), always_inline)) inline __m256
biasRelu8(__m256 v, __m256 bias, __m256 hi) {
  const __m256 zero = _mm256_setzero_ps();
  v = _mm256_add_ps(v, bias);
  return _mm256_min_ps(hi, _mm256_add_ps(_mm256_max_ps(zero, v), zero));
}

} // namespace

#endif // QOPT_LIB_RUNTIME_EPILOGUEAVX2_H
