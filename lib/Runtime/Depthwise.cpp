//===- Depthwise.cpp - 3×3 depthwise f32 convolution planes, AVX2/AVX-512 ===//
//
// MobileNetV2's depthwise convolutions are all 3×3, stride 1 or 2. The
// general depthwise loop (Conv2D.cpp) walks the taps at run time with 2 to
// 4 accumulators, reloading each input row once per output row it feeds,
// and applies the epilogue in a second pass over the plane; on 7- to
// 28-wide planes it ran at 2 to 6 GMAC/s. Here the taps are unrolled, the
// nine weights stay in registers, each loaded input vector feeds every
// output row of the block that uses it (stride 1: R output rows read R + 2
// input rows instead of 3R), up to 6 independent accumulators cover the
// FMA latency, and each finished vector gets the epilogue before its one
// store.
//
// Blocks are R rows × L·V columns, L the lanes of a vector (8 on AVX2, 16
// on AVX-512: the body, DepthwiseKernel.inc, is compiled for each; see
// SimdISA.h): V = 2 on planes wider than L, with R = 3 on AVX2 (6
// accumulators + 9 weights + the loaded vector: its 16 registers) and
// R = 6 on AVX-512 (32 registers); V = 1 and R = 6 on narrower planes
// (14×14 on AVX-512, 7×7). Planes at most 8 wide take the AVX2 blocks on
// AVX-512 too (7×7: 8 lanes, not 16, for 7 columns). Lanes past the plane's width are computed from what follows the
// row in the padded plane and not stored. The padding and the stride-2
// column split are AVX2 code on either ISA (they only move floats).
//
// Each output is the sum over ky, then kx, of one FMA per tap from zero:
// depthwiseBlock's order, so the results are the same bit for bit.
//
// Inputs at most 28 wide take the channel-blocked kernel instead
// (DepthwiseBlocked.inc, depthwise3x3Blocked): 8 or 16 channels in the
// lanes, transposed in and out, so that 7- and 14-wide rows waste no lanes
// and the per-plane costs are shared by a block of channels. Same sums,
// same bits.
//
//===----------------------------------------------------------------------===//

#include "Depthwise.h"
#include "ScratchBuffer.h"
#include "WeightSlot.h"
#include "qopt/Runtime/Runtime.h"

#include "SimdISA.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>

using namespace qopt_rt;

