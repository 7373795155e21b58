//===- ChannelConv.cpp - small-plane convolutions, channels in lanes -----===//
//
// DirectConv.cpp puts consecutive outputs of a row in the vector lanes and
// broadcasts weights: on 14-, 7- and 4-wide planes that leaves lanes idle
// or packs several rows into one vector from stride-phase planes. Here, as
// in ONNX Runtime's NCHWc kernels, the lanes hold OUTPUT CHANNELS instead:
// a tile is P = W·R outputs (R rows of W consecutive columns) × NV vectors
// of kLanes channels, P·NV accumulators. Per tap (c, ky, kx) it loads NV
// vectors of weights, packed [F / (NV·kLanes)][C][KH][KW][NV·kLanes], and
// per output broadcasts one input float straight from the padded NCHW
// plane: row pointer + r·(sh·padded width) + x·sw, displacements known at
// compile time (sw is a template argument, 1 or 2) but for the row stride,
// so any row stride works and no phase planes are needed. Every lane does
// useful work whatever the plane's width, as long as F fills the vectors.
//
// The tile's sums go to a per-thread buffer [pixel][NV·kLanes]; each run
// of rows of one channel block is then transposed into the NCHW output
// with 8×8 register transposes, the epilogue applied to each transposed
// vector before it is stored.
//
// Tiles (the accumulators, the NV weight vectors and, on AVX2, the
// broadcast register fit the register file: 32 zmm, 16 ymm):
//   AVX-512  F <= 16: NV = 1, W × R = 14 × 2, 7 × 4, 4 × 4
//            F  > 16: NV = 2, W × R = 14 × 1, 7 × 2, 4 × 2
//            (W = 14 for planes at least 14 wide, 7 for 7 to 13, 4 below)
//   AVX2     F  >  8: NV = 2, W × R = 4 × 1; F <= 8: NV = 1, 4 × 2
// (defaultTile says why). QOPT_ISA=avx512emu runs the AVX-512 tiles as
// AVX2 code, for tests; QOPT_CONV_CHANNEL_TILE picks another compiled
// shape, for measuring them.
//
// Each output is one chain of FMAs over (c, ky, kx) in order from zero,
// then (accumulating) added to the output: conv2dDirect's sums, bit for
// bit, on every ISA and thread count.
//
//===----------------------------------------------------------------------===//

#include "ChannelConv.h"
#include "DirectConv.h"

#include "ScratchBuffer.h"
#include "SimdISA.h"
#include "VectorMoves.h"
#include "WeightSlot.h"
#include "Winograd.h"

#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <immintrin.h>

