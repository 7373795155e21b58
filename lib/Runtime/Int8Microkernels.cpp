//===- Int8Microkernels.cpp - MR×NR int16-pair tiles per ISA -------------===//
//
// Each tile keeps MR×NR int32 accumulators in registers over the whole
// reduction. A k-pair step broadcasts one int32 word of A (two int16
// values) per row and multiplies it with NR int16 pairs of B:
//   - AVX2: vpmaddwd then vpaddd (6×16, 12 accumulators);
//   - AVX-VNNI: vpdpwssd on ymm, the same two steps in one instruction;
//   - AVX-512BW: vpmaddwd + vpaddd on zmm (8×32, 16 accumulators);
//   - AVX-512 VNNI: vpdpwssd on zmm;
//   - generic: scalar C++ on 4×8, unsigned arithmetic for the wrap.
// vpdpwssd (not the saturating vpdpwssds) wraps like vpmaddwd + vpaddd.
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <immintrin.h>

using namespace qopt_rt;

namespace {

// One template per vector width; Madd is the k-pair multiply-accumulate.
#define QOPT_TILE_BODY(VEC, ZERO, BCAST, LOAD, STORE, MADD, MR, NV, LANES)    \
  VEC acc[MR][NV];                                                             \
  for (int r = 0; r < MR; ++r)                                                 \
    for (int v = 0; v < NV; ++v)                                               \
      acc[r][v] = ZERO();                                                      \
  for (int64_t p = 0; p < kp; ++p) {                                           \
    VEC bv[NV];                                                                \
    for (int v = 0; v < NV; ++v)                                               \
      bv[v] = LOAD(reinterpret_cast<const void *>(b + v * 2 * LANES));         \
    for (int r = 0; r < MR; ++r) {                                             \
      VEC av = BCAST(a[r]);                                                    \
      for (int v = 0; v < NV; ++v)                                             \
        acc[r][v] = MADD(acc[r][v], av, bv[v]);                                \
    }                                                                          \
    a += MR;                                                                   \
    b += NV * 2 * LANES;                                                       \
  }                                                                            \
  for (int r = 0; r < MR; ++r)                                                 \
    for (int v = 0; v < NV; ++v)                                               \
      STORE(reinterpret_cast<void *>(c + r * NV * LANES + v * LANES),          \
            acc[r][v]);

#define QOPT_ALWAYS_INLINE __attribute__((always_inline)) inline

__attribute__((target("avx2"))) QOPT_ALWAYS_INLINE __m256i
maddAVX2(__m256i acc, __m256i a, __m256i b) {
  return _mm256_add_epi32(acc, _mm256_madd_epi16(a, b));
}
__attribute__((target("avx2"))) QOPT_ALWAYS_INLINE __m256i
load256(const void *p) {
  return _mm256_loadu_si256(static_cast<const __m256i *>(p));
}
__attribute__((target("avx2"))) QOPT_ALWAYS_INLINE void store256(void *p,
                                                                 __m256i v) {
  _mm256_storeu_si256(static_cast<__m256i *>(p), v);
}

__attribute__((target("avx2"))) void tileAVX2(int64_t kp, const int32_t *a,
                                               const int16_t *b, int32_t *c) {
  QOPT_TILE_BODY(__m256i, _mm256_setzero_si256, _mm256_set1_epi32, load256,
                 store256, maddAVX2, 6, 2, 8)
}

__attribute__((target("avx2,avxvnni"))) QOPT_ALWAYS_INLINE __m256i
maddAVXVNNI(__m256i acc, __m256i a, __m256i b) {
  return _mm256_dpwssd_avx_epi32(acc, a, b);
}

__attribute__((target("avx2,avxvnni"))) void
tileAVXVNNI(int64_t kp, const int32_t *a, const int16_t *b, int32_t *c) {
  QOPT_TILE_BODY(__m256i, _mm256_setzero_si256, _mm256_set1_epi32, load256,
                 store256, maddAVXVNNI, 6, 2, 8)
}

__attribute__((target("avx512f,avx512bw"))) QOPT_ALWAYS_INLINE __m512i
maddAVX512(__m512i acc, __m512i a, __m512i b) {
  return _mm512_add_epi32(acc, _mm512_madd_epi16(a, b));
}
__attribute__((target("avx512f"))) QOPT_ALWAYS_INLINE __m512i
load512(const void *p) {
  return _mm512_loadu_si512(p);
}
__attribute__((target("avx512f"))) QOPT_ALWAYS_INLINE void store512(void *p,
                                                                    __m512i v) {
  _mm512_storeu_si512(p, v);
}

__attribute__((target("avx512f,avx512bw"))) void
tileAVX512(int64_t kp, const int32_t *a, const int16_t *b, int32_t *c) {
  QOPT_TILE_BODY(__m512i, _mm512_setzero_si512, _mm512_set1_epi32, load512,
                 store512, maddAVX512, 8, 2, 16)
}

__attribute__((target("avx512f,avx512bw,avx512vnni"))) QOPT_ALWAYS_INLINE
    __m512i
    maddAVX512VNNI(__m512i acc, __m512i a, __m512i b) {
  return _mm512_dpwssd_epi32(acc, a, b);
}

__attribute__((target("avx512f,avx512bw,avx512vnni"))) void
tileAVX512VNNI(int64_t kp, const int32_t *a, const int16_t *b, int32_t *c) {
  QOPT_TILE_BODY(__m512i, _mm512_setzero_si512, _mm512_set1_epi32, load512,
                 store512, maddAVX512VNNI, 8, 2, 16)
}

/// Plain C++: products of two int16 fit int32; their sums wrap, so they are
/// taken in uint32 (signed overflow would be undefined).
void tileGeneric(int64_t kp, const int32_t *a, const int16_t *b, int32_t *c) {
  constexpr int MR = 4, NR = 8;
  uint32_t acc[MR][NR] = {};
  for (int64_t p = 0; p < kp; ++p) {
    for (int r = 0; r < MR; ++r) {
      uint32_t word = static_cast<uint32_t>(a[r]);
      int32_t a0 = static_cast<int16_t>(word & 0xffff);
      int32_t a1 = static_cast<int16_t>(word >> 16);
      for (int j = 0; j < NR; ++j)
        acc[r][j] += static_cast<uint32_t>(a0 * b[2 * j]) +
                     static_cast<uint32_t>(a1 * b[2 * j + 1]);
    }
    a += MR;
    b += 2 * NR;
  }
  for (int r = 0; r < MR; ++r)
    for (int j = 0; j < NR; ++j)
      c[r * NR + j] = static_cast<int32_t>(acc[r][j]);
}

/// One requantized element (the vector loops' tails): round_half_up((acc +
/// bias)·m, s) + zero point, clamped, then the optional second stage
/// clamp(lut[y] + add, lo2, hi2). The bias is added with int32 wrap-around,
/// as the int32 tile would hold it.
int8_t requantScalar(int32_t acc, uint32_t bias, int64_t m, int64_t s,
                     int64_t outZp, int64_t qmin, int64_t qmax,
                     const int32_t *lut, int64_t add, int64_t lo2,
                     int64_t hi2) {
  int64_t v = static_cast<int64_t>(
                  static_cast<int32_t>(static_cast<uint32_t>(acc) + bias)) *
              m;
  int64_t y = (v >> s) + ((v >> (s - 1)) & 1) + outZp;
  y = std::min(std::max(y, qmin), qmax);
  if (lut)
    y = std::min(std::max(int64_t(lut[y]) + add, lo2), hi2);
  return static_cast<int8_t>(y);
}

/// round_half_up(a·m, 32 + sp) in 8 lanes, one multiplier m (in both halves
/// of each 64-bit lane of vm): signed 32×32→64 products of the even and the
/// odd lanes, whose high words are a·m >> 32; count and countHalf hold sp
/// and sp - 1 (sp > 0), or the rounding bit is the low word's top bit.
__attribute__((target("avx2"))) QOPT_ALWAYS_INLINE __m256i
rescaleLanesAVX2(__m256i a, __m256i vm, int sp, __m128i count,
                 __m128i countHalf, __m256i one) {
  __m256i even = _mm256_mul_epi32(a, vm);
  __m256i odd = _mm256_mul_epi32(_mm256_srli_epi64(a, 32), vm);
  __m256i hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
  if (sp > 0) {
    __m256i half = _mm256_and_si256(_mm256_sra_epi32(hi, countHalf), one);
    return _mm256_add_epi32(_mm256_sra_epi32(hi, count), half);
  }
  __m256i lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  return _mm256_add_epi32(hi, _mm256_srli_epi32(lo, 31));
}

/// The second stage in 8 lanes: a gather of the table at y, + add, clamp.
__attribute__((target("avx2"))) QOPT_ALWAYS_INLINE __m256i
secondStageAVX2(__m256i y, const int32_t *lut, __m256i vadd, __m256i vlo2,
                __m256i vhi2) {
  return _mm256_min_epi32(
      _mm256_max_epi32(
          _mm256_add_epi32(_mm256_i32gather_epi32(lut, y, 4), vadd), vlo2),
      vhi2);
}

/// RequantRowsFn: the dyadic rescale (rescaleLanesAVX2) and the second
/// stage over a whole tile, the row's parameters broadcast once per row;
/// the 8 results of a vector are gathered into its low 8 bytes by one
/// permute and stored at once.
__attribute__((target("avx2"))) void
requantRowsAVX2(const int32_t *src, int64_t rows, int64_t srcStride,
                int64_t cols, const int32_t *bias, const int64_t *m, int64_t m0,
                const int64_t *s, int64_t s0, int64_t outZp, int64_t qmin,
                int64_t qmax, const int32_t *lut, const int32_t *add,
                int64_t lo2, int64_t hi2, int8_t *dst, int64_t dstStride) {
  const __m256i vz = _mm256_set1_epi32(static_cast<int32_t>(outZp));
  const __m256i vlo = _mm256_set1_epi32(static_cast<int32_t>(qmin));
  const __m256i vhi = _mm256_set1_epi32(static_cast<int32_t>(qmax));
  const __m256i vlo2 = _mm256_set1_epi32(static_cast<int32_t>(lo2));
  const __m256i vhi2 = _mm256_set1_epi32(static_cast<int32_t>(hi2));
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i gatherLow = _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0);
  for (int64_t r = 0; r < rows; ++r) {
    const int32_t *in = src + r * srcStride;
    int8_t *out = dst + r * dstStride;
    const uint32_t b = bias ? static_cast<uint32_t>(bias[r]) : 0u;
    const int64_t mr = m ? m[r] : m0, sr = s ? s[r] : s0;
    const int32_t ar = add ? add[r] : 0;
    const __m256i vb = _mm256_set1_epi32(static_cast<int32_t>(b));
    const __m256i vm = _mm256_set1_epi64x(mr);
    const __m256i vadd = _mm256_set1_epi32(ar);
    const int sp = static_cast<int>(sr - 32);
    const __m128i count = _mm_cvtsi32_si128(sp);
    const __m128i countHalf = _mm_cvtsi32_si128(sp > 0 ? sp - 1 : 0);
    int64_t j = 0;
    for (; j + 8 <= cols; j += 8) {
      __m256i a = _mm256_add_epi32(
          _mm256_loadu_si256(reinterpret_cast<const __m256i *>(in + j)), vb);
      __m256i y = rescaleLanesAVX2(a, vm, sp, count, countHalf, one);
      y = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(y, vz), vlo), vhi);
      if (lut)
        y = secondStageAVX2(y, lut, vadd, vlo2, vhi2);
      // Bytes 0-3 of each 128-bit half hold the 8 results: one permute
      // brings them together.
      __m256i w = _mm256_packs_epi16(_mm256_packs_epi32(y, y), y);
      w = _mm256_permutevar8x32_epi32(w, gatherLow);
      _mm_storel_epi64(reinterpret_cast<__m128i *>(out + j),
                       _mm256_castsi256_si128(w));
    }
    for (; j < cols; ++j)
      out[j] = requantScalar(in[j], b, mr, sr, outZp, qmin, qmax, lut, ar, lo2,
                             hi2);
  }
}

