//===- Conv2D.cpp - f32 NCHW convolution as packed matrix products --------===//
//
// For each image and group, out[F, OH·OW] (+)= w[F, C·KH·KW] · col[C·KH·KW,
// OH·OW], where col is the im2col expansion of the input. col is never
// built: the GEMM packs its panels straight from the input (implicit GEMM;
// for 1×1 stride-1 convolutions the input already is col). Depthwise
// convolutions (one input and one output channel per group) have no
// reduction worth a matrix product and run as direct vector loops, one
// channel per task.
//
//===----------------------------------------------------------------------===//

#include "Depthwise.h"
#include "Microkernels.h"
#include "ChannelConv.h"
#include "DirectConv.h"
#include "Pointwise.h"
#include "Profile.h"
#include "ScratchBuffer.h"
#include "VectorMoves.h"
#include "Winograd.h"
#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace {

/// h and w are the unpadded input's; pt/pl/pb/pr the zero padding.
struct ConvShape {
  int64_t c, h, w, f, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr;
};

using namespace qopt_rt::vec;

/// Eight outputs' inputs for one tap: src[0], src[sw], ..., src[7·sw].
/// kStride is the stride when known at compile time (1 or 2: plain or
/// de-interleaving vector loads), 0 otherwise (a gather).
template <int64_t kStride>
__attribute__((always_inline)) inline V8 loadLanes(const float *src,
                                                   int64_t sw) {
  if constexpr (kStride == 1) {
    V8 v;
    std::memcpy(&v, src, sizeof(V8));
    return v;
  } else if constexpr (kStride == 2) {
    V8 lo, hi;
    std::memcpy(&lo, src, sizeof(V8));
    std::memcpy(&hi, src + 8, sizeof(V8));
    return __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14);
  } else {
    V8 v;
    for (int l = 0; l < 8; ++l)
      v[l] = src[l * sw];
    return v;
  }
}

/// B of a convolution's matrix product is the im2col matrix col[C·KH·KW,
/// OH·OW], col[(c, ky, kx), (y, x)] = in[c, y·sh + ky·dh - pt, x·sw + kx·dw
/// - pl] (0 in the padding). It is never built: the GEMM's packing reads
/// the input directly (implicit GEMM), so each value goes from the input to
/// a packed panel in cache, without a round trip through a col buffer.
/// Zeroed floats after a padded copy of the input, so that the vector
/// reads of patchRow's last columns stay inside it.
constexpr int64_t kPatchSlack = 64;

struct Patches {
  const ConvShape *s; // of an input without padding
  const float *in;    // one image's group: C×H×W
  const float *end;   // vector reads must stay below it
};

/// Fills out[0, len) with row `row` of col, columns [j, j+len), eight
/// floats at a time (it may write up to 8 floats past out + len). The input
/// has no padding (a convolution's padding is copied in beforehand): every
/// column reads the input, so each output row is one strided run of vector
/// copies, with no bounds logic.
template <int64_t kStride>
__attribute__((always_inline)) inline void
patchRow(const Patches &p, int64_t row, int64_t j, int64_t len,
                 float *out) {
  const ConvShape &s = *p.s;
  const int64_t sw = kStride ? kStride : s.sw;
  int64_t c = row / (s.kh * s.kw), r = row % (s.kh * s.kw);
  int64_t ky = r / s.kw, kx = r % s.kw;
  const float *base = p.in + c * s.h * s.w + ky * s.dh * s.w + kx * s.dw;
  int64_t y = j / s.ow, x = j % s.ow;
  for (int64_t end = j + len; j < end; x = 0, ++y) {
    int64_t seg = std::min(s.ow - x, end - j);
    const float *line = base + y * s.sh * s.w + x * sw;
    // The last vector reads less than 8·sw floats past column seg.
    if (kStride && line + (seg + 8) * sw <= p.end)
      for (int64_t t = 0; t < seg; t += 8)
        store8(out + t, loadLanes<kStride>(line + t * sw, sw));
    else
      for (int64_t t = 0; t < seg; ++t)
        out[t] = line[t * sw];
    out += seg;
    j += seg;
  }
}