namespace {

struct ChannelJob {
  const float *in; // C padded planes of ph × pw, then zeroed slack
  const float *w;  // packed [F / NVL][C][KH][KW][NVL]
  float *out;
  int64_t c, ph, pw, f, kh, kw, oh, ow, sh, dh, dw;
  int64_t rowGroups; // groups of R output rows
  bool accumulate;
  const qopt_rt::Epilogue *epilogue;
};

/// This thread's tile buffer: at least `size` floats.
float *channelBuffer(int64_t size) {
  struct Site;
  return qopt_rt::threadScratch<float, Site>(size);
}

/// Transposes rows r[0..7] (8 floats each) in place.
__attribute__((target("avx2,fma"), always_inline)) inline void
transpose8(__m256 (&r)[8]) {
  __m256 t[8], u[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {
    u[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
    u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
    u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
    u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
  }
  for (int i = 0; i < 4; ++i) {
    r[i] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x20);
    r[i + 4] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x31);
  }
}

/// out[ch·plane + p] (+)= buf[p·nvl + ch] for p in [p0, p1), ch <
/// channels: 8 pixels × 8 channels at a time through registers, the rest
/// one by one. Then the epilogue (only without `accumulate`; `row0`: the
/// epilogue row of channel 0): on the 8 × 8 blocks in registers before
/// they are stored (finish8, applyEpilogue's steps bit for bit), on the
/// rest by applyEpilogue.
__attribute__((target("avx2,fma"))) void
transposeOut(const float *buf, int64_t nvl, int64_t p0, int64_t p1,
             float *out, int64_t plane, int64_t channels, bool accumulate,
             const qopt_rt::Epilogue *e, int64_t row0) {
  // A local copy: stores through `out` could alias e's fields as far as
  // the compiler knows, which kept it reloading them and testing the flags
  // per vector.
  qopt_rt::Epilogue ep = e ? *e : qopt_rt::Epilogue{};
  const bool fast = e && qopt_rt::fastClamps(ep.flags, ep.lo, ep.hi);
  const int64_t whole = channels / 8 * 8;
  int64_t p = p0;
  for (; p + 8 <= p1; p += 8) {
    for (int64_t ch = 0; ch < whole; ch += 8) {
      __m256 r[8];
      for (int i = 0; i < 8; ++i)
        r[i] = _mm256_loadu_ps(buf + (p + i) * nvl + ch);
      transpose8(r);
      for (int i = 0; i < 8; ++i) {
        float *d = out + (ch + i) * plane + p;
        if (accumulate)
          r[i] = _mm256_add_ps(_mm256_loadu_ps(d), r[i]);
        if (e) {
          float bias = ep.flags & 1 ? ep.bias[row0 + ch + i] : ep.biasScalar;
          r[i] = finish8(ep, fast, bias, d, r[i]);
        }
        _mm256_storeu_ps(d, r[i]);
      }
    }
    for (int64_t ch = whole; ch < channels; ++ch)
      for (int i = 0; i < 8; ++i) {
        float v = buf[(p + i) * nvl + ch];
        float *d = out + ch * plane + p + i;
        *d = accumulate ? *d + v : v;
      }
  }
  int64_t tail = p;
  for (; p < p1; ++p)
    for (int64_t ch = 0; ch < channels; ++ch) {
      float v = buf[p * nvl + ch];
      float *d = out + ch * plane + p;
      *d = accumulate ? *d + v : v;
    }
  if (!e)
    return;
  // What the blocks did not finish: the last channels over all pixels, the
  // last pixels of the others.
  for (int64_t ch = 0; ch < channels; ++ch) {
    int64_t from = ch < whole ? tail : p0;
    if (from < p1)
      qopt_rt::applyEpilogue(*e, row0 + ch, out + ch * plane + from, p1 - from,
                             1);
  }
}

/// Copies C planes of H×W into `dst` as C planes of (H + pt + pb) × (W +
/// pl + pr) with their zero padding, then zeroes `slack` floats after
/// them. All of it is zeroed first (one run of vector stores), then each
/// row is copied with whole 8- or 4-float moves, the last one overlapping
/// the one before: writing the padding piecewise took 13 % of fashion_cnn's
/// time (scalar stores of 1- and 2-float runs), the row copies as memcpy
/// calls 3 %.
__attribute__((target("avx2,fma"))) void
padPlanes(const float *in, float *dst, int64_t c, int64_t h, int64_t wd,
          int64_t pt, int64_t pl, int64_t pb, int64_t pr, int64_t slack) {
  int64_t ph = h + pt + pb, pw = wd + pl + pr, size = c * ph * pw + slack;
  const __m256 zero = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 8 <= size; i += 8)
    _mm256_storeu_ps(dst + i, zero);
  for (; i < size; ++i)
    dst[i] = 0.0f;
  for (int64_t ci = 0; ci < c; ++ci)
    for (int64_t y = 0; y < h; ++y) {
      const float *src = in + (ci * h + y) * wd;
      float *row = dst + (ci * ph + y + pt) * pw + pl;
      if (wd >= 8) {
        for (int64_t x = 0; x + 8 < wd; x += 8)
          _mm256_storeu_ps(row + x, _mm256_loadu_ps(src + x));
        _mm256_storeu_ps(row + wd - 8, _mm256_loadu_ps(src + wd - 8));
      } else if (wd >= 4) {
        __m128 lo = _mm_loadu_ps(src), hi = _mm_loadu_ps(src + wd - 4);
        _mm_storeu_ps(row, lo);
        _mm_storeu_ps(row + wd - 4, hi);
      } else {
        for (int64_t x = 0; x < wd; ++x)
          row[x] = src[x];
      }
    }
}

} // namespace

