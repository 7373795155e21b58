//===- MaxPool.cpp - f32 NCHW max pooling, vectorized --------------------===//
//
// convert-qopt-to-linalg lowers small max-pooling windows to one
// elementwise loop over strided slices of the input, a chain of
// arith.maximumf per output. LLVM leaves that loop scalar (14-iteration
// rows with stride-2 loads: its cost model does not vectorize them), and
// its scalar maximum branches on signs and NaNs: some 8 % of fashion_cnn's
// time at one thread once its convolutions were fast.
// convert-linalg-to-qopt-runtime calls this instead: eight outputs of a row
// at a time, each window element one vector (a plain load at stride 1, two
// loads and a deinterleaving shuffle at stride 2, a gather of scalars
// otherwise), combined in window order with maximumV (arith.maximumf on 8
// lanes: NaN propagates as a + b, +0 beats -0), so the bits are the
// loop's.
//
//===----------------------------------------------------------------------===//

#include "Microkernels.h"
#include "VectorMoves.h"

#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstring>

namespace {

using qopt_rt::EpiV8;

/// The eight inputs src[0], src[sw], ..., src[7·sw] (kStride: sw when 1 or
/// 2, else 0).
template <int kStride>
__attribute__((always_inline)) inline EpiV8 lanes(const float *src,
                                                  int64_t sw) {
  EpiV8 v;
  if constexpr (kStride == 1) {
    std::memcpy(&v, src, sizeof(v));
  } else if constexpr (kStride == 2) {
    EpiV8 lo, hi;
    std::memcpy(&lo, src, sizeof(lo));
    std::memcpy(&hi, src + 8, sizeof(hi));
    v = __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14);
  } else {
    for (int l = 0; l < 8; ++l)
      v[l] = src[l * sw];
  }
  return v;
}

struct Pool {
  const float *in;
  float *out;
  int64_t h, w, oh, ow, kh, kw, sh, sw, dh, dw;
};

/// Planes [0, planes): out = max over each window, in window order.
template <int kStride>
__attribute__((always_inline)) inline void poolPlanes(const Pool &p,
                                                      int64_t planes) {
  const int64_t sw = kStride ? kStride : p.sw;
  const float *end = p.in + planes * p.h * p.w;
  for (int64_t plane = 0; plane < planes; ++plane) {
    const float *in = p.in + plane * p.h * p.w;
    float *out = p.out + plane * p.oh * p.ow;
    for (int64_t y = 0; y < p.oh; ++y) {
      const float *row = in + y * p.sh * p.w;
      float *o = out + y * p.ow;
      // Whole vectors while their last window's reads stay in the input
      // (a stride-2 vector reads 16 floats), the last one ending at the
      // row's end (overlapping the one before: its outputs are computed
      // twice, the same), the rest (rows under 8 wide, the buffer's end)
      // one by one.
      auto fits = [&](int64_t x0) {
        const float *last = row + ((p.kh - 1) * p.dh) * p.w +
                            (p.kw - 1) * p.dw + x0 * sw +
                            (kStride == 2 ? 16 : 7 * sw + 1);
        return last <= end;
      };
      auto vector = [&](int64_t x0) {
        EpiV8 m;
        bool first = true;
        for (int64_t ky = 0; ky < p.kh; ++ky)
          for (int64_t kx = 0; kx < p.kw; ++kx) {
            EpiV8 v =
                lanes<kStride>(row + ky * p.dh * p.w + kx * p.dw + x0 * sw, sw);
            m = first ? v : qopt_rt::maximumV(m, v);
            first = false;
          }
        qopt_rt::vec::store8(o + x0, (qopt_rt::vec::V8)m);
      };
      int64_t x = 0;
      for (; x + 8 <= p.ow && fits(x); x += 8)
        vector(x);
      if (x < p.ow && p.ow >= 8 && fits(p.ow - 8)) {
        vector(p.ow - 8);
        x = p.ow;
      }
      for (; x < p.ow; ++x) {
        float m = 0.0f;
        bool first = true;
        for (int64_t ky = 0; ky < p.kh; ++ky)
          for (int64_t kx = 0; kx < p.kw; ++kx) {
            float v = row[ky * p.dh * p.w + kx * p.dw + x * sw];
            m = first ? v : qopt_rt::maximumF(m, v);
            first = false;
          }
        o[x] = m;
      }
    }
  }
}

QOPT_RT_VECTORIZED void pool(const Pool &p, int64_t planes) {
  if (p.sw == 1)
    poolPlanes<1>(p, planes);
  else if (p.sw == 2)
    poolPlanes<2>(p, planes);
  else
    poolPlanes<0>(p, planes);
}

} // namespace

extern "C" void qopt_rt_maxpool2d_nchw_f32(int64_t in, int64_t out,
                                           int64_t planes, int64_t h,
                                           int64_t w, int64_t oh, int64_t ow,
                                           int64_t kh, int64_t kw, int64_t sh,
                                           int64_t sw, int64_t dh,
                                           int64_t dw) {
  if (planes <= 0 || oh <= 0 || ow <= 0 || kh <= 0 || kw <= 0)
    return;
  Pool p{reinterpret_cast<const float *>(in), reinterpret_cast<float *>(out),
         h, w, oh, ow, kh, kw, sh, sw, dh, dw};
  pool(p, planes);
}
