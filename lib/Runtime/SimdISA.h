//===- SimdISA.h - per-ISA vector wrappers for the f32 conv kernels -*- C++
//-*-===//
//
// The pointwise (Pointwise.cpp) and 3×3 depthwise (Depthwise.cpp) kernels
// are written once, in a body file (*Kernel.inc) that only uses the
// wrappers below, and included once per ISA: inside namespace `avx2` with
// every function compiled for AVX2+FMA, inside namespace `avx512` with
// every function compiled for AVX-512F/VL, and inside `avx512emu`, AVX-512's
// lanes and tiles in AVX2 code for tests (QOPT_ISA_BEGIN / QOPT_ISA_END,
// which apply the target attribute to the whole body with `#pragma clang
// attribute`). A template over a traits struct cannot do this: a function
// template without the target attribute cannot inline the intrinsics.
//
// Each namespace gives the same names: V (one register of floats), kLanes,
// and thin wrappers around the load, store, broadcast, FMA and masked-load
// instructions, plus the convolution epilogue on one register (finish,
// biasClamps: the vector steps of Microkernels.h's applyEpilogue, so the
// results are those of the scalar epilogue bit for bit). The AVX2 ones are
// EpilogueAVX2.h's, unchanged.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_RUNTIME_SIMDISA_H
#define QOPT_LIB_RUNTIME_SIMDISA_H

#include "EpilogueAVX2.h"

#include <cstdint>
#include <cstring>
#include <immintrin.h>

#define QOPT_TARGET_AVX2 "avx2,fma"
#define QOPT_TARGET_AVX512 "avx512f,avx512vl,avx2,fma"

/// Opens namespace NS with every function up to QOPT_ISA_END compiled for
/// the target string TARGET (and using the wrappers of simd_NS).
#define QOPT_ISA_BEGIN(NS, TARGET)                                             \
  _Pragma(QOPT_ISA_PRAGMA(TARGET)) namespace NS {                              \
    using namespace simd_##NS;
#define QOPT_ISA_PRAGMA(TARGET)                                                \
  QOPT_ISA_STR(clang attribute push(__attribute__((target(TARGET))),           \
                                    apply_to = function))
#define QOPT_ISA_STR(x) #x
#define QOPT_ISA_END                                                           \
  }                                                                            \
  _Pragma("clang attribute pop")

namespace {

namespace simd_avx2 {

#define QOPT_AVX2_INLINE                                                       \
  __attribute__((target(QOPT_TARGET_AVX2), always_inline)) inline

using V = __m256;
constexpr int kLanes = 8;
constexpr const char *kIsa = "avx2";

QOPT_AVX2_INLINE V zero() { return _mm256_setzero_ps(); }
QOPT_AVX2_INLINE V loadu(const float *p) { return _mm256_loadu_ps(p); }
/// 32-byte aligned.
QOPT_AVX2_INLINE V loada(const float *p) { return _mm256_load_ps(p); }
QOPT_AVX2_INLINE void storeu(float *p, V v) { _mm256_storeu_ps(p, v); }
QOPT_AVX2_INLINE void storea(float *p, V v) { _mm256_store_ps(p, v); }
/// A store kept as one: the empty asm hides loops of these from clang's
/// idiom recognition, which turns them into memset/memcpy calls (whose call
/// cost dominates 1- to 16-float runs).
QOPT_AVX2_INLINE void storeKept(float *p, V v) {
  __asm__("" : "+r"(p));
  _mm256_storeu_ps(p, v);
}
/// a·b + c, one rounding.
QOPT_AVX2_INLINE V fmadd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
QOPT_AVX2_INLINE V bcast(const float *p) { return _mm256_broadcast_ss(p); }
QOPT_AVX2_INLINE V set1(float x) { return _mm256_set1_ps(x); }
QOPT_AVX2_INLINE V add(V a, V b) { return _mm256_add_ps(a, b); }
/// Lanes [0, n) from p, the others 0 and not read (n may be ≤ 0 or ≥ 8).
QOPT_AVX2_INLINE V maskLoad(const float *p, int64_t n) {
  __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  __m256i n8 = _mm256_set1_epi32(int(n < 0 ? 0 : n > 8 ? 8 : n));
  return _mm256_maskload_ps(p, _mm256_cmpgt_epi32(n8, lane));
}
QOPT_AVX2_INLINE V biasClamps(V v, V bias, V lo, V hi) {
  return biasClamps8(v, bias, lo, hi);
}
/// biasClamps with lo = +0 where biasRelu holds.
QOPT_AVX2_INLINE V biasRelu(V v, V bias, V hi) {
  return biasRelu8(v, bias, hi);
}
QOPT_AVX2_INLINE V finish(const qopt_rt::Epilogue &e, bool fast, float bias,
                          const float *p, V v) {
  return finish8(e, fast, bias, p, v);
}
/// The even lanes of the 2·kLanes floats (lo, hi), in order, and the odd
/// ones (shuffle_ps picks lo0 lo2 hi0 hi2 | lo4 lo6 hi4 hi6; permuting its
/// 64-bit pairs (0, 2, 1, 3) puts them in order).
QOPT_AVX2_INLINE V pairsInOrder(V m) {
  return _mm256_castpd_ps(
      _mm256_permute4x64_pd(_mm256_castps_pd(m), _MM_SHUFFLE(3, 1, 2, 0)));
}
QOPT_AVX2_INLINE void deinterleave(V lo, V hi, V &even, V &odd) {
  even = pairsInOrder(_mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0)));
  odd = pairsInOrder(_mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1)));
}
/// v's even lanes to e[0, kLanes / 2), its odd ones to o[0, kLanes / 2).
QOPT_AVX2_INLINE void storeHalves(V v, float *e, float *o) {
  V p = _mm256_permutevar8x32_ps(v, _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7));
  _mm_storeu_ps(e, _mm256_castps256_ps128(p));
  _mm_storeu_ps(o, _mm256_extractf128_ps(p, 1));
}