/// Splits a row of `len` columns into NR-column panels (row k of each),
/// zero-padding the last.
template <int kNR>
__attribute__((always_inline)) inline void
scatterRow(const float *row, int64_t len, int64_t k, int64_t kc, float *dst) {
  for (int64_t q = 0; q < len; q += kNR) {
    float *out = dst + (q / kNR * kc + k) * kNR;
    if (q + kNR <= len) {
      std::memcpy(out, row + q, kNR * sizeof(float)); // fixed size: moves
      continue;
    }
    int64_t c = 0;
    for (; c < len - q; ++c)
      out[c] = row[q + c];
    for (; c < kNR; ++c)
      out[c] = 0.0f;
  }
}

/// qopt_rt::PackBFn for col: each row of the range is gathered into a
/// short contiguous buffer (in L1), then split into the NR-column panels.
template <int64_t kStride>
__attribute__((always_inline)) inline void
packPatchesImpl(const Patches &p, int64_t k0, int64_t kc, int64_t j0,
                int64_t nc, int nr, float *dst) {
  // Rows are gathered kBatch at a time before they are split: reading a
  // row right after writing it in 8-float pieces at other offsets would
  // stall on store forwarding.
  constexpr int64_t kChunk = 256; // a multiple of every NR
  constexpr int64_t kBatch = 8;
  constexpr int64_t kPitch = kChunk + 16; // + what whole vectors overwrite
  alignas(64) float rows[kBatch * kPitch];
  for (int64_t jb = 0; jb < nc; jb += kChunk) {
    int64_t len = std::min(kChunk, nc - jb);
    float *panels = dst + jb * kc;
    for (int64_t kb = 0; kb < kc; kb += kBatch) {
      int64_t batch = std::min(kBatch, kc - kb);
      for (int64_t i = 0; i < batch; ++i)
        patchRow<kStride>(p, k0 + kb + i, j0 + jb, len, rows + i * kPitch);
      for (int64_t i = 0; i < batch; ++i) {
        const float *row = rows + i * kPitch;
        if (nr == 16)
          scatterRow<16>(row, len, kb + i, kc, panels);
        else if (nr == 32)
          scatterRow<32>(row, len, kb + i, kc, panels);
        else if (nr == 8)
          scatterRow<8>(row, len, kb + i, kc, panels);
        else
          __builtin_trap(); // no kernel has another NR
      }
    }
  }
}

QOPT_RT_VECTORIZED void packPatches(const void *ctx, int64_t k0, int64_t kc,
                                    int64_t j0, int64_t nc, int nr,
                                    float *dst) {
  const Patches &p = *static_cast<const Patches *>(ctx);
  if (p.s->sw == 1)
    packPatchesImpl<1>(p, k0, kc, j0, nc, nr, dst);
  else if (p.s->sw == 2)
    packPatchesImpl<2>(p, k0, kc, j0, nc, nr, dst);
  else
    packPatchesImpl<0>(p, k0, kc, j0, nc, nr, dst);
}

struct DepthwiseJob {
  const ConvShape *s;
  const float *in, *w;
  float *out;
  int64_t groups;
  bool accumulate;
  const qopt_rt::Epilogue *epilogue; // or null; only with !accumulate
};

/// Output rows [y, y+kRows) × columns [x, x + 8·kVecs) of one depthwise
/// channel: kRows·kVecs independent accumulators (FMA chains) over the
/// KH·KW taps, each output stored once. Lanes at or beyond ow are computed
/// from whatever follows the row in the padded plane (it has slack at its
/// end) and not stored, so narrow planes (7, 14 columns) need no scalar
/// tail.
template <int kRows, int kVecs, int64_t kStride>
__attribute__((always_inline)) inline void
depthwiseBlock(const ConvShape &s, const float *in, const float *w, float *o,
               int64_t y, int64_t x, bool accumulate,
               const qopt_rt::Epilogue *epilogue, int64_t channel) {
  const int64_t sw = kStride ? kStride : s.sw;
  V8 acc[kRows][kVecs] = {};
  for (int64_t ky = 0; ky < s.kh; ++ky)
    for (int64_t kx = 0; kx < s.kw; ++kx) {
      float wv = w[ky * s.kw + kx];
      for (int r = 0; r < kRows; ++r) {
        const float *src =
            in + ((y + r) * s.sh + ky * s.dh) * s.w + x * sw + kx * s.dw;
        for (int v = 0; v < kVecs; ++v)
          acc[r][v] += wv * loadLanes<kStride>(src + v * 8 * sw, sw);
      }
    }
  for (int r = 0; r < kRows; ++r)
    for (int v = 0; v < kVecs; ++v) {
      float *dst = o + (y + r) * s.ow + x + v * 8;
      int64_t lanes = std::min<int64_t>(8, s.ow - x - v * 8);
      if (lanes == 8 && !accumulate) {
        std::memcpy(dst, &acc[r][v], sizeof(V8));
      } else {
        for (int64_t l = 0; l < lanes; ++l)
          dst[l] = accumulate ? dst[l] + acc[r][v][l] : acc[r][v][l];
      }

    }
}

