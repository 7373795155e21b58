//===- Microkernels.cpp - MR×NR f32 tiles for AVX-512, AVX2 and SSE -------===//
//
// One templated kernel body, instantiated inside functions compiled for each
// instruction set (the target attribute), with GCC/Clang vector types: the
// compiler keeps the MR×NV accumulators in registers and emits FMAs where
// the target has them. Dispatch happens once, on the CPU's reported
// features.
//
//===----------------------------------------------------------------------===//

#include "Microkernels.h"

#include <cstdlib>
#include <cstring>
#include <immintrin.h>

using namespace qopt_rt;

namespace {

typedef float V4 __attribute__((vector_size(16)));
typedef float V8 __attribute__((vector_size(32)));
typedef float V16 __attribute__((vector_size(64)));

template <typename V>
__attribute__((always_inline)) inline V load(const float *p) {
  V v;
  std::memcpy(&v, p, sizeof(V));
  return v;
}
template <typename V>
__attribute__((always_inline)) inline void store(float *p, V v) {
  std::memcpy(p, &v, sizeof(V));
}

/// W copies of *p. Not `V{} + *p`: that adds 0 in a scalar register and
/// then broadcasts the register, two extra instructions per row and k,
/// and AVX-512's register broadcast runs on port 5, one of the two
/// 512-bit FMA ports on Intel cores: the 8×32 tile ran at half its FMA
/// rate (ResNet-18's GEMM-based layers at 28 to 36 GMAC/s on the AVX-512
/// machine, against 53 to 67 for Pointwise.cpp's broadcasts from memory).
/// A broadcast load needs no ALU port. The sums are the same: the
/// accumulators start at +0, so they are never -0, and +0 + p·b and
/// -0 + p·b differ only when the product is -0, which neither changes.
template <typename V, int W>
__attribute__((always_inline)) inline V splatLoad(const float *p) {
  V v;
  for (int i = 0; i < W; ++i)
    v[i] = *p;
  return v;
}

/// MR rows × NV vectors of W lanes.
template <typename V, int W, int MR, int NV>
__attribute__((always_inline)) inline void
tile(int64_t kc, const float *a, const float *b, float *c, int64_t rsc,
     bool accumulate) {
  V acc[MR][NV];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v)
      acc[r][v] = V{};
  for (int64_t k = 0; k < kc; ++k) {
    V bv[NV];
    for (int v = 0; v < NV; ++v)
      bv[v] = load<V>(b + v * W);
    for (int r = 0; r < MR; ++r) {
      V av = splatLoad<V, W>(a + r);
      for (int v = 0; v < NV; ++v)
        acc[r][v] = acc[r][v] + av * bv[v];
    }
    a += MR;
    b += NV * W;
  }
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) {
      float *p = c + r * rsc + v * W;
      store<V>(p, accumulate ? load<V>(p) + acc[r][v] : acc[r][v]);
    }
}

__attribute__((target("avx512f,avx512vl,fma"))) void
tileAVX512(int64_t kc, const float *a, const float *b, float *c, int64_t rsc,
           bool accumulate) {
  tile<V16, 16, 8, 2>(kc, a, b, c, rsc, accumulate);
}

/// 16 × 16 for products of at most 16 columns (the Winograd products of
/// ResNet-18's 7×7 and 14×14 planes have 16 tile columns): the 8 × 32 tile
/// would compute 16 columns of padding for every 16 it keeps. 16
/// accumulators; the A broadcasts fold into the FMAs as loads.
__attribute__((target("avx512f,avx512vl,fma"))) void
tileAVX512N16(int64_t kc, const float *a, const float *b, float *c,
              int64_t rsc, bool accumulate) {
  tile<V16, 16, 16, 1>(kc, a, b, c, rsc, accumulate);
}

__attribute__((target("avx2,fma"))) void
tileAVX512EmuN16(int64_t kc, const float *a, const float *b, float *c,
                 int64_t rsc, bool accumulate) {
  tile<V16, 16, 16, 1>(kc, a, b, c, rsc, accumulate);
}

