//===- ExpandDepthwise.cpp - a 1×1 expansion fused with the 3×3 depthwise
//===//
//
// MobileNetV2's blocks expand C channels to 6·C with a 1×1 convolution
// (bias, ReLU6), then run a 3×3 depthwise convolution over the result.
// On the 112×112 and 56×56 planes that intermediate is 1.8 to 4.8 MB: the
// expansion writes it to memory and the depthwise layer reads it back,
// and at one thread those two layers were memory-bound (about 10 GB/s per
// core on the 16-core AVX-512 machine, where the stride-2 depthwise layer
// on 112×112 took 916 µs against ONNX Runtime's 529). Here the
// intermediate never leaves the cache. A task takes a band of 8 output
// rows of one image and a share of the output channels: it expands the
// padded rows that band reads (17 at stride 2, 10 at stride 1; where a
// thread's previous task was the band above, the rows the two share are
// copied from its buffer, not expanded again) into per-thread buffers, row
// by row, 4 (AVX2) or 8 (AVX-512) channels at a time, so that each row of
// x is read from L1 once per group (at stride 2 the rows are stored split
// by column parity, the layout the depthwise kernel reads); then it runs
// the depthwise kernel over each channel's band. A first version expanded
// whole planes per group: x was read again from L2 for every group and
// the group's planes (400 KB) left L1, and it was no faster than the two
// calls.
//
// The values are those of the two calls one after the other, bit for bit:
// each expanded value is the sum from zero, in input-channel order, of one
// FMA per channel, finished by the epilogue's vector steps (Pointwise.cpp's
// tile for a single 256-deep K slab), and the depthwise bands go through
// depthwise3x3Padded or depthwise3x3Split (Depthwise.cpp), whose sums are
// the per-plane kernel's and the channel-blocked one's. Where the fused path does not apply (no
// kernel for this ISA, more than 256 input channels, a plane of at most 28
// columns, where the channel-blocked depthwise kernel is the faster, a
// residual in either epilogue) the two calls run as they were, through a
// temporary buffer.
//
//===----------------------------------------------------------------------===//

#include "Depthwise.h"
#include "Profile.h"
#include "ScratchBuffer.h"
#include "SimdISA.h"

#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <unistd.h>

using namespace qopt_rt;