/// RequantRowFn: one row through requantRowsAVX2 (same lanes, same
/// rounding), its scalars passed as one-element arrays.
__attribute__((target("avx2"))) void
requantRowAVX2(const int32_t *src, int64_t cols, uint32_t bias, int64_t m,
               int64_t s, int64_t outZp, int64_t qmin, int64_t qmax,
               const int32_t *lut, int32_t add, int64_t lo2, int64_t hi2,
               int8_t *dst) {
  const int32_t b = static_cast<int32_t>(bias);
  requantRowsAVX2(src, 1, cols, cols, &b, nullptr, m, nullptr, s, outZp, qmin,
                  qmax, lut, &add, lo2, hi2, dst, cols);
}

/// The per-column parameters of 8 columns (RequantColsFn), in lanes.
struct ColParamsAVX2 {
  __m256i bias, m, mOdd, sp, roundEven, roundOdd, add;
};

__attribute__((target("avx2"))) QOPT_ALWAYS_INLINE ColParamsAVX2
loadColParamsAVX2(const int32_t *bias, const int32_t *m, const int32_t *s,
                  const int32_t *add) {
#define QOPT_LOAD8(p) _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p))
  ColParamsAVX2 c;
  const __m256i zero = _mm256_setzero_si256();
  c.bias = bias ? QOPT_LOAD8(bias) : zero;
  c.m = QOPT_LOAD8(m);
  c.mOdd = _mm256_srli_epi64(c.m, 32);
  const __m256i vs = QOPT_LOAD8(s);
  c.sp = _mm256_sub_epi32(vs, _mm256_set1_epi32(32)); // 0 .. 30
  // 2^(s - 1) in the 64-bit lanes of the even and of the odd columns.
  const __m256i one64 = _mm256_set1_epi64x(1);
  const __m256i sEven = _mm256_and_si256(vs, _mm256_set1_epi64x(0xffffffff));
  const __m256i sOdd = _mm256_srli_epi64(vs, 32);
  c.roundEven = _mm256_sllv_epi64(one64, _mm256_sub_epi64(sEven, one64));
  c.roundOdd = _mm256_sllv_epi64(one64, _mm256_sub_epi64(sOdd, one64));
  c.add = add ? QOPT_LOAD8(add) : zero;
#undef QOPT_LOAD8
  return c;
}

