//===- Int8Conv2D.cpp - int8 NCHW convolution as packed matrix products --===//
//
// int_conv2d of docs/Numerics.md: for each image and group,
// out[F, OH·OW] (+)= (w - wZp)[F, C·KH·KW] · (col - inZp)[C·KH·KW, OH·OW],
// where col is the im2col expansion of the input with padded positions
// holding the input zero point (so that they contribute zero), skipped for
// 1×1 stride-1 unpadded convolutions. The _requant entry point stores int8
// through the Requant epilogue (Int8Kernels.h) instead of int32, so that
// the int32 tensor of a convolution followed by its rescale is never
// written.
//
// (An implicit GEMM that expands each thread's block of columns straight
// from the input, as Conv2D.cpp does for f32, was measured slower than this
// parallel im2col on the models here with the int8 panels' 16 columns on
// AVX2: docs/Runtime.md.)
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"
#include "Microkernels.h"
#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

using namespace qopt_rt;

namespace {

struct ConvShape {
  int64_t c, h, w, f, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr;
};

struct Im2ColJob {
  const ConvShape *s;
  const int8_t *in; // one image's group: C×H×W
  int8_t *col;      // (C·KH·KW) × (OH·OW)
  int8_t pad;       // the input zero point
};

QOPT_RT_VECTORIZED void im2colRows(void *ctx, int64_t begin, int64_t end) {
  const Im2ColJob &j = *static_cast<const Im2ColJob *>(ctx);
  const ConvShape &s = *j.s;
  int64_t plane = s.oh * s.ow;
  for (int64_t row = begin; row < end; ++row) {
    int64_t c = row / (s.kh * s.kw), r = row % (s.kh * s.kw);
    int64_t ky = r / s.kw, kx = r % s.kw;
    const int8_t *channel = j.in + c * s.h * s.w;
    int8_t *dst = j.col + row * plane;
    // Output columns [x0, x1) read inside the input row.
    int64_t left = s.pl - kx * s.dw; // ix = x·sw - left
    int64_t x0 = left <= 0 ? 0 : (left + s.sw - 1) / s.sw;
    int64_t x1 = (s.w - 1 + left) < 0 ? 0 : (s.w - 1 + left) / s.sw + 1;
    if (x1 > s.ow)
      x1 = s.ow;
    if (x0 > x1)
      x0 = x1;
    for (int64_t y = 0; y < s.oh; ++y) {
      int8_t *out = dst + y * s.ow;
      int64_t iy = y * s.sh + ky * s.dh - s.pt;
      if (iy < 0 || iy >= s.h) {
        std::memset(out, static_cast<unsigned char>(j.pad), s.ow);
        continue;
      }
      const int8_t *line = channel + iy * s.w - left;
      for (int64_t x = 0; x < x0; ++x)
        out[x] = j.pad;
      if (s.sw == 1)
        for (int64_t x = x0; x < x1; ++x)
          out[x] = line[x];
      else
        for (int64_t x = x0; x < x1; ++x)
          out[x] = line[x * s.sw];
      for (int64_t x = x1; x < s.ow; ++x)
        out[x] = j.pad;
    }
  }
}

/// The convolution of both entry points: int32 `out` (+)=, or with
/// `requant` the int8 output that q->out points to.
void conv2d(const int8_t *in, const int8_t *w, int32_t *out,
            const ConvShape &s, int64_t n, int64_t groups, int32_t inZp,
            int32_t wZp, int64_t weightCache, bool accumulate,
            const Requant *requant) {
  int64_t depth = s.c * s.kh * s.kw, plane = s.oh * s.ow;
  bool direct = s.kh == 1 && s.kw == 1 && s.sh == 1 && s.sw == 1 &&
                s.oh == s.h && s.ow == s.w &&
                !(s.pt || s.pl || s.pb || s.pr);
  int8_t *col = direct ? nullptr
                       : static_cast<int8_t *>(std::malloc(depth * plane));
  for (int64_t img = 0; img < n; ++img)
    for (int64_t g = 0; g < groups; ++g) {
      const int8_t *x = in + (img * groups + g) * s.c * s.h * s.w;
      const int8_t *b = x;
      if (!direct) {
        Im2ColJob job{&s, x, col, static_cast<int8_t>(inZp)};
        qopt_rt_parallel_for(depth, 8, im2colRows, &job);
        b = col;
      }
      // Packed weights are cached for one group (the common case).
      auto *cache =
          groups == 1 && weightCache
              ? reinterpret_cast<std::atomic<int32_t *> *>(weightCache)
              : nullptr;
      int64_t first = (img * groups + g) * s.f;
      const int8_t *wg = w + g * s.f * depth;
      if (requant) {
        // This group's channels: its rows of the output, bias and scales.
        Requant q = *requant;
        q.out += first * plane;
        int64_t channel = g * s.f;
        if (q.bias)
          q.bias += channel;
        if (q.multiplier)
          q.multiplier += channel;
        if (q.shift)
          q.shift += channel;
        igemm(s.f, plane, depth, wg, depth, 1, wZp, b, plane, 1, inZp,
              nullptr, 0, 0, false, cache, &q);
        continue;
      }
      igemm(s.f, plane, depth, wg, depth, 1, wZp, b, plane, 1, inZp,
            out + first * plane, plane, 1, accumulate, cache);
    }
  std::free(col);
}

} // namespace