/// tileAVX512's arithmetic (the same template, the same 8×32 tile) in code
/// for AVX2, where the 64-byte vectors become pairs of ymm registers:
/// QOPT_ISA=avx512emu, which runs the AVX-512 instantiations of the
/// convolution kernels (SimdISA.h) on machines without AVX-512, for tests.
__attribute__((target("avx2,fma"))) void
tileAVX512Emu(int64_t kc, const float *a, const float *b, float *c,
              int64_t rsc, bool accumulate) {
  tile<V16, 16, 8, 2>(kc, a, b, c, rsc, accumulate);
}

// AVX2 has 16 vector registers: 12 accumulators (6 rows × 2 vectors), two
// B vectors and one broadcast of A. Written with intrinsics so that the
// broadcast reads memory directly; the generic template form runs out of
// registers here and spills.
__attribute__((target("avx2,fma"))) void tileAVX2(int64_t kc, const float *a,
                                                   const float *b, float *c,
                                                   int64_t rsc,
                                                   bool accumulate) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int64_t k = 0; k < kc; ++k) {
    __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
    __m256 av = _mm256_broadcast_ss(a + 0);
    c00 = _mm256_fmadd_ps(av, b0, c00);
    c01 = _mm256_fmadd_ps(av, b1, c01);
    av = _mm256_broadcast_ss(a + 1);
    c10 = _mm256_fmadd_ps(av, b0, c10);
    c11 = _mm256_fmadd_ps(av, b1, c11);
    av = _mm256_broadcast_ss(a + 2);
    c20 = _mm256_fmadd_ps(av, b0, c20);
    c21 = _mm256_fmadd_ps(av, b1, c21);
    av = _mm256_broadcast_ss(a + 3);
    c30 = _mm256_fmadd_ps(av, b0, c30);
    c31 = _mm256_fmadd_ps(av, b1, c31);
    av = _mm256_broadcast_ss(a + 4);
    c40 = _mm256_fmadd_ps(av, b0, c40);
    c41 = _mm256_fmadd_ps(av, b1, c41);
    av = _mm256_broadcast_ss(a + 5);
    c50 = _mm256_fmadd_ps(av, b0, c50);
    c51 = _mm256_fmadd_ps(av, b1, c51);
    a += 6;
    b += 16;
  }
  __m256 rows[6][2] = {{c00, c01}, {c10, c11}, {c20, c21},
                       {c30, c31}, {c40, c41}, {c50, c51}};
  for (int r = 0; r < 6; ++r)
    for (int v = 0; v < 2; ++v) {
      float *p = c + r * rsc + v * 8;
      __m256 value = rows[r][v];
      if (accumulate)
        value = _mm256_add_ps(_mm256_loadu_ps(p), value);
      _mm256_storeu_ps(p, value);
    }
}

void tileGeneric(int64_t kc, const float *a, const float *b, float *c,
                 int64_t rsc, bool accumulate) {
  tile<V4, 4, 4, 2>(kc, a, b, c, rsc, accumulate);
}

SgemmKernel choose() {
  const char *forced = std::getenv("QOPT_ISA");
  auto allowed = [&](const char *isa) {
    return !forced || std::strcmp(forced, isa) == 0;
  };
  __builtin_cpu_init();
  // Only when asked for by name (slow: a test mode).
  if (forced && std::strcmp(forced, "avx512emu") == 0 &&
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return {tileAVX512Emu, 8, 32, "avx512emu"};
  if (allowed("avx512") && __builtin_cpu_supports("avx512f") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma"))
    return {tileAVX512, 8, 32, "avx512"};
  if ((allowed("avx2") || allowed("avx512")) &&
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return {tileAVX2, 6, 16, "avx2"};
  return {tileGeneric, 4, 8, "generic"};
}

} // namespace

const SgemmKernel &qopt_rt::selectSgemmKernel() {
  static const SgemmKernel kernel = choose();
  return kernel;
}

const SgemmKernel &qopt_rt::selectSgemmKernel(int64_t n) {
  static const SgemmKernel narrow = [] {
    SgemmKernel main = selectSgemmKernel();
    if (main.fn == tileAVX512)
      return SgemmKernel{tileAVX512N16, 16, 16, main.isa};
    if (main.fn == tileAVX512Emu)
      return SgemmKernel{tileAVX512EmuN16, 16, 16, main.isa};
    return main;
  }();
  return n <= 16 ? narrow : selectSgemmKernel();
}