/// One channel: pairs of rows, 16 then 8 columns at a time.
template <int64_t kStride>
__attribute__((always_inline)) inline void
depthwisePlane(const ConvShape &s, const float *in, const float *w, float *o,
               bool accumulate, const qopt_rt::Epilogue *e, int64_t channel) {
  int64_t y = 0;
  for (; y + 2 <= s.oh; y += 2) {
    int64_t x = 0;
    for (; x + 16 <= s.ow; x += 16)
      depthwiseBlock<2, 2, kStride>(s, in, w, o, y, x, accumulate, e,
                                               channel);
    for (; x < s.ow; x += 8)
      depthwiseBlock<2, 1, kStride>(s, in, w, o, y, x, accumulate, e,
                                               channel);
  }
  for (; y < s.oh; ++y) {
    int64_t x = 0;
    for (; x + 32 <= s.ow; x += 32)
      depthwiseBlock<1, 4, kStride>(s, in, w, o, y, x, accumulate, e,
                                               channel);
    for (; x < s.ow; x += 8)
      depthwiseBlock<1, 1, kStride>(s, in, w, o, y, x, accumulate, e,
                                               channel);
  }
}

/// Copies a channel plane into a thread-local buffer with its zero padding
/// and zeroed slack after it, for the overreaching lanes of depthwiseBlock.
QOPT_RT_VECTORIZED const float *padPlane(const float *in, const ConvShape &s) {
  int64_t ph = s.h + s.pt + s.pb, pw = s.w + s.pl + s.pr;
  // The last block's lanes reach at most 7·sw + 8 floats past the plane.
  int64_t size = ph * pw + 8 * s.sw + 16;
  struct Site;
  float *scratch = qopt_rt::threadScratch<float, Site>(size);
  // Only the padding is zeroed: the rows are copied over the rest.
  zeroFloats(scratch, s.pt * pw);
  for (int64_t y = 0; y < s.h; ++y) {
    float *row = scratch + (y + s.pt) * pw;
    zeroFloats(row, s.pl);
    copyFloats(row + s.pl, in + y * s.w, s.w);
    zeroFloats(row + s.pl + s.w, s.pr);
  }
  zeroFloats(scratch + (s.pt + s.h) * pw, size - (s.pt + s.h) * pw);
  return scratch;
}

QOPT_RT_VECTORIZED void depthwiseChannels(void *ctx, int64_t begin,
                                          int64_t end) {
  const DepthwiseJob &j = *static_cast<const DepthwiseJob *>(ctx);
  const ConvShape &unpadded = *j.s;
  ConvShape s = unpadded;
  s.h += s.pt + s.pb;
  s.w += s.pl + s.pr;
  for (int64_t nc = begin; nc < end; ++nc) {
    int64_t g = nc % j.groups;
    const float *w = j.w + g * s.kh * s.kw;
    float *out = j.out + nc * s.oh * s.ow;
    // 3×3, stride 1 or 2 (all of MobileNetV2's): Depthwise.cpp.
    if (s.kh == 3 && s.kw == 3 && s.dh == 1 && s.dw == 1 && s.sh == s.sw &&
        !j.accumulate &&
        qopt_rt::depthwise3x3(j.in + nc * unpadded.h * unpadded.w,
                              unpadded.h, unpadded.w, s.pt, s.pl, s.pb, s.pr,
                              s.oh, s.ow, s.sw, w, out, j.epilogue, g))
      continue;
    // Always through the scratch plane, padded or not: the blocks read
    // past the plane's end.
    const float *in = padPlane(j.in + nc * unpadded.h * unpadded.w, unpadded);
    if (s.sw == 1)
      depthwisePlane<1>(s, in, w, out, j.accumulate, j.epilogue, g);
    else if (s.sw == 2)
      depthwisePlane<2>(s, in, w, out, j.accumulate, j.epilogue, g);
    else
      depthwisePlane<0>(s, in, w, out, j.accumulate, j.epilogue, g);
    // The finished plane is in cache: apply the epilogue over it.
    if (j.epilogue)
      qopt_rt::applyEpilogue(*j.epilogue, g, out, s.oh * s.ow, 1);
  }
}

