//===- Conv2D.cpp - f32 NCHW convolution as packed matrix products --------===//
//
// For each image and group, out[F, OH·OW] (+)= w[F, C·KH·KW] · col[C·KH·KW,
// OH·OW], where col is the im2col expansion of the input (skipped for 1×1
// stride-1 convolutions, whose input already is that matrix). Depthwise
// convolutions (one input and one output channel per group) have no
// reduction worth a matrix product and run as direct loops, one channel per
// task.
//
//===----------------------------------------------------------------------===//

#include "Microkernels.h"
#include "qopt/Runtime/Runtime.h"

#include <cstdlib>
#include <cstring>

namespace {

/// h and w are the unpadded input's; pt/pl/pb/pr the zero padding.
struct ConvShape {
  int64_t c, h, w, f, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr;
};

struct Im2ColJob {
  const ConvShape *s;
  const float *in; // one image's group: C×H×W
  float *col;      // (C·KH·KW) × (OH·OW)
};

QOPT_RT_VECTORIZED void im2colRows(void *ctx, int64_t begin, int64_t end) {
  const Im2ColJob &j = *static_cast<const Im2ColJob *>(ctx);
  const ConvShape &s = *j.s;
  int64_t plane = s.oh * s.ow;
  for (int64_t row = begin; row < end; ++row) {
    int64_t c = row / (s.kh * s.kw), r = row % (s.kh * s.kw);
    int64_t ky = r / s.kw, kx = r % s.kw;
    const float *channel = j.in + c * s.h * s.w;
    float *dst = j.col + row * plane;
    // Output columns [x0, x1) read inside the input row; the rest read the
    // zero padding.
    int64_t left = s.pl - kx * s.dw; // ix = x·sw - left
    int64_t x0 = left <= 0 ? 0 : (left + s.sw - 1) / s.sw;
    int64_t x1 = (s.w - 1 + left) < 0 ? 0 : (s.w - 1 + left) / s.sw + 1;
    if (x1 > s.ow)
      x1 = s.ow;
    if (x0 > x1)
      x0 = x1;
    for (int64_t y = 0; y < s.oh; ++y) {
      float *out = dst + y * s.ow;
      int64_t iy = y * s.sh + ky * s.dh - s.pt;
      if (iy < 0 || iy >= s.h) {
        for (int64_t x = 0; x < s.ow; ++x)
          out[x] = 0.0f;
        continue;
      }
      const float *line = channel + iy * s.w - left;
      for (int64_t x = 0; x < x0; ++x)
        out[x] = 0.0f;
      // Rows are short (7 to 112 floats): an inline loop beats memcpy calls.
      if (s.sw == 1)
        for (int64_t x = x0; x < x1; ++x)
          out[x] = line[x];
      else
        for (int64_t x = x0; x < x1; ++x)
          out[x] = line[x * s.sw];
      for (int64_t x = x1; x < s.ow; ++x)
        out[x] = 0.0f;
    }
  }
}

struct DepthwiseJob {
  const ConvShape *s;
  const float *in, *w;
  float *out;
  int64_t groups;
  bool accumulate;
};

/// One output row of a depthwise channel, `kLanes` outputs at a time: the
/// KH·KW taps accumulate in registers and each output is stored once.
/// kStride is the horizontal stride when known at compile time (1 or 2,
/// which vectorize as plain or de-interleaving loads), 0 otherwise.
template <int64_t kLanes, int64_t kStride>
__attribute__((always_inline)) inline void
depthwiseRow(const ConvShape &s, const float *in, const float *w, float *o,
             int64_t y, bool accumulate) {
  const int64_t sw = kStride ? kStride : s.sw;
  int64_t x = 0;
  for (; x + kLanes <= s.ow; x += kLanes) {
    float acc[kLanes] = {};
    for (int64_t ky = 0; ky < s.kh; ++ky) {
      const float *line = in + (y * s.sh + ky * s.dh) * s.w + x * sw;
      for (int64_t kx = 0; kx < s.kw; ++kx) {
        float wv = w[ky * s.kw + kx];
        const float *src = line + kx * s.dw;
        for (int64_t l = 0; l < kLanes; ++l)
          acc[l] += wv * src[l * sw];
      }
    }
    for (int64_t l = 0; l < kLanes; ++l)
      o[x + l] = accumulate ? o[x + l] + acc[l] : acc[l];
  }
  for (; x < s.ow; ++x) {
    float acc = 0.0f;
    for (int64_t ky = 0; ky < s.kh; ++ky)
      for (int64_t kx = 0; kx < s.kw; ++kx)
        acc += w[ky * s.kw + kx] *
               in[(y * s.sh + ky * s.dh) * s.w + x * s.sw + kx * s.dw];
    o[x] = accumulate ? o[x] + acc : acc;
  }
}

/// Copies a channel plane into a thread-local buffer with its zero padding
/// (the direct depthwise loops read a padded plane).
const float *padPlane(const float *in, const ConvShape &s) {
  // One buffer per thread, grown as needed (never freed: it is reused by
  // every later call on the thread).
  thread_local float *scratch = nullptr;
  thread_local int64_t capacity = 0;
  int64_t ph = s.h + s.pt + s.pb, pw = s.w + s.pl + s.pr;
  if (ph * pw > capacity) {
    std::free(scratch);
    capacity = ph * pw;
    scratch = static_cast<float *>(std::malloc(capacity * sizeof(float)));
  }
  std::memset(scratch, 0, ph * pw * sizeof(float));
  for (int64_t y = 0; y < s.h; ++y)
    std::memcpy(scratch + (y + s.pt) * pw + s.pl, in + y * s.w,
                s.w * sizeof(float));
  return scratch;
}

QOPT_RT_VECTORIZED void depthwiseChannels(void *ctx, int64_t begin,
                                          int64_t end) {
  const DepthwiseJob &j = *static_cast<const DepthwiseJob *>(ctx);
  const ConvShape &unpadded = *j.s;
  bool padded = unpadded.pt || unpadded.pl || unpadded.pb || unpadded.pr;
  ConvShape s = unpadded;
  s.h += s.pt + s.pb;
  s.w += s.pl + s.pr;
  for (int64_t nc = begin; nc < end; ++nc) {
    int64_t g = nc % j.groups;
    const float *in = j.in + nc * unpadded.h * unpadded.w;
    if (padded)
      in = padPlane(in, unpadded);
    const float *w = j.w + g * s.kh * s.kw;
    float *out = j.out + nc * s.oh * s.ow;
    for (int64_t y = 0; y < s.oh; ++y) {
      if (s.sw == 1)
        depthwiseRow<8, 1>(s, in, w, out + y * s.ow, y, j.accumulate);
      else if (s.sw == 2)
        depthwiseRow<8, 2>(s, in, w, out + y * s.ow, y, j.accumulate);
      else
        depthwiseRow<8, 0>(s, in, w, out + y * s.ow, y, j.accumulate);
    }
  }
}

} // namespace

