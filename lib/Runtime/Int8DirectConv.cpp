//===- Int8DirectConv.cpp - small-plane int8 convolutions, no im2col -----===//
//
// The int8 counterpart of DirectConv.cpp. im2col writes C·KH·KW rows of the
// output plane's size, the int8 GEMM packs them again into int16 pairs, and
// both buffers are allocated per call: on the small planes of small CNNs
// that costs more than the products.
//
// Here the input is written once, as int16 differences from its zero point,
// into stride-phase planes (DirectConv.cpp: phase (py, px) holds the padded
// rows py, py + sh, … and columns px, px + sw, …; the padding is the zero
// point, so 0), two input channels interleaved: word (i, j) of channel pair
// p holds channel 2p in its low and 2p + 1 in its high half. For a tap pair
// (channels 2p, 2p + 1 at kernel position (ky, kx)), the inputs of
// consecutive outputs of a row are consecutive words of one phase row, and
// the two weights (minus their zero point) are one word: vpmaddwd of the
// broadcast weight word with a vector of input words adds both channels'
// products to each output's int32 sum. Tiles of MR output channels × NV
// vectors of consecutive outputs of one row (two rows of up to 4 per
// 8-lane vector) load their inputs straight from the phase planes, with no
// packing; lanes past a row's end compute on what follows in the buffer
// (zeroed slack) and are not stored.
//
// The sums are exact integers (wrapping as int_conv2d does), so the result
// is bit for bit the im2col GEMM's, for any thread count; each block of
// output rows then goes through the same Requant epilogue (requantRows).
//
// Tiles, per int8 kernel: AVX2 (and AVX-VNNI) 8 channels × 2 rows × 4, 8 ×
// 8, and 6 × 16 outputs for rows wider than 8; AVX-512BW (and VNNI)
// 16 × 2 × 4, 16 × 8, 16 × 16, and 8 × 32 for rows wider than 16.
//
//===----------------------------------------------------------------------===//

#include "Int8DirectConv.h"
#include "PhasePlanes.h"
#include "WeightSlot.h"
#include "Int8Winograd.h"
#include "ScratchBuffer.h"
#include "Microkernels.h"
#include "qopt/Runtime/Runtime.h"

#include <immintrin.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

using namespace qopt_rt;