/// How the second stage (lut) is computed in requantLanesAVX2.
enum class SecondStage { None, Gather, Rescale64, Rescale32 };

/// 8 requantized lanes of one tile row (RequantColsFn). The first stage is
/// round_half_up(v, s) = floor((v + 2^(s-1)) / 2^s) on the 64-bit products
/// v = a·m (|v| <= 2^62, so adding 2^61 at most cannot overflow), whose high
/// words shifted by s - 32 are that floor for s in [32, 62]: no separate
/// rounding bit. The second stage: a gather of the table (Gather); the
/// table's rescale round_half_up((y - tZp)·tM, tS) on 64-bit products
/// (Rescale64); or, when (y - tZp)·2^(32-tS) fits int32 for every clamped
/// y (the caller checks), on those pre-shifted values, the result being
/// the high word of d·2^(32-tS)·tM + 2^31 (Rescale32: one add per product
/// and no 64-bit shifts).
template <SecondStage Stage>
__attribute__((target("avx2"))) QOPT_ALWAYS_INLINE __m256i
requantLanesAVX2(__m256i a, const ColParamsAVX2 &c, __m256i vz, __m256i vlo,
                 __m256i vhi, const int32_t *lut, __m256i vtz, __m256i vtm,
                 __m128i tCount, __m128i tCountHalf, __m128i preShift,
                 __m256i vlo2, __m256i vhi2) {
  a = _mm256_add_epi32(a, c.bias);
  __m256i even = _mm256_add_epi64(_mm256_mul_epi32(a, c.m), c.roundEven);
  __m256i odd = _mm256_add_epi64(
      _mm256_mul_epi32(_mm256_srli_epi64(a, 32), c.mOdd), c.roundOdd);
  __m256i hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
  __m256i y = _mm256_srav_epi32(hi, c.sp);
  y = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(y, vz), vlo), vhi);
  if constexpr (Stage == SecondStage::None)
    return y;
  __m256i t;
  if constexpr (Stage == SecondStage::Gather) {
    t = _mm256_i32gather_epi32(lut, y, 4);
  } else if constexpr (Stage == SecondStage::Rescale32) {
    const __m256i half = _mm256_set1_epi64x(int64_t(1) << 31);
    __m256i d = _mm256_sll_epi32(_mm256_sub_epi32(y, vtz), preShift);
    __m256i pe = _mm256_add_epi64(_mm256_mul_epi32(d, vtm), half);
    __m256i po = _mm256_add_epi64(
        _mm256_mul_epi32(_mm256_srli_epi64(d, 32), vtm), half);
    t = _mm256_blend_epi32(_mm256_srli_epi64(pe, 32), po, 0xAA);
  } else {
    // round_half_up((y - tZp)·tM, tS): 64-bit products of the even and odd
    // lanes; |y - tZp| < 2^21 and tM < 2^31 keep them below 2^52, and for
    // tS <= 32 the low 32 bits of the logical shifts are those of the
    // arithmetic ones (the table bounds the result).
    const __m256i one64 = _mm256_set1_epi64x(1);
    __m256i d = _mm256_sub_epi32(y, vtz);
    __m256i pe = _mm256_mul_epi32(d, vtm);
    __m256i po = _mm256_mul_epi32(_mm256_srli_epi64(d, 32), vtm);
    __m256i re = _mm256_add_epi64(
        _mm256_srl_epi64(pe, tCount),
        _mm256_and_si256(_mm256_srl_epi64(pe, tCountHalf), one64));
    __m256i ro = _mm256_add_epi64(
        _mm256_srl_epi64(po, tCount),
        _mm256_and_si256(_mm256_srl_epi64(po, tCountHalf), one64));
    t = _mm256_blend_epi32(re, _mm256_slli_epi64(ro, 32), 0xAA);
  }
  return _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(t, c.add), vlo2),
                          vhi2);
}