namespace {

struct Plane {
  const float *in;
  int64_t pitch; // of the rows of `in`
  int64_t odd;   // stride 2: offset of a row's odd columns (see splitColumns)
  float *out;
  int64_t oh, ow;
  const Epilogue *e;
  float bias;
  bool fast;
  bool simple; // biasAndClamps(*e)
  bool relu;   // biasRelu(*e)
  int64_t channel;
};

/// A vector store kept as one: the empty asm hides the loop from clang's
/// idiom recognition, which turns loops of stores of zeros or copies into
/// memset/memcpy calls (their call cost dominates 1- to 16-float runs).
__attribute__((target("avx2,fma"), always_inline)) inline void
store8(float *dst, __m256 v) {
  __asm__("" : "+r"(dst));
  _mm256_storeu_ps(dst, v);
}
__attribute__((always_inline)) inline void store1(float *dst, float v) {
  __asm__("" : "+r"(dst));
  *dst = v;
}

/// The channel-blocked kernel's shape (DepthwiseBlocked.inc).
struct BlockedShape {
  int64_t h, w, pt, pl, pb, pr, oh, ow, stride;
  /// Input pixel i's position in the padded plane, (y + pt)·pitch + x + pl:
  /// the transposed vectors are stored through this table (computed once
  /// per call) rather than with a row/column count per pixel.
  const int32_t *offsets;
};

/// What the channel-blocked kernel's pixel groups read and write: the
/// padded input, [rows][pitch][kLanes], and the output pixels,
/// [oh·ow][kLanes].
struct BlockedPlane {
  const float *in;
  int64_t pitch;
  float *out;
  int64_t oh, ow;
  const Epilogue *e;
  bool simple; // biasAndClamps(*e): applied on the vectors
  bool relu;   // biasRelu(*e)
};

// The kernel bodies, compiled once per ISA (SimdISA.h). AVX-512's 32
// registers take 6-row blocks on wide planes (12 accumulators) and 8-pixel
// groups in the channel-blocked kernel (8 accumulators + 9 weights + the
// loaded vector); AVX2's 16 take 4-pixel groups.
QOPT_ISA_BEGIN(avx2, QOPT_TARGET_AVX2)
constexpr int kWideRows = 3;
constexpr int kPixels = 4;
#include "DepthwiseKernel.inc"
#include "DepthwiseBlocked.inc"
QOPT_ISA_END

QOPT_ISA_BEGIN(avx512, QOPT_TARGET_AVX512)
constexpr int kWideRows = 6;
constexpr int kPixels = 8;
#include "DepthwiseKernel.inc"
#include "DepthwiseBlocked.inc"
QOPT_ISA_END

// AVX-512's instantiation in AVX2 code (tests: QOPT_ISA=avx512emu).
QOPT_ISA_BEGIN(avx512emu, QOPT_TARGET_AVX2)
constexpr int kWideRows = avx512::kWideRows;
constexpr int kPixels = avx512::kPixels;
#include "DepthwiseKernel.inc"
#include "DepthwiseBlocked.inc"
QOPT_ISA_END

/// The plane with its zero padding, in a per-thread buffer (grown as
/// needed, kept for later calls) with at least 32 floats of slack after it
/// for the blocks' extra lanes. Rows are copied 8 floats at a time, the
/// last vector running past the row's end into the next row (overwritten
/// when that row is copied) or the bottom padding (zeroed last); only the
/// input's last row, whose end may be the end of the tensor, has a scalar
/// tail. (Conv2D.cpp's padPlane copies the tail of every row with scalar
/// moves: on 14-wide planes that cost as much as the convolution.)
__attribute__((target("avx2,fma"))) const float *
padPlane(const float *in, int64_t h, int64_t w, int64_t pt, int64_t pl,
         int64_t pb, int64_t pr) {
  const int64_t pw = w + pl + pr, size = (h + pt + pb) * pw + 64;
  struct Site;
  float *buffer = threadScratch<float, Site>(size);
  const __m256 zero = _mm256_setzero_ps();
  for (int64_t i = 0; i < pt * pw; i += 8)
    store8(buffer + i, zero); // may run into row pt: copied next
  for (int64_t y = 0; y < h; ++y) {
    float *row = buffer + (y + pt) * pw;
    const float *src = in + y * w;
    for (int64_t i = 0; i < pl; ++i)
      store1(row + i, 0.0f);
    int64_t i = 0;
    int64_t vectorEnd = y + 1 < h ? w : w / 8 * 8;
    for (; i < vectorEnd; i += 8)
      store8(row + pl + i, _mm256_loadu_ps(src + i));
    for (; i < w; ++i)
      store1(row + pl + i, src[i]);
    for (int64_t k = 0; k < pr; ++k)
      store1(row + pl + w + k, 0.0f);
  }
  float *bottom = buffer + (h + pt) * pw;
  for (int64_t i = 0; i < pb * pw; i += 8)
    store8(bottom + i, zero); // may run into the slack
  return buffer;
}

/// Stride 2: each padded row's even columns, then its odd ones, in rows
/// of 2·half floats (half ≥ (pitch + 1) / 2 + 8: a block's loads stay in
/// its half). The taps kx = 0, 1, 2 of eight outputs are then plain loads
/// (even from x, odd from x, even from x + 1) instead of two loads and two
/// shuffles each, for every tap of every output row.
__attribute__((target("avx2,fma"))) const float *
splitColumns(const float *padded, int64_t rows, int64_t pitch, int64_t half) {
  const int64_t size = rows * 2 * half;
  struct Site;
  float *buffer = threadScratch<float, Site>(size);
  for (int64_t y = 0; y < rows; ++y) {
    const float *src = padded + y * pitch;
    float *even = buffer + y * 2 * half, *odd = even + half;
    // Reads up to 15 floats past the row (the next row, or the slack).
    for (int64_t i = 0; i < pitch; i += 16) {
      __m256 e, o;
      simd_avx2::deinterleave(_mm256_loadu_ps(src + i),
                              _mm256_loadu_ps(src + i + 8), e, o);
      store8(even + i / 2, e);
      store8(odd + i / 2, o);
    }
  }
  return buffer;
}

/// Stride 2 with a left padding of 0 or 1: padPlane and splitColumns in
/// one pass, each input row's 16-float loads de-interleaved straight into
/// the even and odd halves of its split row (with a left padding of 1, an
/// input column i is padded column i + 1: even inputs go to the odd half).
/// Vectors run past the row into the next one (past a half's valid part,
/// which the padding written after them ends); the input's last row, whose
/// end may be the tensor's, has a scalar tail.
__attribute__((target("avx2,fma"))) const float *
padSplit(const float *in, int64_t h, int64_t w, int64_t pt, int64_t pl,
         int64_t pb, int64_t pr, int64_t half) {
  // + 8: the zeroing of the padding rows ends on a whole vector.
  const int64_t rowSize = 2 * half, size = (h + pt + pb) * rowSize + 8;
  struct Site;
  float *buffer = threadScratch<float, Site>(size);
  const __m256 zero = _mm256_setzero_ps();
  for (int64_t i = 0; i < pt * rowSize; i += 8)
    store8(buffer + i, zero);
  for (int64_t y = 0; y < h; ++y) {
    float *even = buffer + (y + pt) * rowSize, *odd = even + half;
    const float *src = in + y * w;
    int64_t i = 0, vectorEnd = y + 1 < h ? w : w / 16 * 16;
    // Where input columns i, i + 2, ... and i + 1, i + 3, ... go.
    float *toEven = pl ? odd : even, *toOdd = pl ? even + 1 : odd;
    if (pl)
      store1(even, 0.0f);
    for (; i < vectorEnd; i += 16) {
      __m256 e, o;
      simd_avx2::deinterleave(_mm256_loadu_ps(src + i),
                              _mm256_loadu_ps(src + i + 8), e, o);
      store8(toEven + i / 2, e);
      store8(toOdd + i / 2, o);
    }
    for (; i < w; ++i) {
      int64_t c = pl + i;
      store1((c & 1 ? odd : even) + c / 2, src[i]);
    }
    for (int64_t c = pl + w; c < pl + w + pr; ++c)
      store1((c & 1 ? odd : even) + c / 2, 0.0f);
  }
  float *bottom = buffer + (h + pt) * rowSize;
  for (int64_t i = 0; i < pb * rowSize; i += 8)
    store8(bottom + i, zero);
  return buffer;
}

enum class Kernel { None, AVX2, AVX512, AVX512Emu };

/// The kernel of the ISA sgemm chose (QOPT_ISA), if it has one.
Kernel chosenKernel() {
  static const Kernel kernel = [] {
    const char *isa = selectSgemmKernel().isa;
    if (!std::strcmp(isa, avx2::kIsa))
      return Kernel::AVX2;
    if (!std::strcmp(isa, avx512::kIsa))
      return Kernel::AVX512;
    if (!std::strcmp(isa, avx512emu::kIsa))
      return Kernel::AVX512Emu;
    return Kernel::None;
  }();
  return kernel;
}

} // namespace

