//===- MaxPool.cpp - f32 max pooling of NCHW planes -----------------------===//
//
// Max pooling was generated code: one elementwise loop over the strided
// slices of a padded copy of the input (QOptToLinalg's unrolled windows).
// LLVM left it scalar (its cost model does not vectorize 14-iteration
// loops of stride-2 loads), and each arith.maximumf became some eight
// scalar instructions: on the AVX-512 machine the fashion CNN's one pool
// took about as long as one of its convolutions, and ResNet-18's 3×3 pool
// first copied 3.2 MB into a padded buffer. Here:
//
// - No padded copy: each output row takes the window rows inside the
//   plane, and the columns whose windows lie inside it (all but a border of
//   pad / stride columns) go eight at a time, the rest one at a time with
//   bounds.
// - Eight outputs are one vector per window element: for stride 1 a load;
//   for stride 2 the even lanes of two loads (the second one 7 floats on,
//   so that nothing past the row's last input is read).
// - maximumV / maximumF (Microkernels.h) are arith.maximumf: NaN
//   propagates (as a + b), -0 < +0.
//
// The results are the linalg op's bit for bit: each output starts from
// -inf (or its own value when accumulating) and takes the window's
// elements in order, ky then kx. Padding elements are skipped: they are
// -inf, and maximumf(m, -inf) is m (m + -inf for a NaN m: the same NaN).
//
//===----------------------------------------------------------------------===//

#include "Microkernels.h"
#include "Profile.h"
#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>

namespace {

using qopt_rt::EpiV8;

struct PoolShape {
  int64_t h, w, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl;
  bool accumulate;
};

struct PoolJob {
  PoolShape s;
  const float *in;
  float *out;
};

__attribute__((always_inline)) inline EpiV8 load8(const float *p) {
  EpiV8 v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

/// Eight outputs from window element rows/columns at `p` with column
/// stride S (1 or 2): lanes p[0], p[S], ..., p[7·S], reading nothing past
/// p[7·S].
template <int S>
__attribute__((always_inline)) inline EpiV8 strided8(const float *p) {
  if constexpr (S == 1)
    return load8(p);
  EpiV8 lo = load8(p), hi = load8(p + 7);
  // lo holds p[0..7], hi p[7..14]: the even offsets are lo's lanes 0, 2,
  // 4, 6 and hi's lanes 1, 3, 5, 7.
  return __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 9, 11, 13, 15);
}

/// One plane. Output columns [xLo, xHi) have every window column inside
/// the plane; those of stride S ≤ 2 there go eight at a time.
template <int S>
__attribute__((always_inline)) inline void
poolPlane(const PoolShape &s, const float *in, float *out, int64_t xLo,
          int64_t xHi) {
  const float negInf = -std::numeric_limits<float>::infinity();
  for (int64_t y = 0; y < s.oh; ++y) {
    // The window rows inside the plane: ky in [kyLo, kyHi).
    int64_t top = y * s.sh - s.pt;
    int64_t kyLo = top >= 0 ? 0 : (-top + s.dh - 1) / s.dh;
    int64_t kyHi = std::min<int64_t>(
        s.kh, top >= s.h ? 0 : (s.h - 1 - top) / s.dh + 1);
    float *row = out + y * s.ow;
    auto scalar = [&](int64_t x) {
      float m = s.accumulate ? row[x] : negInf;
      int64_t left = x * s.sw - s.pl;
      for (int64_t ky = kyLo; ky < kyHi; ++ky) {
        const float *r = in + (top + ky * s.dh) * s.w;
        for (int64_t kx = 0; kx < s.kw; ++kx) {
          int64_t ix = left + kx * s.dw;
          if (ix >= 0 && ix < s.w)
            m = qopt_rt::maximumF(m, r[ix]);
        }
      }
      row[x] = m;
    };
    int64_t x = 0;
    for (; x < std::min(xLo, s.ow); ++x)
      scalar(x);
    if constexpr (S == 1 || S == 2) {
      auto vector = [&](int64_t x0) {
        EpiV8 m;
        if (s.accumulate)
          m = load8(row + x0);
        else
          m = EpiV8{negInf, negInf, negInf, negInf,
                    negInf, negInf, negInf, negInf};
        int64_t left = x0 * S - s.pl;
        for (int64_t ky = kyLo; ky < kyHi; ++ky) {
          const float *r = in + (top + ky * s.dh) * s.w + left;
          for (int64_t kx = 0; kx < s.kw; ++kx)
            m = qopt_rt::maximumV(m, strided8<S>(r + kx * s.dw));
        }
        std::memcpy(row + x0, &m, sizeof(m));
      };
      for (; x + 8 <= xHi; x += 8)
        vector(x);
      // The interior's last 1 to 7 outputs: a vector ending at its end,
      // overlapping the one before (those outputs are computed again, the
      // same way: the same values). Not when accumulating, where the
      // second pass would start from the first one's results. (A 14-wide
      // row, the fashion CNN's pool: two vectors instead of a vector and
      // six scalar outputs, which took 2/3 of the kernel's time.)
      if (x < xHi && xHi - xLo >= 8 && !s.accumulate) {
        vector(xHi - 8);
        x = xHi;
      }
    }
    for (; x < s.ow; ++x)
      scalar(x);
  }
}

QOPT_RT_VECTORIZED void poolPlanes(void *ctx, int64_t begin, int64_t end) {
  const PoolJob &j = *static_cast<const PoolJob *>(ctx);
  const PoolShape &s = j.s;
  // Output columns whose whole window lies inside the plane's columns:
  // x·sw - pl ≥ 0 and x·sw - pl + (kw - 1)·dw ≤ w - 1.
  int64_t xLo = (s.pl + s.sw - 1) / s.sw;
  int64_t last = s.w - 1 - (s.kw - 1) * s.dw + s.pl;
  int64_t xHi = last < 0 ? 0 : std::min<int64_t>(s.ow, last / s.sw + 1);
  xHi = std::max(xHi, xLo);
  for (int64_t p = begin; p < end; ++p) {
    const float *in = j.in + p * s.h * s.w;
    float *out = j.out + p * s.oh * s.ow;
    if (s.sw == 1)
      poolPlane<1>(s, in, out, xLo, xHi);
    else if (s.sw == 2)
      poolPlane<2>(s, in, out, xLo, xHi);
    else
      poolPlane<0>(s, in, out, xLo, xHi);
  }
}

} // namespace

