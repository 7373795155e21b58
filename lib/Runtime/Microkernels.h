//===- Microkernels.h - the runtime's per-ISA inner kernels -----*- C++ -*-===//

#ifndef QOPT_LIB_RUNTIME_MICROKERNELS_H
#define QOPT_LIB_RUNTIME_MICROKERNELS_H

#include <atomic>
#include <cstdint>

/// Loops the compiler vectorizes get one clone per instruction set level
/// (x86-64-v4 = AVX-512, v3 = AVX2+FMA, and the baseline), chosen by the
/// loader from the CPU's features.
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) &&                  \
    !__has_feature(address_sanitizer)
#define QOPT_RT_VECTORIZED                                                     \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define QOPT_RT_VECTORIZED
#endif

namespace qopt_rt {

/// C[0:mr, 0:nr] (+)= Apanel · Bpanel over kc steps. Apanel is [kc][mr],
/// Bpanel [kc][nr] (packed); C has row stride rsc and unit column stride.
using SgemmTileFn = void (*)(int64_t kc, const float *a, const float *b,
                             float *c, int64_t rsc, bool accumulate);

struct SgemmKernel {
  SgemmTileFn fn;
  int mr, nr;
  const char *isa;
};

/// The best kernel for this CPU, chosen once (QOPT_ISA=generic|avx2|avx512
/// restricts the choice, for testing every path on one machine;
/// QOPT_ISA=avx512emu runs AVX-512's tiles in AVX2 code, see SimdISA.h).
const SgemmKernel &selectSgemmKernel();

/// The kernel for a product of n columns: selectSgemmKernel()'s, except
/// that AVX-512 (and its emulation) take a 16 × 16 tile for n ≤ 16. The
/// sums are the same (each an FMA chain per K slab).
const SgemmKernel &selectSgemmKernel(int64_t n);

/// Packs depth [k0, k0+kc) × columns [j0, j0+nc) of a B matrix that exists
/// only implicitly (a convolution's im2col matrix) into NR-column panels
/// laid out [panel][k][c], zero-padding the last panel: what gemm's own
/// packing of an explicit B produces.
using PackBFn = void (*)(const void *ctx, int64_t k0, int64_t kc, int64_t j0,
                         int64_t nc, int nr, float *dst);

/// An elementwise tail applied to each element of C once its sum is
/// complete (see qopt_rt_conv2d_nchw_f32_epilogue): a per-row or scalar
/// bias, a residual tensor laid out like C, then a lower and an upper clamp,
/// each optional.
struct Epilogue {
  const float *bias = nullptr; // per row of C
  // The residual element of C's element at address p is at p + this many
  // bytes (the residual has C's layout).
  intptr_t residualDelta = 0;
  float biasScalar = 0.0f, lo = 0.0f, hi = 0.0f;
  int64_t flags = 0; // QOPT_RT_EPI_* bits
};

/// arith.maximumf / arith.minimumf: NaN propagates and -0 < +0. Written
/// with selects only, so that the loops below vectorize.
__attribute__((always_inline)) inline float maximumF(float a, float b) {
  float m = a > b ? a : b;
  m = a == b ? (__builtin_signbit(a) ? b : a) : m;
  return a != a || b != b ? a + b : m;
}
__attribute__((always_inline)) inline float minimumF(float a, float b) {
  float m = a < b ? a : b;
  m = a == b ? (__builtin_signbit(a) ? a : b) : m;
  return a != a || b != b ? a + b : m;
}

typedef float EpiV8 __attribute__((vector_size(32)));
typedef int32_t EpiI8 __attribute__((vector_size(32)));

/// Eight copies of x. (`EpiV8{} + x` is not one: +0 + -0 is +0, which
/// turned a clamp bound of -0 into +0.)
#define splatV(x) (EpiV8{(x), (x), (x), (x), (x), (x), (x), (x)})

/// maximumF / minimumF on 8 lanes.
__attribute__((always_inline)) inline EpiV8 maximumV(EpiV8 a, EpiV8 b) {
  EpiI8 bits;
  __builtin_memcpy(&bits, &a, sizeof(bits));
  EpiV8 m = a > b ? a : b;
  m = a == b ? (bits < 0 ? b : a) : m;
  return ((a != a) | (b != b)) ? a + b : m;
}
__attribute__((always_inline)) inline EpiV8 minimumV(EpiV8 a, EpiV8 b) {
  EpiI8 bits;
  __builtin_memcpy(&bits, &a, sizeof(bits));
  EpiV8 m = a < b ? a : b;
  m = a == b ? (bits < 0 ? a : b) : m;
  return ((a != a) | (b != b)) ? a + b : m;
}

/// Whether the clamps of `flags` may take FAST_CLAMPS_V8: a lower bound
/// that is neither NaN nor -0 and an upper bound neither NaN nor +0. Then
/// maximumF(v, lo) is `v > lo ? v : lo` (one vmaxps; v = ±0 = lo gives
/// +0, as maximumF does) except for a NaN v, which gives v + lo, and
/// minimumF(v, hi) likewise `v < hi ? v : hi` or v + hi: a third of the
/// instructions of maximumV + minimumV (ReLU6 after a shallow 1×1
/// convolution cost about as much as the convolution's sums).
__attribute__((always_inline)) inline bool fastClamps(int64_t flags, float lo,
                                                      float hi) {
  bool loOk = lo == lo && !(lo == 0.0f && __builtin_signbit(lo));
  bool hiOk = hi == hi && !(hi == 0.0f && !__builtin_signbit(hi));
  return (!(flags & 4) || loOk) && (!(flags & 8) || hiOk);
}

/// The clamps of `flags` on the EpiV8 `v` when fastClamps holds (a macro,
/// not a function: it is expanded in code compiled for different ISAs).
#define FAST_CLAMPS_V8(v, flags, lo, hi)                                       \
  do {                                                                         \
    EpiV8 clamped = v, nanResult = v;                                          \
    if ((flags)&4) {                                                           \
      clamped = clamped > (lo) ? clamped : splatV(lo);                         \
      nanResult = nanResult + (lo);                                            \
    }                                                                          \
    if ((flags)&8) {                                                           \
      clamped = clamped < (hi) ? clamped : splatV(hi);                         \
      nanResult = nanResult + (hi);                                            \
    }                                                                          \
    v = v != v ? nanResult : clamped;                                          \
  } while (false)

/// Applies `e` to `count` elements of row `row` of C starting at `c`,
/// `stride` elements apart: v = ((v + bias) + residual), clamped.
__attribute__((always_inline)) inline void
applyEpilogue(const Epilogue &e, int64_t row, float *c, int64_t count,
              int64_t stride) {
  // Only formed when there is a residual: without one, residualDelta may
  // point c anywhere (e.g. to null), which is undefined pointer arithmetic.
  const float *r = e.flags & 16
                       ? reinterpret_cast<const float *>(
                             reinterpret_cast<const char *>(c) + e.residualDelta)
                       : nullptr;
  if (stride != 1) {
    float bias = e.flags & 1 ? e.bias[row] : e.biasScalar;
    for (int64_t j = 0; j < count; ++j) {
      float v = c[j * stride];
      if (e.flags & 3)
        v = v + bias;
      if (e.flags & 16)
        v = r[j * stride] + v;
      if (e.flags & 4)
        v = maximumF(v, e.lo);
      if (e.flags & 8)
        v = minimumF(v, e.hi);
      c[j * stride] = v;
    }
    return;
  }
  // Whole 8-float vectors with explicit vector code (the rows are 8 to 32
  // floats: too short for the loop vectorizer's main loop), then the tail.
  // Locals: stores through c could alias e's fields as far as the
  // compiler knows.
  const float bias = e.flags & 1 ? e.bias[row] : e.biasScalar, lo = e.lo,
              hi = e.hi;
  const int64_t flags = e.flags;
  const bool fast = fastClamps(flags, lo, hi);
  int64_t j = 0;
  for (; j + 8 <= count; j += 8) {
    EpiV8 v, res;
    __builtin_memcpy(&v, c + j, sizeof(v));
    if (flags & 3)
      v = v + bias;
    if (flags & 16) {
      __builtin_memcpy(&res, r + j, sizeof(res));
      v = res + v;
    }
    if (fast) {
      FAST_CLAMPS_V8(v, flags, lo, hi);
    } else {
      if (flags & 4)
        v = maximumV(v, splatV(lo));
      if (flags & 8)
        v = minimumV(v, splatV(hi));
    }
    __builtin_memcpy(c + j, &v, sizeof(v));
  }
  for (; j < count; ++j) {
    float v = c[j];
    if (flags & 3)
      v = v + bias;
    if (flags & 16)
      v = r[j] + v;
    if (flags & 4)
      v = maximumF(v, lo);
    if (flags & 8)
      v = minimumF(v, hi);
    c[j] = v;
  }
}

/// The grain with which a kernel of `macs` multiply-adds in `count` tasks
/// is split over the pool (qopt_rt_parallel_for), so that each chunk has
/// some 2^19 multiply-adds at least; 0 when it is better run whole on the
/// calling thread. The kernels' results do not depend on the split.
int64_t parallelGrain(int64_t count, int64_t macs);

/// How many threads `macs` multiply-adds can feed, at some 2^19 each
/// (parallelGrain's rule), at most the pool's thread count.
int64_t usefulThreads(int64_t macs);

/// The f32 matrix product behind qopt_rt_sgemm. With `aCache` (`bCache`),
/// A (B) is constant: it is packed once into a buffer that *aCache
/// (*bCache) then holds.
void sgemm(int64_t m, int64_t n, int64_t k, const float *a, int64_t rsa,
           int64_t csa, const float *b, int64_t rsb, int64_t csb, float *c,
           int64_t rsc, int64_t csc, bool accumulate,
           std::atomic<float *> *aCache = nullptr,
           std::atomic<float *> *bCache = nullptr,
           const Epilogue *epilogue = nullptr);

/// `batch` such products (qopt_rt_sgemm_batched), the operands of each
/// `sba`, `sbb`, `sbc` elements after the last's, in one job: the threads
/// take whole products or parts of them, as the sizes feed them.
void sgemmBatched(int64_t batch, int64_t m, int64_t n, int64_t k,
                  const float *a, int64_t sba, int64_t rsa, int64_t csa,
                  const float *b, int64_t sbb, int64_t rsb, int64_t csb,
                  float *c, int64_t sbc, int64_t rsc, int64_t csc,
                  bool accumulate);

/// The same product with B given by its packing function (implicit GEMM):
/// each thread packs the panels of the columns it computes, so B is never
/// materialised whole.
void sgemmImplicitB(int64_t m, int64_t n, int64_t k, const float *a,
                    int64_t rsa, int64_t csa, PackBFn packB,
                    const void *packBContext, float *c, int64_t rsc,
                    int64_t csc, bool accumulate,
                    std::atomic<float *> *aCache = nullptr,
                    const Epilogue *epilogue = nullptr);

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_MICROKERNELS_H
