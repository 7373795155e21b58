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

IgemmKernel choose() {
  const char *forced = std::getenv("QOPT_ISA");
  auto allowed = [&](const char *isa) {
    return !forced || std::strcmp(forced, isa) == 0;
  };
  __builtin_cpu_init();
  bool avx512 = __builtin_cpu_supports("avx512f") &&
                __builtin_cpu_supports("avx512bw");
  if (allowed("avx512vnni") && avx512 && __builtin_cpu_supports("avx512vnni"))
    return {tileAVX512VNNI, 8, 32, "avx512vnni"};
  if (allowed("avx512") && avx512)
    return {tileAVX512, 8, 32, "avx512"};
  if (allowed("avxvnni") && __builtin_cpu_supports("avx2") &&
      __builtin_cpu_supports("avxvnni"))
    return {tileAVXVNNI, 6, 16, "avxvnni"};
  // (QOPT_ISA=avx512 on a CPU without it falls back as the f32 kernels do.)
  if ((allowed("avx2") || allowed("avx512")) && __builtin_cpu_supports("avx2"))
    return {tileAVX2, 6, 16, "avx2"};
  return {tileGeneric, 4, 8, "generic"};
}

} // namespace

const IgemmKernel &qopt_rt::selectIgemmKernel() {
  static const IgemmKernel kernel = choose();
  return kernel;
}