#undef QOPT_AVX2_INLINE

} // namespace simd_avx2

namespace simd_avx512 {

#define QOPT_AVX512_INLINE                                                     \
  __attribute__((target(QOPT_TARGET_AVX512), always_inline)) inline

using V = __m512;
constexpr int kLanes = 16;
constexpr const char *kIsa = "avx512";

QOPT_AVX512_INLINE V zero() { return _mm512_setzero_ps(); }
QOPT_AVX512_INLINE V loadu(const float *p) { return _mm512_loadu_ps(p); }
/// 64-byte aligned.
QOPT_AVX512_INLINE V loada(const float *p) { return _mm512_load_ps(p); }
QOPT_AVX512_INLINE void storeu(float *p, V v) { _mm512_storeu_ps(p, v); }
QOPT_AVX512_INLINE void storea(float *p, V v) { _mm512_store_ps(p, v); }
QOPT_AVX512_INLINE void storeKept(float *p, V v) {
  __asm__("" : "+r"(p));
  _mm512_storeu_ps(p, v);
}
QOPT_AVX512_INLINE V fmadd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
QOPT_AVX512_INLINE V bcast(const float *p) { return _mm512_set1_ps(*p); }
QOPT_AVX512_INLINE V set1(float x) { return _mm512_set1_ps(x); }
QOPT_AVX512_INLINE V add(V a, V b) { return _mm512_add_ps(a, b); }
/// Lanes [0, n) from p, the others 0; masked-off lanes are not read (no
/// fault past the end of the tensor).
QOPT_AVX512_INLINE V maskLoad(const float *p, int64_t n) {
  __mmask16 m = n <= 0 ? 0 : n >= 16 ? 0xffff : __mmask16((1u << n) - 1);
  return _mm512_maskz_loadu_ps(m, p);
}
/// biasClamps8 on 16 lanes: vmaxps/vminps are `v > lo ? v : lo` /
/// `v < hi ? v : hi`; NaN lanes get v + lo + hi.
QOPT_AVX512_INLINE V biasClamps(V v, V bias, V lo, V hi) {
  v = _mm512_add_ps(v, bias);
  V clamped = _mm512_min_ps(_mm512_max_ps(v, lo), hi);
  V nan = _mm512_add_ps(_mm512_add_ps(v, lo), hi);
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q), clamped,
                              nan);
}
/// biasRelu8 on 16 lanes.
QOPT_AVX512_INLINE V biasRelu(V v, V bias, V hi) {
  const V zero = _mm512_setzero_ps();
  v = _mm512_add_ps(v, bias);
  return _mm512_min_ps(hi, _mm512_add_ps(_mm512_max_ps(zero, v), zero));
}
/// The even lanes of the 32 floats (lo, hi), in order, and the odd ones.
QOPT_AVX512_INLINE void deinterleave(V lo, V hi, V &even, V &odd) {
  const __m512i e = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20,
                                      22, 24, 26, 28, 30);
  even = _mm512_permutex2var_ps(lo, e, hi);
  odd = _mm512_permutex2var_ps(lo, _mm512_add_epi32(e, _mm512_set1_epi32(1)),
                               hi);
}
/// v's even lanes to e[0, 8), its odd ones to o[0, 8).
QOPT_AVX512_INLINE void storeHalves(V v, float *e, float *o) {
  V p = _mm512_permutexvar_ps(_mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 1,
                                                3, 5, 7, 9, 11, 13, 15),
                              v);
  _mm256_storeu_ps(e, _mm512_castps512_ps256(p));
  _mm256_storeu_ps(o, _mm256_castpd_ps(
                          _mm512_extractf64x4_pd(_mm512_castps_pd(p), 1)));
}