namespace {

using Geometry = qopt_rt::PhasePlanes;

/// A tile: `mr` output channels × `nv` vectors of `lanes` int32 lanes
/// holding `rows` output rows.
struct TileShape {
  qopt_rt_task_fn fn;
  int lanes, mr, nv, rows;
  /// Outputs of one row that one tile covers.
  int64_t width() const { return int64_t(lanes) * nv / rows; }
};

struct SplitJob {
  const Geometry *g; // of the channel pairs
  int64_t channels;
  const int8_t *in; // C×H×W
  int32_t zp;
  int32_t *planes;
};

typedef int8_t B8 __attribute__((vector_size(8)));
typedef int8_t B16 __attribute__((vector_size(16)));
typedef int16_t H8 __attribute__((vector_size(16)));

/// Eight words (x0[t] − zp, x1[t] − zp) for t in [0, 8) from two vectors of
/// int8 (written to dst: 32 bytes); without a second channel (`pair`
/// false) the high halves are 0.
__attribute__((always_inline)) inline void
storePairs8(int32_t *dst, B8 a, B8 b, int16_t zp, bool pair) {
  H8 ha = __builtin_convertvector(a, H8) - zp;
  H8 hb = pair ? __builtin_convertvector(b, H8) - zp : H8{};
  H8 lo = __builtin_shufflevector(ha, hb, 0, 8, 1, 9, 2, 10, 3, 11);
  H8 hi = __builtin_shufflevector(ha, hb, 4, 12, 5, 13, 6, 14, 7, 15);
  std::memcpy(dst, &lo, sizeof(H8));
  std::memcpy(dst + 4, &hi, sizeof(H8));
}

/// Eight int8 values x[0], x[stride], ... (stride 1 or 2).
__attribute__((always_inline)) inline B8 load8(const int8_t *x,
                                               int64_t stride) {
  if (stride == 1) {
    B8 v;
    std::memcpy(&v, x, 8);
    return v;
  }
  B16 v;
  std::memcpy(&v, x, 16);
  return __builtin_shufflevector(v, v, 0, 2, 4, 6, 8, 10, 12, 14);
}

/// dst[t] = the pair word of (x0[t·stride] − zp, x1[t·stride] − zp) for t
/// in [0, n) (x1 null: high halves 0), eight at a time for strides 1 and 2
/// (a last group of eight overlaps the one before rather than leaving a
/// scalar tail): where the reads stay below `end` (the input's end), and,
/// for rows shorter than eight, where dst has room for eight words (the
/// extra ones land on the row's right padding, zeroed afterwards).
__attribute__((always_inline)) inline void
interleaveRow(int32_t *dst, const int8_t *x0, const int8_t *x1, int64_t n,
              int64_t stride, int32_t zp, const int8_t *end, bool room8) {
  int16_t z = static_cast<int16_t>(zp);
  int64_t span = (stride == 1 ? 8 : 16) + stride * (std::max<int64_t>(n, 8) - 8);
  bool vector = (stride == 1 || stride == 2) && (n >= 8 || room8) &&
                x0 + span <= end && (!x1 || x1 + span <= end);
  if (vector) {
    int64_t count = std::max<int64_t>(n, 8);
    for (int64_t t = 0;; t += 8) {
      if (t + 8 > count)
        t = count - 8;
      storePairs8(dst + t, load8(x0 + t * stride, stride),
                  x1 ? load8(x1 + t * stride, stride) : B8{}, z, x1 != nullptr);
      if (t + 8 == count)
        return;
    }
  }
  for (int64_t t = 0; t < n; ++t)
    dst[t] = static_cast<int32_t>(
        static_cast<uint16_t>(x0[t * stride] - zp) |
        (x1 ? static_cast<uint32_t>(static_cast<uint16_t>(x1[t * stride] - zp))
                  << 16
            : 0u));
}

/// Writes the phase planes that taps read of channel pairs [begin, end).
QOPT_RT_VECTORIZED void splitPairs(void *ctx, int64_t begin, int64_t end) {
  const SplitJob &j = *static_cast<const SplitJob *>(ctx);
  const Geometry &g = *j.g;
  qopt_rt::forEachPhaseRow(g, begin, end, [&](const qopt_rt::PhaseRow &r)
                                               __attribute__((always_inline)) {
    int32_t *dst = j.planes + r.offset;
    if (r.y < 0) {
      std::memset(dst, 0, g.cols * sizeof(int32_t));
      return;
    }
    for (int64_t t = 0; t < r.first; ++t)
      dst[t] = 0;
    // The inside columns: both channels' rows, minus the zero point.
    int64_t c0 = 2 * r.p, c1 = c0 + 1;
    const int8_t *x0 = j.in + (c0 * g.h + r.y) * g.w + r.x;
    interleaveRow(dst + r.first, x0,
                  c1 < j.channels ? x0 + g.h * g.w : nullptr,
                  r.last - r.first, g.sw, j.zp,
                  j.in + j.channels * g.h * g.w, r.first + 8 <= g.cols);
    for (int64_t t = r.last; t < g.cols; ++t)
      dst[t] = 0;
  });
}

struct Job {
  const Geometry *g;
  const int32_t *planes;
  const int64_t *offsets; // word offset of each tap pair in `planes`
  const int32_t *packed;  // weight pairs: [F / MR][taps][MR]
  int64_t f, taps;
  int32_t *out;           // int32 output (without requant)
  bool accumulate;
  const Requant *requant; // or null
};

/// A per-thread int32 buffer of at least `size` words, kept for later calls.
int32_t *rowBuffer(int64_t size) {
  struct Site;
  return threadScratch<int32_t, Site>(size);
}

/// Output rows [y0, y1) of channels [f0, f0 + channels), whose sums are in
/// acc (row stride ld): through the Requant epilogue, or stored (added) as
/// int32.
void finishRows(const Job &j, int64_t f0, int64_t channels, int64_t y0,
                int64_t y1, const int32_t *acc, int64_t ld) {
  const Geometry &g = *j.g;
  int64_t cols = (y1 - y0) * g.ow;
  if (j.requant) {
    requantRows(*j.requant, f0, channels, acc, ld, cols, y0 * g.ow);
    return;
  }
  for (int64_t r = 0; r < channels; ++r) {
    int32_t *dst = j.out + (f0 + r) * g.oh * g.ow + y0 * g.ow;
    const int32_t *src = acc + r * ld;
    if (!j.accumulate) {
      std::memcpy(dst, src, cols * sizeof(int32_t));
      continue;
    }
    for (int64_t t = 0; t < cols; ++t)
      dst[t] = static_cast<int32_t>(static_cast<uint32_t>(dst[t]) +
                                    static_cast<uint32_t>(src[t]));
  }
}

// The tiles, once per instruction set and vector width.
namespace avx2 {
#define QOPT_TILES_TARGET "avx2"
typedef __m256i VI;
constexpr int W = 8;
#define V_LOAD(p) _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p))
#define V_LOAD_HALVES(lo, hi)                                                  \
  _mm256_inserti128_si256(                                                     \
      _mm256_castsi128_si256(                                                  \
          _mm_loadu_si128(reinterpret_cast<const __m128i *>(lo))),             \
      _mm_loadu_si128(reinterpret_cast<const __m128i *>(hi)), 1)
#define V_SET1(x) _mm256_set1_epi32(x)
#define V_MADD(acc, a, b) _mm256_add_epi32(acc, _mm256_madd_epi16(a, b))
#define V_ZERO() _mm256_setzero_si256()
#define V_STORE(p, v) _mm256_storeu_si256(reinterpret_cast<__m256i *>(p), v)
#define QOPT_TILES_KEEP_OPS
#include "Int8DirectConvTiles.inc"
#undef QOPT_TILES_KEEP_OPS
} // namespace avx2

// The same 8-lane macros, compiled for AVX-512 machines (rows of up to 8:
// AVX-512VL gives these tiles 32 registers).
namespace avx512y {
#define QOPT_TILES_TARGET "avx512f,avx512bw,avx512vl,avx2"
typedef __m256i VI;
constexpr int W = 8;
#include "Int8DirectConvTiles.inc"
} // namespace avx512y

namespace avx512z { // 16-lane vectors
#define QOPT_TILES_TARGET "avx512f,avx512bw,avx512vl,avx2"
typedef __m512i VI;
constexpr int W = 16;
#define V_LOAD(p) _mm512_loadu_si512(p)
#define V_LOAD_HALVES(lo, hi)                                                  \
  _mm512_inserti64x4(                                                          \
      _mm512_castsi256_si512(                                                  \
          _mm256_loadu_si256(reinterpret_cast<const __m256i *>(lo))),          \
      _mm256_loadu_si256(reinterpret_cast<const __m256i *>(hi)), 1)
#define V_SET1(x) _mm512_set1_epi32(x)
#define V_MADD(acc, a, b) _mm512_add_epi32(acc, _mm512_madd_epi16(a, b))
#define V_ZERO() _mm512_setzero_si512()
#define V_STORE(p, v) _mm512_storeu_si512(p, v)
#include "Int8DirectConvTiles.inc"
} // namespace avx512z

/// The tile for rows `ow` wide on this CPU's int8 kernel (fn null: none).
TileShape tileShape(int64_t ow) {
  static const int isa = [] {
    const char *env = std::getenv("QOPT_CONV_DIRECT_INT8");
    if (env && std::strcmp(env, "0") == 0)
      return 0;
    const char *name = selectIgemmKernel().isa;
    if (!std::strcmp(name, "avx512") || !std::strcmp(name, "avx512vnni"))
      return 2;
    if (!std::strcmp(name, "avx2") || !std::strcmp(name, "avxvnni"))
      return 1;
    return 0;
  }();
  if (isa == 1)
    return ow <= 4   ? TileShape{avx2::tasks<8, 1, 2>, 8, 8, 1, 2}
           : ow <= 8 ? TileShape{avx2::tasks<8, 1, 1>, 8, 8, 1, 1}
                     : TileShape{avx2::tasks<6, 2, 1>, 8, 6, 2, 1};
  if (isa == 2)
    return ow <= 4    ? TileShape{avx512y::tasks<16, 1, 2>, 8, 16, 1, 2}
           : ow <= 8  ? TileShape{avx512y::tasks<16, 1, 1>, 8, 16, 1, 1}
           : ow <= 16 ? TileShape{avx512z::tasks<16, 1, 1>, 16, 16, 1, 1}
                      : TileShape{avx512z::tasks<8, 2, 1>, 16, 8, 2, 1};
  return TileShape{nullptr, 0, 0, 0, 1};
}

/// (w − wZp) of channel pairs as int32 words, [F / mr][taps][mr], tap
/// (p, ky, kx) = (p·KH + ky)·KW + kx; zero past F and past C.
int32_t *packWeights(const int8_t *w, int32_t wZp, const Geometry &g,
                     int64_t c, int64_t f, int mr) {
  int64_t blocks = (f + mr - 1) / mr, taps = g.planes * g.kh * g.kw;
  auto *packed = static_cast<int32_t *>(
      std::malloc(blocks * taps * mr * sizeof(int32_t)));
  int64_t kk = g.kh * g.kw;
  for (int64_t fb = 0; fb < blocks; ++fb)
    for (int64_t k = 0; k < taps; ++k)
      for (int r = 0; r < mr; ++r) {
        int64_t fi = fb * mr + r, p = k / kk, pos = k % kk;
        auto weight = [&](int64_t ci) -> uint32_t {
          if (fi >= f || ci >= c)
            return 0;
          return static_cast<uint16_t>(w[(fi * c + ci) * kk + pos] - wZp);
        };
        packed[(fb * taps + k) * mr + r] =
            static_cast<int32_t>(weight(2 * p) | weight(2 * p + 1) << 16);
      }
  return packed;
}

/// The largest input (C·H·W values) taken.
constexpr int64_t kMaxInput = 16384;

} // namespace