namespace {

// The pointwise kernel's K slab (Gemm.cpp): one slab, one sum from zero.
constexpr int64_t kMaxChannels = 256;
// Planes wider than this: narrower ones take the channel-blocked
// depthwise kernel unfused (Depthwise.cpp's blockedWins).
constexpr int64_t kMinWidth = 29;

// Channels expanded at a time (kGroup) and vectors of a row segment
// (kSegment): kGroup × kSegment accumulators, with the segment's loaded
// vectors and a broadcast. AVX2's 16 registers hold 4 × 2 (6 × 2 spilled
// an accumulator: its FMA chain then ran through memory); AVX-512's 32
// hold 8 × 3, 11 loads per 24 FMAs (8 × 2 did 10 per 16).
QOPT_ISA_BEGIN(avx2, QOPT_TARGET_AVX2)
constexpr int kGroup = 4, kSegment = 2;
#include "ExpandDepthwiseKernel.inc"
QOPT_ISA_END

QOPT_ISA_BEGIN(avx512, QOPT_TARGET_AVX512)
constexpr int kGroup = 8, kSegment = 3;
#include "ExpandDepthwiseKernel.inc"
QOPT_ISA_END

QOPT_ISA_BEGIN(avx512emu, QOPT_TARGET_AVX2)
constexpr int kGroup = avx512::kGroup, kSegment = avx512::kSegment;
#include "ExpandDepthwiseKernel.inc"
QOPT_ISA_END

using ExpandFn = void (*)(const float *, int64_t, int64_t, int64_t,
                          const float *, int64_t, int64_t, const Epilogue *,
                          int64_t, int64_t, int64_t, int64_t, int64_t,
                          float *, int64_t, int64_t, bool);

/// The expansion body of the ISA sgemm chose (QOPT_ISA), or null: the
/// ISAs that have the pointwise and depthwise kernels.
ExpandFn chosenExpand(int64_t &lanes, int64_t &group) {
  const char *isa = selectSgemmKernel().isa;
  if (!std::strcmp(isa, avx2::kIsa)) {
    lanes = avx2::kLanes;
    group = avx2::kGroup;
    return avx2::expandBandGroup;
  }
  if (!std::strcmp(isa, avx512::kIsa)) {
    lanes = avx512::kLanes;
    group = avx512::kGroup;
    return avx512::expandBandGroup;
  }
  if (!std::strcmp(isa, avx512emu::kIsa)) {
    lanes = avx512emu::kLanes;
    group = avx512emu::kGroup;
    return avx512emu::expandBandGroup;
  }
  return nullptr;
}

// Output rows per band (QOPT_EXPAND_BAND_ROWS, default 8): a band of the
// expanded planes is (rows − 1)·s + 3 rows (the rows where bands meet are
// carried from the band above on the same thread, else expanded again)
// and stays in L1/L2 with the band of x it comes from.
int64_t bandRowsSetting() {
  static const int64_t rows = [] {
    const char *env = std::getenv("QOPT_EXPAND_BAND_ROWS");
    return env ? std::max<int64_t>(1, std::atoll(env)) : int64_t(8);
  }();
  return rows;
}

/// How many chunks to split the `groups` channel groups of each of the `n`
/// images into, tasks being (image, chunk, band) in that order, for
/// `threads` threads: the count whose busiest thread has the least work, in
/// units of one group's band (expansion and depthwise rows) plus kTaskCost
/// per task (its first read of the band of x, its calls).
/// qopt_rt_parallel_for gives thread i the tasks [N·i / T, N·(i + 1) / T),
/// and chunk k the groups [groups·k / chunks, groups·(k + 1) / chunks).
/// With a fixed two tasks per thread, MobileNetV2's 7 bands of 56 rows made
/// 14 tasks for 4 threads: two threads did 4, two did 3.
int64_t chooseChunks(int64_t n, int64_t bands, int64_t groups,
                     int64_t threads) {
  constexpr double kTaskCost = 0.5;
  if (threads <= 1)
    return 1;
  int64_t best = 1;
  double bestSpan = 0;
  for (int64_t chunks = 1; chunks <= groups; ++chunks) {
    const int64_t tasks = n * chunks * bands;
    double span = 0;
    for (int64_t i = 0; i < threads; ++i) {
      double work = 0;
      for (int64_t t = tasks * i / threads; t < tasks * (i + 1) / threads;
           ++t) {
        const int64_t k = t / bands % chunks;
        work += groups * (k + 1) / chunks - groups * k / chunks + kTaskCost;
      }
      span = std::max(span, work);
    }
    if (chunks == 1 || span < bestSpan - 1e-9) {
      best = chunks;
      bestSpan = span;
    }
  }
  return best;
}

struct FusedJob {
  ExpandFn expand;
  const float *x, *w1, *w2;
  float *out;
  int64_t c, h, wd, f, oh, ow, stride, pt, pl, pr;
  const Epilogue *e1, *e2;
  int64_t group;          // channels expanded at a time
  int64_t groups;         // ⌈f / group⌉
  int64_t bands, chunks;  // tasks: images × chunks of groups × bands
  int64_t pitch, bandStride;
  int64_t bandOut; // output rows of a band
};

/// Tasks [begin, end) of n·chunks·bands: image, chunk of the channel
/// groups, then band of output rows. For each task, the band of its groups'
/// expanded planes, then the depthwise rows of each of its channels. Where
/// the thread's previous task was the band above (same image and chunk),
/// the rows the two bands share (2 at stride 1, 1 at stride 2) are copied
/// from its buffer rather than expanded again: at stride 1 the expansion
/// of a band of 8 rows then computes 8 rows, not 10.
void fusedTasks(void *ctx, int64_t begin, int64_t end) {
  const FusedJob &j = *static_cast<const FusedJob *>(ctx);
  const int64_t hw = j.h * j.wd, ohw = j.oh * j.ow;
  struct Site;
  const int64_t most = (j.groups + j.chunks - 1) / j.chunks * j.group;
  float *bands = threadScratch<float, Site>(most * j.bandStride);
  int64_t previous = -1, previousPy0 = 0, previousPy1 = 0;
  for (int64_t t = begin; t < end; ++t) {
    const int64_t img = t / (j.chunks * j.bands);
    const int64_t chunk = t / j.bands % j.chunks, band = t % j.bands;
    const int64_t oy0 = band * j.bandOut,
                  oy1 = std::min(j.oh, oy0 + j.bandOut);
    const int64_t py0 = oy0 * j.stride, py1 = (oy1 - 1) * j.stride + 3;
    const int64_t g0 = j.groups * chunk / j.chunks,
                  g1 = j.groups * (chunk + 1) / j.chunks;
    const int64_t c0 = g0 * j.group, c1 = std::min(j.f, g1 * j.group);
    int64_t first = py0;
    if (previous == t - 1 && band > 0 && previousPy1 > py0) {
      // The previous task was the band above, of the same channels: its
      // rows [py0, previousPy1) are in the buffer, at row py0 − previousPy0.
      const int64_t shared = previousPy1 - py0;
      for (int64_t channel = c0; channel < c1; ++channel) {
        float *rows = bands + (channel - c0) * j.bandStride;
        std::memcpy(rows, rows + (py0 - previousPy0) * j.pitch,
                    shared * j.pitch * sizeof(float));
      }
      first = previousPy1;
    }
    previous = t;
    previousPy0 = py0;
    previousPy1 = py1;
    // Row by row, every group of the chunk: the row of x (C·W floats)
    // stays in L1 while it is read once per group.
    for (int64_t py = first; py < py1; ++py)
      for (int64_t f0 = c0; f0 < c1; f0 += j.group)
        j.expand(j.x + img * j.c * hw, j.c, j.h, j.wd, j.w1, f0,
                 std::min(j.group, c1 - f0), j.e1, j.pt, j.pl, j.pr, py,
                 py + 1,
                 bands + (f0 - c0) * j.bandStride + (py - py0) * j.pitch,
                 j.pitch, j.bandStride, j.stride == 2);
    // The ISA has the kernel (chosenExpand's ISAs are its ISAs).
    for (int64_t channel = c0; channel < c1; ++channel) {
      const float *rows = bands + (channel - c0) * j.bandStride;
      float *out = j.out + (img * j.f + channel) * ohw + oy0 * j.ow;
      if (j.stride == 2)
        depthwise3x3Split(rows, j.pitch / 2, oy1 - oy0, j.ow,
                          j.w2 + channel * 9, out, j.e2, channel);
      else
        depthwise3x3Padded(rows, py1 - py0, j.pitch, oy1 - oy0, j.ow, 1,
                           j.w2 + channel * 9, out, j.e2, channel);
    }
  }
}

Epilogue makeEpilogue(int64_t bias, float biasScalar, float lo, float hi,
                      int64_t flags) {
  Epilogue e;
  e.bias = reinterpret_cast<const float *>(bias);
  e.residualDelta = 0;
  e.biasScalar = biasScalar;
  e.lo = lo;
  e.hi = hi;
  e.flags = flags;
  return e;
}

/// QOPT_EXPAND_DEPTHWISE: 0 never fuses, 1 fuses wherever the kernel can
/// (tests), unset (or anything else) where it wins (see below).
int fusionMode() {
  static const int mode = [] {
    const char *env = std::getenv("QOPT_EXPAND_DEPTHWISE");
    return env && !std::strcmp(env, "0")   ? 0
           : env && !std::strcmp(env, "1") ? 1
                                           : 2;
  }();
  return mode;
}

// The fused path wins on AVX-512 where the intermediate does not stay in
// the threads' caches between the two calls: where each thread's share is
// at least half its core's L2. On the AVX-512 machine (2 MB of L2 per
// core, MobileNetV2's 1-thread latency 7.7 ms against 9.3 unfused in the
// first version) the 56×56 blocks' 451 KB per thread at 4 threads were
// faster unfused (conv_layers: 218 µs against 241 to 268 at stride 1, 171
// to 176 against 185 to 217 at stride 2), the 112×112 block's 1.2 MB
// faster fused (285 to 338 against 408 to 430); at 16 threads (at most 300
// KB each) it was about 5% slower fused.
int64_t minBytesPerThread() {
  static const int64_t bytes = [] {
    long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    return (l2 > 0 ? int64_t(l2) : int64_t(1) << 20) / 2;
  }();
  return bytes;
}

} // namespace