namespace {

/// Runs the kernel of `kernel`'s ISA over the prepared plane `p` (its
/// input padded, and split for stride 2), with `epilogue` for `channel`.
void runPrepared(Kernel kernel, Plane &p, int64_t oh, int64_t ow,
                 int64_t stride, const float *weights,
                 const Epilogue *epilogue, int64_t channel) {
  if (epilogue) {
    p.bias =
        epilogue->flags & 1 ? epilogue->bias[channel] : epilogue->biasScalar;
    p.fast = fastClamps(epilogue->flags, epilogue->lo, epilogue->hi);
    p.simple = biasAndClamps(*epilogue);
    p.relu = biasRelu(*epilogue);
  }
  // The padding and splitting are AVX2 code on either ISA: moves.
  // Planes at most 8 wide (7×7) take AVX2's 8-lane blocks on AVX-512 too:
  // a 16-lane block of a 7-wide row is 9 lanes of waste, twice the FMAs
  // (the sums are the same: one FMA per tap in the same order).
  if (ow <= avx2::kLanes)
    avx2::run(p, oh, stride, weights);
  else if (kernel == Kernel::AVX512)
    avx512::run(p, oh, stride, weights);
  else if (kernel == Kernel::AVX512Emu)
    avx512emu::run(p, oh, stride, weights);
  else
    avx2::run(p, oh, stride, weights);
}

int64_t kernelLanes(Kernel kernel) {
  return kernel == Kernel::AVX2 ? avx2::kLanes : avx512::kLanes;
}

} // namespace