extern "C" void qopt_rt_conv2d_nchw_s8(
    int64_t inAddr, int64_t wAddr, int64_t outAddr, int64_t n, int64_t groups,
    int64_t c, int64_t h, int64_t wd, int64_t f, int64_t kh, int64_t kw,
    int64_t oh, int64_t ow, int64_t sh, int64_t sw, int64_t dh, int64_t dw,
    int64_t pt, int64_t pl, int64_t pb, int64_t pr, int64_t inZp, int64_t wZp,
    int64_t weightCache, int64_t accumulate) {
  ConvShape s{c, h, wd, f, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr};
  conv2d(reinterpret_cast<const int8_t *>(inAddr),
         reinterpret_cast<const int8_t *>(wAddr),
         reinterpret_cast<int32_t *>(outAddr), s, n, groups,
         static_cast<int32_t>(inZp), static_cast<int32_t>(wZp), weightCache,
         accumulate != 0, nullptr);
}

extern "C" void qopt_rt_conv2d_nchw_s8_requant(
    int64_t inAddr, int64_t wAddr, int64_t outAddr, int64_t n, int64_t groups,
    int64_t c, int64_t h, int64_t wd, int64_t f, int64_t kh, int64_t kw,
    int64_t oh, int64_t ow, int64_t sh, int64_t sw, int64_t dh, int64_t dw,
    int64_t pt, int64_t pl, int64_t pb, int64_t pr, int64_t inZp, int64_t wZp,
    int64_t weightCache, int64_t bias, int64_t multiplier, int64_t shift,
    int64_t m0, int64_t s0, int64_t accZp, int64_t outZp, int64_t qmin,
    int64_t qmax) {
  ConvShape s{c, h, wd, f, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr};
  Requant q{reinterpret_cast<const int32_t *>(bias),
            reinterpret_cast<const int64_t *>(multiplier),
            reinterpret_cast<const int64_t *>(shift),
            m0,
            s0,
            accZp,
            outZp,
            qmin,
            qmax,
            reinterpret_cast<int8_t *>(outAddr),
            oh * ow,
            1};
  conv2d(reinterpret_cast<const int8_t *>(inAddr),
         reinterpret_cast<const int8_t *>(wAddr), nullptr, s, n, groups,
         static_cast<int32_t>(inZp), static_cast<int32_t>(wZp), weightCache,
         false, &q);
}