/// RequantColsFn for one second-stage mode: the columns' parameters loaded
/// once per 16 (then 8) columns of the tile and applied to each row; 16
/// results are packed into one 16-byte store (two packs and a permute).
template <SecondStage Stage>
__attribute__((target("avx2"))) QOPT_ALWAYS_INLINE void
requantColsBody(const int32_t *src, int64_t rows, int64_t srcStride,
                int64_t cols, const int32_t *bias, const int32_t *m,
                const int32_t *s, int64_t outZp, int64_t qmin, int64_t qmax,
                const int32_t *lut, const int32_t *add, int64_t lo2,
                int64_t hi2, int64_t tZp, int64_t tM, int64_t tS, int8_t *dst,
                int64_t dstStride) {
  const __m256i vz = _mm256_set1_epi32(static_cast<int32_t>(outZp));
  const __m256i vlo = _mm256_set1_epi32(static_cast<int32_t>(qmin));
  const __m256i vhi = _mm256_set1_epi32(static_cast<int32_t>(qmax));
  const __m256i vlo2 = _mm256_set1_epi32(static_cast<int32_t>(lo2));
  const __m256i vhi2 = _mm256_set1_epi32(static_cast<int32_t>(hi2));
  const __m256i vtz = _mm256_set1_epi32(static_cast<int32_t>(tZp));
  const __m256i vtm = _mm256_set1_epi64x(tM);
  const __m128i tCount = _mm_cvtsi32_si128(static_cast<int>(tS));
  const __m128i tCountHalf =
      _mm_cvtsi32_si128(tS > 0 ? static_cast<int>(tS - 1) : 0);
  const __m128i preShift =
      _mm_cvtsi32_si128(tS > 0 && tS <= 32 ? static_cast<int>(32 - tS) : 0);
  // Dwords 0 and 4 of a twice-packed vector hold lanes 0-3 and 4-7 of its
  // first source, 1 and 5 those of the second.
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  int64_t j = 0;
  for (; j + 16 <= cols; j += 16) {
    const ColParamsAVX2 c0 = loadColParamsAVX2(
        bias ? bias + j : nullptr, m + j, s + j, add ? add + j : nullptr);
    const ColParamsAVX2 c1 =
        loadColParamsAVX2(bias ? bias + j + 8 : nullptr, m + j + 8, s + j + 8,
                          add ? add + j + 8 : nullptr);
    for (int64_t r = 0; r < rows; ++r) {
      const int32_t *in = src + r * srcStride + j;
      __m256i y0 = requantLanesAVX2<Stage>(
          _mm256_loadu_si256(reinterpret_cast<const __m256i *>(in)), c0, vz,
          vlo, vhi, lut, vtz, vtm, tCount, tCountHalf, preShift, vlo2, vhi2);
      __m256i y1 = requantLanesAVX2<Stage>(
          _mm256_loadu_si256(reinterpret_cast<const __m256i *>(in + 8)), c1,
          vz, vlo, vhi, lut, vtz, vtm, tCount, tCountHalf, preShift, vlo2,
          vhi2);
      __m256i w = _mm256_packs_epi32(y0, y1);
      w = _mm256_permutevar8x32_epi32(_mm256_packs_epi16(w, w), order);
      _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + r * dstStride + j),
                       _mm256_castsi256_si128(w));
    }
  }
  for (; j + 8 <= cols; j += 8) {
    const ColParamsAVX2 c = loadColParamsAVX2(
        bias ? bias + j : nullptr, m + j, s + j, add ? add + j : nullptr);
    for (int64_t r = 0; r < rows; ++r) {
      __m256i y = requantLanesAVX2<Stage>(
          _mm256_loadu_si256(
              reinterpret_cast<const __m256i *>(src + r * srcStride + j)),
          c, vz, vlo, vhi, lut, vtz, vtm, tCount, tCountHalf, preShift, vlo2,
          vhi2);
      __m256i w = _mm256_packs_epi32(y, y);
      w = _mm256_permutevar8x32_epi32(_mm256_packs_epi16(w, w), order);
      _mm_storel_epi64(reinterpret_cast<__m128i *>(dst + r * dstStride + j),
                       _mm256_castsi256_si128(w));
    }
  }
  for (; j < cols; ++j)
    for (int64_t r = 0; r < rows; ++r)
      dst[r * dstStride + j] = requantScalar(
          src[r * srcStride + j], bias ? static_cast<uint32_t>(bias[j]) : 0u,
          m[j], s[j], outZp, qmin, qmax, lut, add ? add[j] : 0, lo2, hi2);
}

