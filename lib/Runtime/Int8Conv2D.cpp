//===- Int8Conv2D.cpp - int8 NCHW convolution as packed matrix products --===//
//
// int_conv2d of docs/Numerics.md: for each image and group,
// out[F, OH·OW] (+)= (w - wZp)[F, C·KH·KW] · (col - inZp)[C·KH·KW, OH·OW],
// where col is the im2col expansion of the input with padded positions
// holding the input zero point (so that they contribute zero), skipped for
// 1×1 stride-1 unpadded convolutions. The padding is copied in first, so
// that every patch row is a run of plain (vector) copies. The _requant entry point stores int8
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

#include "Int8DirectConv.h"
#include "Int8Kernels.h"
#include "Int8Winograd.h"
#include "Microkernels.h"
#include "Profile.h"
#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

using namespace qopt_rt;

namespace {

struct ConvShape {
  int64_t c, h, w, f, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr;
};

/// Vector copies may read this far past the last input byte they need.
constexpr int64_t kSlack = 32;

struct Im2ColJob {
  const ConvShape *s;
  const int8_t *in;  // one image's group, padded: C×HP×WP
  int64_t hp, wp;    // its padded height and width
  const int8_t *end; // 16-byte reads must stay below it
  int8_t *col;       // (C·KH·KW) rows of OH·OW, row stride ld
  int64_t ld;        // >= OH·OW + 16: room for the last copy's overrun
};

/// The input of one image's group with its padding (the zero point) copied
/// in, so that im2col has no bounds logic; kSlack bytes follow it.
void padInput(const ConvShape &s, const int8_t *in, int8_t zp, int64_t hp,
              int64_t wp, int8_t *out) {
  unsigned char pad = static_cast<unsigned char>(zp);
  for (int64_t c = 0; c < s.c; ++c) {
    int8_t *plane = out + c * hp * wp;
    std::memset(plane, pad, s.pt * wp);
    for (int64_t y = 0; y < s.h; ++y) {
      int8_t *row = plane + (s.pt + y) * wp;
      std::memset(row, pad, s.pl);
      std::memcpy(row + s.pl, in + (c * s.h + y) * s.w, s.w);
      std::memset(row + s.pl + s.w, pad, s.pr);
    }
    std::memset(plane + (s.pt + s.h) * wp, pad, s.pb * wp);
  }
  std::memset(out + s.c * hp * wp, pad, kSlack);
}

/// out[t] = line[2t] for t < n, 16 at a time: a 32-byte read and its even
/// bytes (reads up to 30 bytes past line[2n - 2], writes up to 15 past
/// out[n - 1]). A template so that its vectors stay inside the
/// target_clones bodies (VectorMoves.h).
template <typename T = int>
__attribute__((always_inline)) inline void copyEvenBytes(const int8_t *line,
                                                         int64_t n,
                                                         int8_t *out) {
  typedef int8_t B32 __attribute__((vector_size(32)));
  typedef int8_t B16 __attribute__((vector_size(16)));
  for (int64_t t = 0; t < n; t += 16) {
    B32 x;
    std::memcpy(&x, line + 2 * t, sizeof(x));
    B16 even = __builtin_shufflevector(x, x, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18,
                                       20, 22, 24, 26, 28, 30);
    std::memcpy(out + t, &even, sizeof(even));
  }
}

/// Rows [begin, end) of col. Each output row of a patch row is one run of
/// the padded input: with unit stride, copied 16 bytes at a time (a short
/// row is one vector move; the last move may write up to 15 bytes past the
/// run, into the next run, written later, or the row's slack).
QOPT_RT_VECTORIZED void im2colRows(void *ctx, int64_t begin, int64_t end) {
  const Im2ColJob &j = *static_cast<const Im2ColJob *>(ctx);
  const ConvShape &s = *j.s;
  // row = (c·KH + ky)·KW + kx, divided once and then counted.
  int64_t c = begin / (s.kh * s.kw), r = begin % (s.kh * s.kw);
  int64_t ky = r / s.kw, kx = r % s.kw;
  for (int64_t row = begin; row < end; ++row) {
    if (row != begin && ++kx == s.kw) {
      kx = 0;
      if (++ky == s.kh) {
        ky = 0;
        ++c;
      }
    }
    const int8_t *base = j.in + c * j.hp * j.wp + ky * s.dh * j.wp + kx * s.dw;
    int8_t *dst = j.col + row * j.ld;
    for (int64_t y = 0; y < s.oh; ++y) {
      int8_t *out = dst + y * s.ow;
      const int8_t *line = base + y * s.sh * j.wp;
      if (s.sw == 1 && line + s.ow + 16 <= j.end) {
        for (int64_t t = 0; t < s.ow; t += 16)
          std::memcpy(out + t, line + t, 16); // fixed size: one move
        continue;
      }
      // Stride 2 (ResNet-18's first and downsampling convolutions): even
      // bytes of 32-byte reads (byte by byte, its 7×7 first convolution's
      // im2col took 7 % of the int8 model's time).
      if (s.sw == 2 && line + 2 * s.ow + 32 <= j.end) {
        copyEvenBytes(line, s.ow, out);
        continue;
      }
      for (int64_t t = 0; t < s.ow; ++t)
        out[t] = line[t * s.sw];
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
  // 3×3 stride-1 convolutions: Winograd F(2×2, 3×3), exact
  // (Int8Winograd.cpp); it needs neither the padded copy nor im2col.
  bool winograd = int8WinogradApplies(s.c, s.f, s.kh, s.kw, s.sh, s.sw, s.dh,
                                      s.dw, s.oh, s.ow, inZp, wZp);
  bool direct = s.kh == 1 && s.kw == 1 && s.sh == 1 && s.sw == 1 &&
                s.oh == s.h && s.ow == s.w &&
                !(s.pt || s.pl || s.pb || s.pr);
  bool padded = s.pt || s.pl || s.pb || s.pr;
  int64_t hp = s.h + s.pt + s.pb, wp = s.w + s.pl + s.pr;
  int64_t ld = plane + 16;
  // Small planes: straight from stride-phase planes (Int8DirectConv.cpp).
  bool directS8 = !winograd && !direct &&
                  int8DirectConvApplies(s.c, s.h, s.w, s.kh, s.kw, s.oh, s.ow,
                                        s.sh, s.sw, inZp, wZp);
  bool im2col = !direct && !winograd && !directS8;
  int8_t *col =
      !im2col ? nullptr : static_cast<int8_t *>(std::malloc(depth * ld));
  int8_t *pad = im2col && padded ? static_cast<int8_t *>(std::malloc(
                                        s.c * hp * wp + kSlack))
                                  : nullptr;
  ConvShape unpadded = s;
  unpadded.h = hp;
  unpadded.w = wp;
  unpadded.pt = unpadded.pl = unpadded.pb = unpadded.pr = 0;
  for (int64_t img = 0; img < n; ++img)
    for (int64_t g = 0; g < groups; ++g) {
      const int8_t *x = in + (img * groups + g) * s.c * s.h * s.w;
      const int8_t *b = x;
      int64_t rsb = plane;
      if (im2col) {
        const int8_t *source = x;
        if (pad) {
          padInput(s, x, static_cast<int8_t>(inZp), hp, wp, pad);
          source = pad;
        }
        Im2ColJob job{&unpadded,
                      source,
                      hp,
                      wp,
                      source + s.c * hp * wp + (pad ? kSlack : 0),
                      col,
                      ld};
        qopt_rt_parallel_for(depth, 8, im2colRows, &job);
        b = col;
        rsb = ld;
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
        if (q.rowAdd)
          q.rowAdd += channel;
        if (directS8)
          conv2dDirectS8(x, wg, s.c, s.h, s.w, s.f, s.kh, s.kw, s.oh, s.ow,
                         s.sh, s.sw, s.dh, s.dw, s.pt, s.pl, s.pb, s.pr, inZp,
                         wZp, cache, nullptr, false, &q);
        else if (winograd)
          conv2dWinogradS8(x, wg, s.c, s.h, s.w, s.f, s.oh, s.ow, s.pt, s.pl,
                           inZp, wZp, cache, nullptr, false, &q);
        else
          igemm(s.f, plane, depth, wg, depth, 1, wZp, b, rsb, 1, inZp,
                nullptr, 0, 0, false, cache, &q);
        continue;
      }
      if (directS8) {
        conv2dDirectS8(x, wg, s.c, s.h, s.w, s.f, s.kh, s.kw, s.oh, s.ow, s.sh,
                       s.sw, s.dh, s.dw, s.pt, s.pl, s.pb, s.pr, inZp, wZp,
                       cache, out + first * plane, accumulate, nullptr);
        continue;
      }
      if (winograd) {
        conv2dWinogradS8(x, wg, s.c, s.h, s.w, s.f, s.oh, s.ow, s.pt, s.pl,
                         inZp, wZp, cache, out + first * plane, accumulate,
                         nullptr);
        continue;
      }
      igemm(s.f, plane, depth, wg, depth, 1, wZp, b, rsb, 1, inZp,
            out + first * plane, plane, 1, accumulate, cache);
    }
  std::free(col);
  std::free(pad);
}

} // namespace

extern "C" void qopt_rt_conv2d_nchw_s8(
    int64_t inAddr, int64_t wAddr, int64_t outAddr, int64_t n, int64_t groups,
    int64_t c, int64_t h, int64_t wd, int64_t f, int64_t kh, int64_t kw,
    int64_t oh, int64_t ow, int64_t sh, int64_t sw, int64_t dh, int64_t dw,
    int64_t pt, int64_t pl, int64_t pb, int64_t pr, int64_t inZp, int64_t wZp,
    int64_t weightCache, int64_t accumulate) {
  QOPT_PROFILE_CONV("conv2d s8");
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
  QOPT_PROFILE_CONV("conv2d s8 + requant");
  ConvShape s{c, h, wd, f, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr};
  Requant q = Requant::rescale(reinterpret_cast<const int32_t *>(bias), m0, s0,
                               accZp, outZp, qmin, qmax,
                               reinterpret_cast<int8_t *>(outAddr), oh * ow, 1);
  q.multiplier = reinterpret_cast<const int64_t *>(multiplier);
  q.shift = reinterpret_cast<const int64_t *>(shift);
  conv2d(reinterpret_cast<const int8_t *>(inAddr),
         reinterpret_cast<const int8_t *>(wAddr), nullptr, s, n, groups,
         static_cast<int32_t>(inZp), static_cast<int32_t>(wZp), weightCache,
         false, &q);
}