bool qopt_rt::int8DirectConvApplies(int64_t c, int64_t h, int64_t wd,
                                    int64_t kh, int64_t kw, int64_t oh,
                                    int64_t ow, int64_t sh, int64_t sw,
                                    int32_t inZp, int32_t wZp) {
  if (c <= 0 || oh <= 0 || ow <= 0 || ow > 32 || c * h * wd > kMaxInput)
    return false;
  if ((kh == 1 && kw == 1 && sh == 1 && sw == 1) || sh * sw > 64)
    return false;
  // Every difference from a zero point must fit int16 (as for igemm).
  auto fits = [](int32_t zp) { return zp >= -32640 && zp <= 32639; };
  if (!fits(inZp) || !fits(wZp))
    return false;
  TileShape t = tileShape(ow);
  if (!t.fn)
    return false;
  return enoughLanes(ow, t.width());
}

void qopt_rt::conv2dDirectS8(const int8_t *in, const int8_t *w, int64_t c,
                             int64_t h, int64_t wd, int64_t f, int64_t kh,
                             int64_t kw, int64_t oh, int64_t ow, int64_t sh,
                             int64_t sw, int64_t dh, int64_t dw, int64_t pt,
                             int64_t pl, int64_t pb, int64_t pr, int32_t inZp,
                             int32_t wZp, std::atomic<int32_t *> *cache,
                             int32_t *out, bool accumulate,
                             const Requant *requant) {
  Geometry g = Geometry::of((c + 1) / 2, h, wd, kh, kw, oh, ow, sh, sw, dh, dw,
                            pt, pl, pb, pr);
  TileShape t = tileShape(ow);
  int64_t taps = g.planes * kh * kw;

  // The phase planes, then zeroed slack for the lanes of the last row's
  // tiles that reach past them (a tile's width and one more phase row).
  int64_t size = g.size();
  int64_t slack = int64_t(t.lanes) * t.nv + g.cols;
  struct PlaneSite;
  struct OffsetSite;
  int32_t *planes = threadScratch<int32_t, PlaneSite>(size + slack);
  std::memset(planes + size, 0, slack * sizeof(int32_t));
  SplitJob split{&g, c, in, inZp, planes};
  // Over the pool only with some 16K values per thread to write.
  qopt_rt_parallel_for(g.planes,
                       std::max<int64_t>(1, 8192 / g.phaseSize() / (sh * sw)),
                       splitPairs, &split);

  int64_t *offsets = threadScratch<int64_t, OffsetSite>(taps);
  g.tapOffsets(offsets);

  // The packed weights: cached in the slot, or this call's own copy.
  int32_t *owned;
  const int32_t *packed = cachedOrOwnedPacking(
      cache, [&] { return packWeights(w, wZp, g, c, f, t.mr); }, owned);

  Job job{&g, planes, offsets, packed, f, taps, out, accumulate, requant};
  int64_t blocks = (f + t.mr - 1) / t.mr;
  int64_t count = blocks * ((oh + t.rows - 1) / t.rows);
  // As the GEMMs: below ~1M multiply-adds per thread the hand-off costs
  // more than it saves.
  int threads = qopt_rt_get_num_threads();
  int64_t macs = f * c * kh * kw * oh * ow;
  if (threads <= 1 || macs < (int64_t(threads) << 20))
    t.fn(&job, 0, count);
  else
    qopt_rt_parallel_for(count, 1, t.fn, &job);
  std::free(owned);
}

extern "C" int qopt_rt_conv2d_s8_uses_direct(int64_t groups, int64_t c,
                                             int64_t h, int64_t wd, int64_t f,
                                             int64_t kh, int64_t kw,
                                             int64_t oh, int64_t ow,
                                             int64_t sh, int64_t sw,
                                             int64_t dh, int64_t dw,
                                             int64_t inZp, int64_t wZp) {
  (void)groups; // each group is its own convolution
  // As Int8Conv2D.cpp dispatches: the Winograd convolutions first.
  if (int8WinogradApplies(c, f, kh, kw, sh, sw, dh, dw, oh, ow,
                          static_cast<int32_t>(inZp),
                          static_cast<int32_t>(wZp)))
    return 0;
  return qopt_rt::int8DirectConvApplies(c, h, wd, kh, kw, oh, ow, sh, sw,
                                        static_cast<int32_t>(inZp),
                                        static_cast<int32_t>(wZp));
}