/// RequantColsFn: requantRowsAVX2 with m, s, bias and add loaded per lane
/// (requantColsBody), the shifts varying per lane (vpsravd); the second
/// stage's mode chosen once per call.
__attribute__((target("avx2"))) void
requantColsAVX2(const int32_t *src, int64_t rows, int64_t srcStride,
                int64_t cols, const int32_t *bias, const int32_t *m,
                const int32_t *s, int64_t outZp, int64_t qmin, int64_t qmax,
                const int32_t *lut, const int32_t *add, int64_t lo2,
                int64_t hi2, int64_t tZp, int64_t tM, int64_t tS, int8_t *dst,
                int64_t dstStride) {
#define QOPT_REQUANT_COLS(STAGE)                                               \
  requantColsBody<STAGE>(src, rows, srcStride, cols, bias, m, s, outZp, qmin,  \
                         qmax, lut, add, lo2, hi2, tZp, tM, tS, dst,           \
                         dstStride)
  if (!lut) {
    QOPT_REQUANT_COLS(SecondStage::None);
  } else if (!tS) {
    QOPT_REQUANT_COLS(SecondStage::Gather);
  } else {
    // Rescale32 needs |y - tZp|·2^(32-tS) < 2^31 for y in [qmin, qmax].
    int64_t reach = std::max(std::abs(qmin - tZp), std::abs(qmax - tZp));
    if (tS >= 1 && tS <= 32 && (reach << (32 - tS)) < (int64_t(1) << 31))
      QOPT_REQUANT_COLS(SecondStage::Rescale32);
    else
      QOPT_REQUANT_COLS(SecondStage::Rescale64);
  }
#undef QOPT_REQUANT_COLS
}