struct PadJob {
  const ConvShape *s;
  const float *in;
  float *dst;
};

/// Copies planes [begin, end) of H×W into PadJob::dst with their zero
/// padding; the padded planes are (H+pt+pb)×(W+pl+pr).
QOPT_RT_VECTORIZED void padChannels(void *ctx, int64_t begin, int64_t end) {
  const PadJob &j = *static_cast<const PadJob *>(ctx);
  const ConvShape &s = *j.s;
  int64_t ph = s.h + s.pt + s.pb, pw = s.w + s.pl + s.pr;
  const float *in = j.in + begin * s.h * s.w;
  float *dst = j.dst + begin * ph * pw;
  for (int64_t c = begin; c < end; ++c, in += s.h * s.w, dst += ph * pw) {
    zeroFloats(dst, s.pt * pw);
    for (int64_t y = 0; y < s.h; ++y) {
      float *row = dst + (y + s.pt) * pw;
      zeroFloats(row, s.pl);
      copyFloats(row + s.pl, in + y * s.w, s.w);
      zeroFloats(row + s.pl + s.w, s.pr);
    }
    zeroFloats(dst + (s.pt + s.h) * pw, s.pb * pw);
  }
}

/// A thread-local buffer of at least `size` floats, kept for later calls.
float *scratchBuffer(int64_t size) {
  struct Site;
  return qopt_rt::threadScratch<float, Site>(size);
}

} // namespace

namespace {

void conv2d(int64_t inAddr, int64_t wAddr, int64_t outAddr, int64_t n,
            int64_t groups, int64_t c, int64_t h, int64_t wd, int64_t f,
            int64_t kh, int64_t kw, int64_t oh, int64_t ow, int64_t sh,
            int64_t sw, int64_t dh, int64_t dw, int64_t pt, int64_t pl,
            int64_t pb, int64_t pr, int64_t weightCache, int64_t accumulate,
            const qopt_rt::Epilogue *epilogue) {
  const float *in = reinterpret_cast<const float *>(inAddr);
  const float *w = reinterpret_cast<const float *>(wAddr);
  float *out = reinterpret_cast<float *>(outAddr);
  ConvShape s{c, h, wd, f, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr};
  if (c == 1 && f == 1 && groups > 1) {
    // 3×3 on small planes: channels in the vector lanes (Depthwise.cpp).
    if (kh == 3 && kw == 3 && dh == 1 && dw == 1 && sh == sw && !accumulate &&
        qopt_rt::depthwise3x3Blocked(
            in, n, groups, h, wd, pt, pl, pb, pr, oh, ow, sw, w, out, epilogue,
            reinterpret_cast<std::atomic<float *> *>(weightCache)))
      return;
    DepthwiseJob job{&s, in, w, out, groups, accumulate != 0, epilogue};
    qopt_rt_parallel_for(n * groups, 1, depthwiseChannels, &job);
    return;
  }
  int64_t depth = c * kh * kw, plane = oh * ow;
  bool direct = kh == 1 && kw == 1 && sh == 1 && sw == 1 && oh == h &&
                ow == wd && !(pt || pl || pb || pr);
  for (int64_t img = 0; img < n; ++img)
    for (int64_t g = 0; g < groups; ++g) {
      const float *x = in + (img * groups + g) * c * h * wd;
      float *y = out + (img * groups + g) * f * plane;
      // Packed weights are cached for one group (the common case).
      auto *cache = groups == 1 && weightCache
                        ? reinterpret_cast<std::atomic<float *> *>(weightCache)
                        : nullptr;
      // The epilogue's rows are this group's output channels.
      qopt_rt::Epilogue groupEpilogue;
      if (epilogue) {
        groupEpilogue = *epilogue;
        if (groupEpilogue.bias)
          groupEpilogue.bias += g * f;
      }
      const qopt_rt::Epilogue *e = epilogue ? &groupEpilogue : nullptr;
      if (direct && qopt_rt::pointwiseConv(f, plane, depth, w + g * f * depth,
                                           x, y, accumulate != 0, cache, e))
        continue;
      if (qopt_rt::winogradTile(c, f, kh, kw, sh, sw, dh, dw, oh, ow)) {
        qopt_rt::conv2dWinograd(x, w + g * f * depth, y, c, h, wd, f, oh, ow,
                                pt, pl, cache, accumulate != 0, e);
        continue;
      }
      // Small planes: output channels in the lanes where they fill the
      // vectors (ChannelConv.cpp), else output columns (DirectConv.cpp).
      if (qopt_rt::conv2dChannels(x, w + g * f * depth, y, c, h, wd, f, kh, kw,
                                  oh, ow, sh, sw, dh, dw, pt, pl, pb, pr,
                                  cache, accumulate != 0, e))
        continue;
      if (qopt_rt::usesDirectConv(c, h, wd, f, kh, kw, oh, ow, sh, sw)) {
        qopt_rt::conv2dDirect(x, w + g * f * depth, y, c, h, wd, f, kh, kw, oh,
                              ow, sh, sw, dh, dw, pt, pl, pb, pr, cache,
                              accumulate != 0, e);
        continue;
      }
      if (direct) {
        qopt_rt::sgemm(f, plane, depth, w + g * f * depth, depth, 1, x, plane,
                       1, y, plane, 1, accumulate != 0, cache, nullptr, e);
        continue;
      }
      // A padded input is copied once with its zeros: the patch rows then
      // need no bounds logic, which dominates on narrow planes (4 to 28
      // columns). The copy costs C·H·W moves against the product's
      // F·C·KH·KW·OH·OW multiply-adds.
      ConvShape shape = s;
      const float *source = x, *end = x + c * h * wd;
      if (pt || pl || pb || pr) {
        shape.h += pt + pb;
        shape.w += pl + pr;
        shape.pt = shape.pl = shape.pb = shape.pr = 0;
        int64_t size = c * shape.h * shape.w;
        float *padded = scratchBuffer(size + kPatchSlack);
        // Split over the pool only when there is enough to copy (some 16K
        // floats per thread) to pay for the hand-off.
        PadJob job{&s, x, padded};
        qopt_rt_parallel_for(c, std::max<int64_t>(1, 16384 / (h * wd)),
                             padChannels, &job);
        std::memset(padded + size, 0, kPatchSlack * sizeof(float));
        source = padded;
        end = padded + size + kPatchSlack;
      }
      Patches patches{&shape, source, end};
      qopt_rt::sgemmImplicitB(f, plane, depth, w + g * f * depth, depth, 1,
                              packPatches, &patches, y, plane, 1,
                              accumulate != 0, cache, e);
    }
}

} // namespace