bool qopt_rt::depthwise3x3(const float *in, int64_t h, int64_t w, int64_t pt,
                           int64_t pl, int64_t pb, int64_t pr, int64_t oh,
                           int64_t ow, int64_t stride, const float *weights,
                           float *out, const Epilogue *epilogue,
                           int64_t channel) {
  const Kernel kernel = chosenKernel();
  if (kernel == Kernel::None || (stride != 1 && stride != 2))
    return false;
  Plane p{nullptr,  w + pl + pr, 0,     out,   oh,    ow,
          epilogue, 0.0f,        false, false, false, channel};
  if (stride == 2) {
    // A block's loads, up to a vector past the last column, stay in its
    // half.
    int64_t half = (p.pitch + 1) / 2 + kernelLanes(kernel);
    p.in = pl <= 1 ? padSplit(in, h, w, pt, pl, pb, pr, half)
                   : splitColumns(padPlane(in, h, w, pt, pl, pb, pr),
                                  h + pt + pb, p.pitch, half);
    p.pitch = 2 * half;
    p.odd = half;
  } else {
    p.in = padPlane(in, h, w, pt, pl, pb, pr);
  }
  runPrepared(kernel, p, oh, ow, stride, weights, epilogue, channel);
  return true;
}

bool qopt_rt::depthwise3x3Padded(const float *padded, int64_t rows,
                                 int64_t pitch, int64_t oh, int64_t ow,
                                 int64_t stride, const float *weights,
                                 float *out, const Epilogue *epilogue,
                                 int64_t channel) {
  const Kernel kernel = chosenKernel();
  if (kernel == Kernel::None || (stride != 1 && stride != 2))
    return false;
  Plane p{padded,   pitch, 0,     out,   oh,    ow,
          epilogue, 0.0f,  false, false, false, channel};
  if (stride == 2) {
    int64_t half = (pitch + 1) / 2 + kernelLanes(kernel);
    p.in = splitColumns(padded, rows, pitch, half);
    p.pitch = 2 * half;
    p.odd = half;
  }
  runPrepared(kernel, p, oh, ow, stride, weights, epilogue, channel);
  return true;
}

bool qopt_rt::depthwise3x3Split(const float *split, int64_t half,
                                int64_t oh, int64_t ow,
                                const float *weights, float *out,
                                const Epilogue *epilogue, int64_t channel) {
  const Kernel kernel = chosenKernel();
  if (kernel == Kernel::None)
    return false;
  Plane p{split,    2 * half, half,  out,   oh,    ow,
          epilogue, 0.0f,     false, false, false, channel};
  runPrepared(kernel, p, oh, ow, 2, weights, epilogue, channel);
  return true;
}