extern "C" void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment,
                                                    size_t size);
extern "C" void _mlir_memref_to_llvm_free(void *p);

extern "C" int qopt_rt_expand_depthwise_fuses(int64_t n, int64_t c,
                                              int64_t f, int64_t h,
                                              int64_t wd, int64_t stride,
                                              int64_t flags1, int64_t flags2) {
  int64_t lanes = 0, group = 0;
  const int mode = fusionMode();
  if (!mode || !chosenExpand(lanes, group) || n < 1 || f < 1 || c < 1 ||
      c > kMaxChannels || wd < kMinWidth || h < 1 ||
      (stride != 1 && stride != 2) || (flags1 & QOPT_RT_EPI_RESIDUAL) ||
      (flags2 & QOPT_RT_EPI_RESIDUAL))
    return 0;
  if (mode == 1)
    return 1;
  // On AVX2 it did not pay: on this project's 2-core Zen 3 machine (about
  // three times the AVX-512 machine's bandwidth per core) MobileNetV2 took
  // 9.6 to 10.6 ms fused and 8.0 to 9.3 unfused at 2 threads (minima of 60
  // runs, three alternations); its 4-channel groups do less per load than
  // the 1×1 kernel's 6×16 tiles.
  if (lanes != 16)
    return 0;
  const int64_t threads = std::max(1, qopt_rt_get_num_threads());
  return n * f * h * wd * int64_t(sizeof(float)) / threads >=
         minBytesPerThread();
}