/// PackAFn for the AVX2 and AVX-512 kernels (MR = 6 or 8): 16 int8 values of
/// each of the panel's rows are widened to int16 and the zero point
/// subtracted (the differences fit int16, Int8Kernels.h), giving 8 pair
/// words per row; an 8×8 transpose of 32-bit words (unpack of 32- then of
/// 64-bit elements, rows past m being zero vectors) puts them in the
/// panel's [kp][MR] order, stored as 16 + 8 (MR = 6) or 16 + 16 bytes per
/// k-pair. The scalar loop did one word at a time with strided stores.
template <int MR>
__attribute__((target("avx2"))) QOPT_ALWAYS_INLINE void
packRowsBody(const int8_t *a, int64_t rsa, int32_t zp, int64_t m, int64_t k,
             int32_t *out) {
  static_assert(MR == 6 || MR == 8, "the transpose handles 6 or 8 rows");
  const int64_t kp = (k + 1) / 2, full = k / 16 * 8; // pairs in vectors
  const __m256i vzp = _mm256_set1_epi16(static_cast<int16_t>(zp));
  for (int64_t i0 = 0; i0 < m; i0 += MR) {
    int32_t *panel = out + i0 * kp;
    const int rows = static_cast<int>(std::min<int64_t>(MR, m - i0));
    for (int64_t p0 = 0; p0 < full; p0 += 8) {
      __m256i v[8];
      for (int r = 0; r < 8; ++r)
        v[r] = r < rows ? _mm256_sub_epi16(
                              _mm256_cvtepi8_epi16(_mm_loadu_si128(
                                  reinterpret_cast<const __m128i *>(
                                      a + (i0 + r) * rsa + 2 * p0))),
                              vzp)
                        : _mm256_setzero_si256();
      // t: rows 2i, 2i+1 interleaved; u (rows 0-3) and w (rows 4-7): word q
      // of four rows in lane q % 4 of 128-bit half q / 4.
      __m256i t[8];
      for (int i = 0; i < 4; ++i) {
        t[2 * i] = _mm256_unpacklo_epi32(v[2 * i], v[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_epi32(v[2 * i], v[2 * i + 1]);
      }
      __m256i u[4] = {_mm256_unpacklo_epi64(t[0], t[2]),
                      _mm256_unpackhi_epi64(t[0], t[2]),
                      _mm256_unpacklo_epi64(t[1], t[3]),
                      _mm256_unpackhi_epi64(t[1], t[3])};
      __m256i w[4] = {_mm256_unpacklo_epi64(t[4], t[6]),
                      _mm256_unpackhi_epi64(t[4], t[6]),
                      _mm256_unpacklo_epi64(t[5], t[7]),
                      _mm256_unpackhi_epi64(t[5], t[7])};
      for (int q = 0; q < 8; ++q) {
        int32_t *dst = panel + (p0 + q) * MR;
        __m128i lo = q < 4 ? _mm256_castsi256_si128(u[q])
                           : _mm256_extracti128_si256(u[q - 4], 1);
        __m128i hi = q < 4 ? _mm256_castsi256_si128(w[q])
                           : _mm256_extracti128_si256(w[q - 4], 1);
        _mm_storeu_si128(reinterpret_cast<__m128i *>(dst), lo);
        if (MR == 8)
          _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + 4), hi);
        else
          _mm_storel_epi64(reinterpret_cast<__m128i *>(dst + 4), hi);
      }
    }
    // The last pairs (k not a multiple of 16), the odd k's partner 0.
    for (int64_t p = full; p < kp; ++p)
      for (int r = 0; r < MR; ++r) {
        uint32_t word = 0;
        if (r < rows) {
          const int8_t *row = a + (i0 + r) * rsa;
          int32_t lo = row[2 * p] - zp, hi = 2 * p + 1 < k ? row[2 * p + 1] - zp : 0;
          word = static_cast<uint32_t>(static_cast<uint16_t>(lo)) |
                 (static_cast<uint32_t>(static_cast<uint16_t>(hi)) << 16);
        }
        panel[p * MR + r] = static_cast<int32_t>(word);
      }
  }
}