namespace {
QOPT_ISA_BEGIN(avx2, QOPT_TARGET_AVX2)
#include "ChannelConvKernel.inc"
QOPT_ISA_END

QOPT_ISA_BEGIN(avx512, QOPT_TARGET_AVX512)
#include "ChannelConvKernel.inc"
QOPT_ISA_END

QOPT_ISA_BEGIN(avx512emu, QOPT_TARGET_AVX2)
#include "ChannelConvKernel.inc"
QOPT_ISA_END

/// A tile shape and its task function.
struct ChannelTile {
  int lanes = 0; // 0: no kernel for this ISA
  int w = 0, r = 0, nv = 0;
  bool emulated = false;
  /// The task function for column stride `sw` (1 or 2); null for a shape
  /// not compiled.
  qopt_rt_task_fn fn(int64_t sw) const;
  bool compiled() const;
};

/// 0: off or no kernel; 1: AVX2; 2: AVX-512; 3: AVX-512 emulated.
int channelIsa() {
  static const int isa = qopt_rt::smallPlaneIsa("QOPT_CONV_CHANNEL");
  return isa;
}

/// The default tile of an ISA for F output channels and rows of `ow`.
ChannelTile defaultTile(int isa, int64_t f, int64_t ow) {
  ChannelTile t;
  if (isa == 1) {
    // 16 channels × 4 outputs (8 accumulators) where F fills 16 lanes: on
    // AVX2's 16 registers, 14 outputs × 8 channels spilled an accumulator
    // (its FMA chain then ran through memory: 2.2× slower), and of the
    // shapes that fit, this one was the fastest on every fashion_cnn layer
    // (docs/Runtime.md).
    t.lanes = 8;
    t.w = 4;
    t.nv = f > 8 ? 2 : 1;
    t.r = t.nv == 2 ? 1 : 2;
    return t;
  }
  t.lanes = 16;
  t.emulated = isa == 3;
  t.w = ow >= 14 ? 14 : ow >= 7 ? 7 : 4;
  t.nv = f > 16 ? 2 : 1;
  if (t.nv == 1)
    t.r = t.w == 14 ? 2 : 4;
  else
    t.r = t.w == 14 ? 1 : 2;
  return t;
}

/// The tile for F output channels and rows of `ow` (lanes 0: none).
/// QOPT_CONV_CHANNEL_TILE=W,R,NV picks another of the compiled shapes (for
/// measuring them; a shape not compiled is ignored).
ChannelTile channelTile(int64_t f, int64_t ow) {
  int isa = channelIsa();
  if (!isa)
    return ChannelTile{};
  ChannelTile t = defaultTile(isa, f, ow);
  static const char *env = std::getenv("QOPT_CONV_CHANNEL_TILE");
  ChannelTile o = t;
  if (env && std::sscanf(env, "%d,%d,%d", &o.w, &o.r, &o.nv) == 3 &&
      o.compiled())
    return o;
  return t;
}

#define QOPT_CHANNEL_SHAPE(NS, W, R, NV)                                       \
  if (w == W && r == R && nv == NV)                                            \
    return NS::channelFunction<W, R, NV>(sw);

// The shapes compiled, per ISA.
#define QOPT_CHANNEL_AVX2_SHAPES(X)                                            \
  X(avx2, 4, 1, 2) X(avx2, 4, 2, 1) X(avx2, 7, 1, 1) X(avx2, 6, 1, 2)
#define QOPT_CHANNEL_AVX512_SHAPES(X, NS)                                      \
  X(NS, 14, 2, 1) X(NS, 7, 4, 1) X(NS, 4, 4, 1) X(NS, 14, 1, 2)                \
  X(NS, 7, 2, 2) X(NS, 4, 2, 2) X(NS, 7, 1, 2) X(NS, 4, 1, 2)

qopt_rt_task_fn ChannelTile::fn(int64_t sw) const {
  if (lanes == 8) {
    QOPT_CHANNEL_AVX2_SHAPES(QOPT_CHANNEL_SHAPE)
  } else if (!emulated) {
    QOPT_CHANNEL_AVX512_SHAPES(QOPT_CHANNEL_SHAPE, avx512)
  } else {
    QOPT_CHANNEL_AVX512_SHAPES(QOPT_CHANNEL_SHAPE, avx512emu)
  }
  return nullptr;
}

bool ChannelTile::compiled() const { return w > 0 && r > 0 && nv > 0 && fn(1); }
#undef QOPT_CHANNEL_SHAPE
#undef QOPT_CHANNEL_AVX2_SHAPES
#undef QOPT_CHANNEL_AVX512_SHAPES

} // namespace