extern "C" void qopt_rt_conv2d_nchw_f32(
    int64_t in, int64_t w, int64_t out, int64_t n, int64_t groups, int64_t c,
    int64_t h, int64_t wd, int64_t f, int64_t kh, int64_t kw, int64_t oh,
    int64_t ow, int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t pt,
    int64_t pl, int64_t pb, int64_t pr, int64_t weightCache,
    int64_t accumulate) {
  QOPT_PROFILE_CONV("conv2d f32");
  conv2d(in, w, out, n, groups, c, h, wd, f, kh, kw, oh, ow, sh, sw, dh, dw,
         pt, pl, pb, pr, weightCache, accumulate, nullptr);
}

extern "C" void qopt_rt_conv2d_nchw_f32_epilogue(
    int64_t in, int64_t w, int64_t out, int64_t n, int64_t groups, int64_t c,
    int64_t h, int64_t wd, int64_t f, int64_t kh, int64_t kw, int64_t oh,
    int64_t ow, int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t pt,
    int64_t pl, int64_t pb, int64_t pr, int64_t weightCache, int64_t bias,
    float biasScalar, int64_t residual, float lo, float hi, int64_t flags) {
  QOPT_PROFILE_CONV("conv2d f32 + epilogue");
  qopt_rt::Epilogue e;
  e.bias = reinterpret_cast<const float *>(bias);
  e.residualDelta = intptr_t(residual) - intptr_t(out);
  e.biasScalar = biasScalar;
  e.lo = lo;
  e.hi = hi;
  e.flags = flags;
  conv2d(in, w, out, n, groups, c, h, wd, f, kh, kw, oh, ow, sh, sw, dh, dw,
         pt, pl, pb, pr, weightCache, /*accumulate=*/0, &e);
}