typedef float VF __attribute__((vector_size(64)));
typedef int32_t VI __attribute__((vector_size(64)));
/// Sixteen copies of x (a broadcast: no +0 + -0 rounding of the sign).
QOPT_AVX512_INLINE VF splat(float x) { return (VF)_mm512_set1_ps(x); }
#define QOPT_SIMD_INLINE QOPT_AVX512_INLINE
#include "SimdFinish16.inc"
#undef QOPT_SIMD_INLINE

#undef QOPT_AVX512_INLINE

} // namespace simd_avx512

/// AVX-512's kernels emulated on AVX2, for tests on machines without
/// AVX-512 (QOPT_ISA=avx512emu): the same 16 lanes and the same tiles, as
/// 64-byte generic vectors that clang splits into pairs of ymm registers.
/// Only the wrappers of simd_avx512 above differ from what runs there.
namespace simd_avx512emu {

#define QOPT_EMU_INLINE                                                        \
  __attribute__((target(QOPT_TARGET_AVX2), always_inline)) inline

typedef float V __attribute__((vector_size(64)));
typedef float VF __attribute__((vector_size(64)));
typedef int32_t VI __attribute__((vector_size(64)));
constexpr int kLanes = 16;
constexpr const char *kIsa = "avx512emu";

QOPT_EMU_INLINE V splat(float x) {
  V v;
  for (int i = 0; i < 16; ++i)
    v[i] = x;
  return v;
}
QOPT_EMU_INLINE V zero() { return V{}; }
QOPT_EMU_INLINE V loadu(const float *p) {
  V v;
  std::memcpy(&v, p, sizeof(V));
  return v;
}
QOPT_EMU_INLINE V loada(const float *p) {
  // _mm512_load_ps faults on an address that is not 64-byte aligned.
  if (reinterpret_cast<uintptr_t>(p) % 64)
    __builtin_trap();
  return loadu(p);
}
QOPT_EMU_INLINE void storeu(float *p, V v) { std::memcpy(p, &v, sizeof(V)); }
QOPT_EMU_INLINE void storea(float *p, V v) {
  if (reinterpret_cast<uintptr_t>(p) % 64)
    __builtin_trap();
  storeu(p, v);
}
QOPT_EMU_INLINE void storeKept(float *p, V v) {
  __asm__("" : "+r"(p));
  storeu(p, v);
}
QOPT_EMU_INLINE V fmadd(V a, V b, V c) {
  return __builtin_elementwise_fma(a, b, c);
}
QOPT_EMU_INLINE V bcast(const float *p) { return splat(*p); }
QOPT_EMU_INLINE V set1(float x) { return splat(x); }
QOPT_EMU_INLINE V add(V a, V b) { return a + b; }
QOPT_EMU_INLINE V maskLoad(const float *p, int64_t n) {
  V v{};
  for (int64_t i = 0; i < n && i < 16; ++i)
    v[i] = p[i];
  return v;
}
/// vmaxps(v, lo) is `v > lo ? v : lo`, vminps(v, hi) `v < hi ? v : hi`.
QOPT_EMU_INLINE V biasClamps(V v, V bias, V lo, V hi) {
  v = v + bias;
  V clamped = v > lo ? v : lo;
  clamped = clamped < hi ? clamped : hi;
  V nan = (v + lo) + hi;
  return v != v ? nan : clamped;
}
/// vmaxps(0, v) is `0 > v ? 0 : v`, vminps(hi, m) `hi < m ? hi : m`.
QOPT_EMU_INLINE V biasRelu(V v, V bias, V hi) {
  const V zero{};
  v = v + bias;
  V m = (zero > v ? zero : v) + zero;
  return hi < m ? hi : m;
}
QOPT_EMU_INLINE void deinterleave(V lo, V hi, V &even, V &odd) {
  even = __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18,
                                 20, 22, 24, 26, 28, 30);
  odd = __builtin_shufflevector(lo, hi, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21,
                                23, 25, 27, 29, 31);
}
QOPT_EMU_INLINE void storeHalves(V v, float *e, float *o) {
  for (int i = 0; i < 8; ++i) {
    e[i] = v[2 * i];
    o[i] = v[2 * i + 1];
  }
}
#define QOPT_SIMD_INLINE QOPT_EMU_INLINE
#include "SimdFinish16.inc"
#undef QOPT_SIMD_INLINE

#undef QOPT_EMU_INLINE

} // namespace simd_avx512emu

} // namespace

#endif // QOPT_LIB_RUNTIME_SIMDISA_H