extern "C" void qopt_rt_conv2d_nchw_f32_expand_depthwise(
    int64_t in, int64_t n, int64_t c, int64_t h, int64_t wd, int64_t w1,
    int64_t f, int64_t cache1, int64_t bias1, float biasScalar1, float lo1,
    float hi1, int64_t flags1, int64_t w2, int64_t oh, int64_t ow,
    int64_t stride, int64_t pt, int64_t pl, int64_t pb, int64_t pr,
    int64_t cache2, int64_t bias2, float biasScalar2, float lo2, float hi2,
    int64_t flags2, int64_t out) {
  if (!qopt_rt_expand_depthwise_fuses(n, c, f, h, wd, stride, flags1,
                                      flags2)) {
    // The two calls the compiler replaced, through a buffer from the
    // allocator the models' own buffers come from (Allocator.cpp: the same
    // block again on every run).
    float *mid = static_cast<float *>(
        _mlir_memref_to_llvm_aligned_alloc(64, n * f * h * wd * sizeof(float)));
    int64_t m = reinterpret_cast<int64_t>(mid);
    qopt_rt_conv2d_nchw_f32_epilogue(in, w1, m, n, 1, c, h, wd, f, 1, 1, h,
                                     wd, 1, 1, 1, 1, 0, 0, 0, 0, cache1, bias1,
                                     biasScalar1, 0, lo1, hi1, flags1);
    qopt_rt_conv2d_nchw_f32_epilogue(m, w2, out, n, f, 1, h, wd, 1, 3, 3, oh,
                                     ow, stride, stride, 1, 1, pt, pl, pb, pr,
                                     cache2, bias2, biasScalar2, 0, lo2, hi2,
                                     flags2);
    _mlir_memref_to_llvm_free(mid);
    return;
  }
  ProfileScope profile(
      "1x1 + depthwise 3x3 f32", n * f * h * wd * c + n * f * oh * ow * 9,
      [&](char *buffer, size_t size) {
        std::snprintf(buffer, size,
                      "%lldx%lldx%lldx%lld -> %lldx%lldx%lld, 1x1 then 3x3/%lld",
                      (long long)n, (long long)c, (long long)h, (long long)wd,
                      (long long)f, (long long)oh, (long long)ow,
                      (long long)stride);
      });
  int64_t lanes = 0, group = 0;
  ExpandFn expand = chosenExpand(lanes, group);
  Epilogue e1 = makeEpilogue(bias1, biasScalar1, lo1, hi1, flags1);
  Epilogue e2 = makeEpilogue(bias2, biasScalar2, lo2, hi2, flags2);
  const int64_t step = 2 * lanes;
  // A row's stores run to its last whole vector, and the depthwise
  // kernel's loads a vector past that (stride 2: in the row's half).
  const int64_t vectorEnd = pl + (wd + lanes - 1) / lanes * lanes;
  const int64_t pitch =
      stride == 2 ? 2 * ((vectorEnd + pr + 1) / 2 + lanes)
                  : pl + (wd + step - 1) / step * step + std::max<int64_t>(pr, 1);
  const int64_t kBandRows = bandRowsSetting();
  const int64_t bandRows = (kBandRows - 1) * stride + 3;
  const int64_t groups = (f + group - 1) / group;
  const int64_t bands = (oh + kBandRows - 1) / kBandRows;
  const int64_t threads = qopt_rt_get_num_threads();
  const int64_t bandStride = bandRows * pitch + 64;
  const int64_t chunks = chooseChunks(n, bands, groups, threads);
  FusedJob job{expand,
               reinterpret_cast<const float *>(in),
               reinterpret_cast<const float *>(w1),
               reinterpret_cast<const float *>(w2),
               reinterpret_cast<float *>(out),
               c, h, wd, f, oh, ow, stride, pt, pl, pr,
               flags1 ? &e1 : nullptr,
               flags2 ? &e2 : nullptr,
               group, groups, bands, chunks,
               pitch, bandStride, kBandRows};
  qopt_rt_parallel_for(n * chunks * bands, 1, fusedTasks, &job);
}