extern "C" void qopt_rt_conv2d_nchw_f32(
    int64_t inAddr, int64_t wAddr, int64_t outAddr, int64_t n, int64_t groups,
    int64_t c, int64_t h, int64_t wd, int64_t f, int64_t kh, int64_t kw,
    int64_t oh, int64_t ow, int64_t sh, int64_t sw, int64_t dh, int64_t dw,
    int64_t pt, int64_t pl, int64_t pb, int64_t pr, int64_t weightCache,
    int64_t accumulate) {
  const float *in = reinterpret_cast<const float *>(inAddr);
  const float *w = reinterpret_cast<const float *>(wAddr);
  float *out = reinterpret_cast<float *>(outAddr);
  ConvShape s{c, h, wd, f, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr};
  if (c == 1 && f == 1 && groups > 1) {
    DepthwiseJob job{&s, in, w, out, groups, accumulate != 0};
    qopt_rt_parallel_for(n * groups, 1, depthwiseChannels, &job);
    return;
  }
  int64_t depth = c * kh * kw, plane = oh * ow;
  bool direct = kh == 1 && kw == 1 && sh == 1 && sw == 1 && oh == h &&
                ow == wd && !(pt || pl || pb || pr);
  // (malloc, not std::vector: library templates instantiated in a file
  // with target_clones functions fail to link with clang 22.)
  float *col = direct ? nullptr
                      : static_cast<float *>(
                            std::malloc(depth * plane * sizeof(float)));
  for (int64_t img = 0; img < n; ++img)
    for (int64_t g = 0; g < groups; ++g) {
      const float *x = in + (img * groups + g) * c * h * wd;
      const float *b = x;
      if (!direct) {
        Im2ColJob job{&s, x, col};
        qopt_rt_parallel_for(depth, 8, im2colRows, &job);
        b = col;
      }
      // Packed weights are cached for one group (the common case).
      auto *cache = groups == 1 && weightCache
                        ? reinterpret_cast<std::atomic<float *> *>(weightCache)
                        : nullptr;
      qopt_rt::sgemm(f, plane, depth, w + g * f * depth, depth, 1, b, plane, 1,
                     out + (img * groups + g) * f * plane, plane, 1,
                     accumulate != 0, cache);
    }
  std::free(col);
}
