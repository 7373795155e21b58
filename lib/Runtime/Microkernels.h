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
/// restricts the choice, for testing every path on one machine).
const SgemmKernel &selectSgemmKernel();

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
inline float maximumF(float a, float b) {
  float m = a > b ? a : b;
  m = a == b ? (__builtin_signbit(a) ? b : a) : m;
  return a != a || b != b ? a + b : m;
}
inline float minimumF(float a, float b) {
  float m = a < b ? a : b;
  m = a == b ? (__builtin_signbit(a) ? a : b) : m;
  return a != a || b != b ? a + b : m;
}

/// Applies `e` to `count` elements of row `row` of C starting at `c`,
/// `stride` elements apart: v = ((v + bias) + residual), clamped.
inline void applyEpilogue(const Epilogue &e, int64_t row, float *c,
                          int64_t count, int64_t stride) {
  float bias = e.flags & 1 ? e.bias[row] : e.biasScalar;
  bool addBias = e.flags & 3, clampLo = e.flags & 4, clampHi = e.flags & 8,
       residual = e.flags & 16;
  const float *r = reinterpret_cast<const float *>(
      reinterpret_cast<const char *>(c) + e.residualDelta);
  auto one = [&](float v, float res) {
    if (addBias)
      v = v + bias;
    if (residual)
      v = res + v;
    if (clampLo)
      v = maximumF(v, e.lo);
    if (clampHi)
      v = minimumF(v, e.hi);
    return v;
  };
  if (stride == 1) {
    for (int64_t j = 0; j < count; ++j)
      c[j] = one(c[j], residual ? r[j] : 0.0f);
    return;
  }
  for (int64_t j = 0; j < count; ++j)
    c[j * stride] = one(c[j * stride], residual ? r[j * stride] : 0.0f);
}

/// The f32 matrix product behind qopt_rt_sgemm. With `aCache` (`bCache`),
/// A (B) is constant: it is packed once into a buffer that *aCache
/// (*bCache) then holds.
void sgemm(int64_t m, int64_t n, int64_t k, const float *a, int64_t rsa,
           int64_t csa, const float *b, int64_t rsb, int64_t csb, float *c,
           int64_t rsc, int64_t csc, bool accumulate,
           std::atomic<float *> *aCache = nullptr,
           std::atomic<float *> *bCache = nullptr,
           const Epilogue *epilogue = nullptr);

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