namespace {

/// QOPT_DEPTHWISE_BLOCKED: 0 never takes the channel-blocked kernel, 1
/// takes it for every 3×3 stride-1/2 depthwise convolution (tests), unset
/// (or anything else) where it wins (blockedWins).
int blockedMode() {
  static const int mode = [] {
    const char *env = std::getenv("QOPT_DEPTHWISE_BLOCKED");
    return env && !std::strcmp(env, "0")   ? 0
           : env && !std::strcmp(env, "1") ? 1
                                           : 2;
  }();
  return mode;
}

/// Where the channel-blocked kernel is faster than the per-plane one:
/// inputs at most 28 wide, either stride (benchmarks/mbv2_layers.py on
/// MobileNetV2's layers, docs/Runtime.md: 0.35 to 0.84 of the per-plane
/// kernel's time there; 1.05 to 1.3 on 112- and 56-wide planes, where the
/// per-plane kernel's vectors are full and the transposes cost more than
/// the padding copy they replace; parity on 56-wide stride 2).
bool blockedWins(int64_t w) { return w <= 28; }

struct BlockedJob {
  BlockedShape s;
  const float *in;
  float *out;
  int64_t channels, blocks, lanes;
  const float *packed; // [blocks][9][lanes]
  const Epilogue *e;
  Kernel kernel;
};

/// Tasks [begin, end) of n·blocks: image t / blocks, channel block
/// t % blocks.
void blockedTasks(void *ctx, int64_t begin, int64_t end) {
  const BlockedJob &j = *static_cast<const BlockedJob *>(ctx);
  const int64_t hw = j.s.h * j.s.w, ohw = j.s.oh * j.s.ow;
  for (int64_t t = begin; t < end; ++t) {
    int64_t img = t / j.blocks, c0 = t % j.blocks * j.lanes;
    int64_t nc = std::min(j.lanes, j.channels - c0);
    const float *in = j.in + (img * j.channels + c0) * hw;
    float *out = j.out + (img * j.channels + c0) * ohw;
    const float *w = j.packed + t % j.blocks * 9 * j.lanes;
    if (j.kernel == Kernel::AVX512)
      avx512::blockedChannels(j.s, in, out, c0, nc, w, j.e);
    else if (j.kernel == Kernel::AVX512Emu)
      avx512emu::blockedChannels(j.s, in, out, c0, nc, w, j.e);
    else
      avx2::blockedChannels(j.s, in, out, c0, nc, w, j.e);
  }
}

/// weights [channels][9] as [blocks][9][lanes], the lanes past the last
/// channel 0; 64-byte aligned (malloc'ed: WeightSlot.h frees it).
float *packBlockedWeights(const float *weights, int64_t channels,
                          int64_t lanes) {
  const int64_t blocks = (channels + lanes - 1) / lanes;
  float *packed = static_cast<float *>(
      std::aligned_alloc(64, (blocks * 9 * lanes * sizeof(float) + 63) / 64 * 64));
  for (int64_t b = 0; b < blocks; ++b)
    for (int64_t t = 0; t < 9; ++t)
      for (int64_t l = 0; l < lanes; ++l) {
        int64_t c = b * lanes + l;
        packed[(b * 9 + t) * lanes + l] = c < channels ? weights[c * 9 + t] : 0.0f;
      }
  return packed;
}

} // namespace

bool qopt_rt::depthwise3x3Blocked(const float *in, int64_t n,
                                  int64_t channels, int64_t h, int64_t w,
                                  int64_t pt, int64_t pl, int64_t pb,
                                  int64_t pr, int64_t oh, int64_t ow,
                                  int64_t stride, const float *weights,
                                  float *out, const Epilogue *epilogue,
                                  std::atomic<float *> *slot) {
  const Kernel kernel = chosenKernel();
  const int mode = blockedMode();
  // (The offset table holds padded positions as int32.)
  if (kernel == Kernel::None || mode == 0 || (stride != 1 && stride != 2) ||
      (mode == 2 && !blockedWins(w)) ||
      (h + pt + pb) * (w + pl + pr) > INT32_MAX)
    return false;
  const int64_t lanes = kernel == Kernel::AVX2 ? avx2::kLanes : avx512::kLanes;
  float *owned = nullptr;
  const float *packed = cachedOrOwnedPacking(
      slot, [&] { return packBlockedWeights(weights, channels, lanes); },
      owned);
  const int64_t blocks = (channels + lanes - 1) / lanes;
  std::unique_ptr<int32_t[]> offsets(new int32_t[h * w]);
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x)
      offsets[y * w + x] = int32_t((y + pt) * (w + pl + pr) + x + pl);
  BlockedJob job{{h, w, pt, pl, pb, pr, oh, ow, stride, offsets.get()},
                 in,
                 out,
                 channels,
                 blocks,
                 lanes,
                 packed,
                 epilogue,
                 kernel};
  qopt_rt_parallel_for(n * blocks, 1, blockedTasks, &job);
  std::free(owned);
  return true;
}