extern "C" void qopt_rt_maxpool2d_nchw_f32(int64_t in, int64_t out,
                                           int64_t planes, int64_t h,
                                           int64_t w, int64_t oh, int64_t ow,
                                           int64_t kh, int64_t kw, int64_t sh,
                                           int64_t sw, int64_t dh, int64_t dw,
                                           int64_t pt, int64_t pl,
                                           int64_t accumulate) {
  qopt_rt::ProfileScope profile(
      "max pool f32", 0, [&](char *buffer, size_t size) {
        std::snprintf(buffer, size, "%lldx%lldx%lld -> %lldx%lld, %lldx%lld/%lld",
                      static_cast<long long>(planes),
                      static_cast<long long>(h), static_cast<long long>(w),
                      static_cast<long long>(oh), static_cast<long long>(ow),
                      static_cast<long long>(kh), static_cast<long long>(kw),
                      static_cast<long long>(sh));
      });
  if (planes <= 0 || oh <= 0 || ow <= 0)
    return;
  PoolJob job{{h, w, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl, accumulate != 0},
              reinterpret_cast<const float *>(in),
              reinterpret_cast<float *>(out)};
  // Some 128K window elements per thread (a few tens of microseconds)
  // pay for a hand-off: ResNet-18's pool (1.8M) takes 14 threads, the
  // fashion CNN's (12.5K) runs whole.
  int64_t perPlane = oh * ow * kh * kw;
  int64_t threads = std::min<int64_t>(qopt_rt_get_num_threads(),
                                      planes * perPlane >> 17);
  if (threads <= 1)
    poolPlanes(&job, 0, planes);
  else
    qopt_rt_parallel_for(planes, (planes + threads - 1) / threads, poolPlanes,
                         &job);
}