bool qopt_rt::usesChannelConv(int64_t c, int64_t h, int64_t wd, int64_t f,
                              int64_t kh, int64_t kw, int64_t oh, int64_t ow,
                              int64_t sh, int64_t sw) {
  if (c <= 0 || f <= 0 || oh <= 0 || ow <= 0 || kh <= 0 || kw <= 0 ||
      ow > 32 || c * h * wd > kSmallPlaneMaxInput || (sw != 1 && sw != 2) ||
      sh <= 0)
    return false;
  if (kh == 1 && kw == 1 && sh == 1 && sw == 1)
    return false; // Pointwise.cpp's
  // Below 16 products per output the transposition costs more than the
  // lanes save (fashion_cnn's 1->16 3x3 on 28x28, AVX2: 8.4 us against
  // DirectConv's 6.6).
  if (c * kh * kw < 16)
    return false;
  ChannelTile t = channelTile(f, ow);
  if (!t.lanes)
    return false;
  // At least 3/4 of the computed outputs (whole tiles of rows and columns,
  // whole blocks of channels) in use.
  int64_t nvl = int64_t(t.lanes) * t.nv;
  int64_t computed = (ow + t.w - 1) / t.w * t.w * ((oh + t.r - 1) / t.r * t.r) *
                     ((f + nvl - 1) / nvl * nvl);
  return 4 * ow * oh * f >= 3 * computed;
}

bool qopt_rt::conv2dChannels(const float *in, const float *w, float *out,
                             int64_t c, int64_t h, int64_t wd, int64_t f,
                             int64_t kh, int64_t kw, int64_t oh, int64_t ow,
                             int64_t sh, int64_t sw, int64_t dh, int64_t dw,
                             int64_t pt, int64_t pl, int64_t pb, int64_t pr,
                             std::atomic<float *> *cache, bool accumulate,
                             const Epilogue *epilogue) {
  if (!usesChannelConv(c, h, wd, f, kh, kw, oh, ow, sh, sw))
    return false;
  ChannelTile t = channelTile(f, ow);
  int64_t nvl = int64_t(t.lanes) * t.nv, depth = c * kh * kw;
  int64_t ph = h + pt + pb, pw = wd + pl + pr;
  int64_t rowGroups = (oh + t.r - 1) / t.r;

  // The padded planes, then zeroed slack for the tiles' outputs past the
  // plane: rows up to rowGroups·R, columns up to whole tiles of W (which
  // may run into the next row).
  int64_t lastRow = (rowGroups * t.r - 1) * sh + (kh - 1) * dh;
  int64_t lastCol = ((ow + t.w - 1) / t.w * t.w - 1) * sw + (kw - 1) * dw;
  int64_t size = (c - 1) * ph * pw + (lastRow + 1) * pw + lastCol + 1;
  size = std::max(size, c * ph * pw);
  struct PadSite;
  float *padded = qopt_rt::threadScratch<float, PadSite>(size);
  padPlanes(in, padded, c, h, wd, pt, pl, pb, pr, size - c * ph * pw);

  float *owned;
  const float *packed = qopt_rt::cachedOrOwnedPacking(
      cache, [&] { return packFilterBlocks(w, f, depth, nvl); }, owned);

  ChannelJob job{padded, packed, out, c,  ph,        pw,         f,
                 kh,     kw,     oh,  ow, sh,        dh,         dw,
                 rowGroups, accumulate, epilogue};
  int64_t count = (f + nvl - 1) / nvl * rowGroups;
  qopt_rt_task_fn fn = t.fn(sw);
  // As conv2dDirect: below ~512K multiply-adds per thread the hand-off
  // costs more than it saves.
  int threads = qopt_rt_get_num_threads();
  int64_t macs = f * depth * oh * ow;
  if (threads <= 1 || macs < (int64_t(threads) << 19))
    fn(&job, 0, count);
  else
    qopt_rt_parallel_for(count, 1, fn, &job);
  std::free(owned);
  return true;
}

/// Whether qopt_rt_conv2d_nchw_f32 runs a convolution of these sizes here
/// (for tests): as Conv2D.cpp dispatches, depthwise and Winograd
/// convolutions take their own paths first.
extern "C" int qopt_rt_conv2d_f32_uses_channels(int64_t groups, int64_t c,
                                                int64_t h, int64_t wd,
                                                int64_t f, int64_t kh,
                                                int64_t kw, int64_t oh,
                                                int64_t ow, int64_t sh,
                                                int64_t sw, int64_t dh,
                                                int64_t dw) {
  if (qopt_rt::takesDepthwiseOrWinograd(groups, c, f, kh, kw, oh, ow, sh, sw,
                                        dh, dw))
    return 0;
  return qopt_rt::usesChannelConv(c, h, wd, f, kh, kw, oh, ow, sh, sw);
}