__attribute__((target("avx2"))) void packRows6(const int8_t *a, int64_t rsa,
                                               int32_t zp, int64_t m,
                                               int64_t k, int32_t *out) {
  packRowsBody<6>(a, rsa, zp, m, k, out);
}

__attribute__((target("avx2"))) void packRows8(const int8_t *a, int64_t rsa,
                                               int32_t zp, int64_t m,
                                               int64_t k, int32_t *out) {
  packRowsBody<8>(a, rsa, zp, m, k, out);
}

IgemmKernel choose() {
  const char *forced = std::getenv("QOPT_ISA");
  auto allowed = [&](const char *isa) {
    return !forced || std::strcmp(forced, isa) == 0;
  };
  __builtin_cpu_init();
  bool avx512 = __builtin_cpu_supports("avx512f") &&
                __builtin_cpu_supports("avx512bw");
  if (allowed("avx512vnni") && avx512 && __builtin_cpu_supports("avx512vnni"))
    return {tileAVX512VNNI, 8, 32, "avx512vnni", requantRowAVX2, requantColsAVX2,
            requantRowsAVX2, packRows8};
  if (allowed("avx512") && avx512)
    return {tileAVX512, 8, 32, "avx512", requantRowAVX2, requantColsAVX2,
            requantRowsAVX2, packRows8};
  if (allowed("avxvnni") && __builtin_cpu_supports("avx2") &&
      __builtin_cpu_supports("avxvnni"))
    return {tileAVXVNNI, 6, 16, "avxvnni", requantRowAVX2, requantColsAVX2,
            requantRowsAVX2, packRows6};
  // (QOPT_ISA=avx512 on a CPU without it falls back as the f32 kernels do.)
  if ((allowed("avx2") || allowed("avx512")) && __builtin_cpu_supports("avx2"))
    return {tileAVX2, 6, 16, "avx2", requantRowAVX2, requantColsAVX2,
            requantRowsAVX2, packRows6};
  return {tileGeneric, 4, 8, "generic", nullptr};
}

} // namespace

const IgemmKernel &qopt_rt::selectIgemmKernel() {
  static const IgemmKernel kernel = choose();
  return kernel;
}
