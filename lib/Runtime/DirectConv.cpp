//===- DirectConv.cpp - small-plane convolutions without im2col -----------===//
//
// The implicit GEMM of Conv2D.cpp gathers each row of the im2col matrix from
// the input one output row at a time, packs it into panels, and leaves the
// edge tiles to a scalar merge. On the small planes of small CNNs (4 to 28
// columns) that overhead cost more than the products (fashion_cnn, one
// thread: packing 37 %, padding copies 8 %, microkernel 34 %).
//
// Here the padded input is first split into its stride phases: phase
// (py, px) of a channel holds the padded rows py, py + sh, ... and columns
// px, px + sw, ... (for stride 1, the padded plane itself). Output (y, x)
// reads, for tap (ky, kx), phase ((ky·dh) mod sh, (kx·dw) mod sw) at row
// y + ky·dh div sh, column x + kx·dw div sw: for each tap, the inputs of a
// run of consecutive outputs of one row are consecutive floats of one phase
// row, whatever the stride. So a tile of MR output channels × NV vectors of
// consecutive outputs of one row needs no packing: per tap it loads NV
// vectors straight from the phase plane (at a precomputed offset) and
// broadcasts MR packed weights, then stores its valid lanes into the
// output. Lanes past the row's end compute on whatever follows in the phase
// buffer (it has zeroed slack at its end) and are not stored.
//
// The tile shapes (ISA, and the output width, which decides how many rows
// share a vector: rows of up to 4 go two to an 8-lane vector on AVX2 and
// four to a 16-lane one on AVX-512, rows of up to 8 go two to a 16-lane
// vector on AVX-512, one segment of the vector per row, each loaded from
// its own phase row):
//   AVX2     ow <= 4: 8 channels × 2 rows × 4 lanes; ow <= 8: 8 × 8;
//            wider: 6 × 16 (2 vectors)
//   AVX-512  ow <= 4: 16 × 4 rows × 4; ow <= 8: 16 × 2 rows × 8;
//            ow <= 16: 16 × 16; wider: 8 × 32 (2 vectors)
// (Before the AVX-512 rows of up to 8 shared a vector, they used 8-lane
// vectors: half of AVX-512's multiply-adds per instruction, on 60 % of
// fashion_cnn's.) QOPT_ISA=avx512emu runs the AVX-512 tiles as AVX2 code
// (64-byte vectors split into pairs of ymm registers), for tests.
//
//===----------------------------------------------------------------------===//

#include "DirectConv.h"
#include "ChannelConv.h"
#include "PhasePlanes.h"
#include "ScratchBuffer.h"
#include "WeightSlot.h"
#include "VectorMoves.h"
#include "Winograd.h"
#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace {

using namespace qopt_rt::vec;

typedef float F8 __attribute__((vector_size(32)));
typedef float F16 __attribute__((vector_size(64)));

using Geometry = qopt_rt::PhasePlanes;

/// A tile: `mr` output channels × `nv` vectors of `lanes` lanes, which
/// hold `rows` output rows (two 4-lane halves for rows of at most 4).
struct TileShape {
  enum Kind {
    None,
    AVX2Pair,
    AVX2Narrow,
    AVX2Wide,
    AVX512Quad,
    AVX512Pair,
    AVX512Mid,
    AVX512Wide
  };
  Kind kind;
  /// The AVX-512 tiles compiled for AVX2 (QOPT_ISA=avx512emu).
  bool emulated;
  int lanes, mr, nv, rows;
  /// Outputs of one row that one tile covers.
  int64_t width() const { return int64_t(lanes) * nv / rows; }
};

TileShape tileShape(int64_t ow) {
  static const int isa = qopt_rt::smallPlaneIsa("QOPT_CONV_DIRECT");
  if (isa == 1)
    return ow <= 4   ? TileShape{TileShape::AVX2Pair, false, 8, 8, 1, 2}
           : ow <= 8 ? TileShape{TileShape::AVX2Narrow, false, 8, 8, 1, 1}
                     : TileShape{TileShape::AVX2Wide, false, 8, 6, 2, 1};
  if (isa >= 2) {
    bool emu = isa == 3;
    return ow <= 4    ? TileShape{TileShape::AVX512Quad, emu, 16, 16, 1, 4}
           : ow <= 8  ? TileShape{TileShape::AVX512Pair, emu, 16, 16, 1, 2}
           : ow <= 16 ? TileShape{TileShape::AVX512Mid, emu, 16, 16, 1, 1}
                      : TileShape{TileShape::AVX512Wide, emu, 16, 8, 2, 1};
  }
  return TileShape{TileShape::None, false, 0, 0, 0, 1};
}

/// dst[t] = src[t·stride] for t < n (stride 0: g.sw, scalar), in 8-float
/// vectors; `avail` floats from src are readable (the rest of its row).
/// Stride 1 ends with a vector that overlaps the previous one rather than
/// a scalar tail (rows are 4 to 30 floats).
template <int kStride>
__attribute__((always_inline)) inline void
copyRow(float *dst, const float *src, int64_t n, int64_t avail,
        int64_t stride = 0) {
  int64_t t = 0;
  if constexpr (kStride == 1) {
    if (n >= 8) {
      for (; t + 8 < n; t += 8)
        store8(dst + t, load8(src + t));
      store8(dst + n - 8, load8(src + n - 8));
      return;
    }
  } else if constexpr (kStride == 2) {
    for (; t + 8 <= n && 2 * t + 16 <= avail; t += 8) {
      V8 lo = load8(src + 2 * t), hi = load8(src + 2 * t + 8);
      store8(dst + t,
             __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14));
    }
  }
  int64_t step = kStride ? kStride : stride;
  for (; t < n; ++t)
    dst[t] = src[t * step];
}

struct SplitJob {
  const Geometry *g;
  const float *in; // C×H×W
  float *planes;
};

/// Writes the phase planes of channels [begin, end): all of them zero
/// (the padding, and the rows and columns past the padded plane when its
/// size is not a multiple of the stride), then each input row's columns
/// into the phase rows that taps read. (Row by row, padding rows and
/// columns included, the bookkeeping cost more than the copies: 17 % of
/// fashion_cnn's time at one thread.)
QOPT_RT_VECTORIZED void splitChannels(void *ctx, int64_t begin, int64_t end) {
  const SplitJob &j = *static_cast<const SplitJob *>(ctx);
  const Geometry &g = *j.g;
  zeroFloats(j.planes + g.phase(begin, 0, 0),
             g.phase(end, 0, 0) - g.phase(begin, 0, 0));
  for (int64_t px = 0; px < g.sw; ++px) {
    int64_t first, last;
    g.inputColumns(px, first, last);
    int64_t n = last - first;
    if (n <= 0)
      continue;
    int64_t x = first * g.sw + px - g.pl, avail = g.w - x;
    for (int64_t y = 0; y < g.h; ++y) {
      int64_t padded = y + g.pt, py = padded % g.sh;
      if (!g.reads(py, px))
        continue;
      int64_t row = padded / g.sh;
      for (int64_t p = begin; p < end; ++p) {
        float *dst = j.planes + g.phase(p, py, px) + row * g.cols + first;
        const float *src = j.in + (p * g.h + y) * g.w + x;
        if (g.sw == 1)
          copyRow<1>(dst, src, n, avail);
        else if (g.sw == 2)
          copyRow<2>(dst, src, n, avail);
        else
          copyRow<0>(dst, src, n, avail, g.sw);
      }
    }
  }
}

struct Job {
  const Geometry *g;
  const float *planes;
  const int64_t *offsets; // of each tap (c, ky, kx) in `planes`
  const float *packed;    // weights: [F / MR][C·KH·KW][MR]
  float *out;
  int64_t f, depth;
  bool accumulate;
  const qopt_rt::Epilogue *epilogue;
};

template <typename V, int W>
__attribute__((always_inline)) inline V splat(float x) {
  V v;
  for (int l = 0; l < W; ++l)
    v[l] = x;
  return v;
}

/// Rows of W / R floats from `p`, `stride` floats apart, as one W-lane
/// vector (R = 1: one load; 2: two halves; 4: four quarters).
template <typename V, int W, int R>
__attribute__((always_inline)) inline V loadRows(const float *p,
                                                 int64_t stride) {
  typedef float F4 __attribute__((vector_size(16)));
  typedef float F8v __attribute__((vector_size(32)));
  V v;
  if constexpr (R == 1) {
    std::memcpy(&v, p, sizeof(V));
  } else if constexpr (W == 8 && R == 2) {
    F4 lo, hi;
    std::memcpy(&lo, p, sizeof(F4));
    std::memcpy(&hi, p + stride, sizeof(F4));
    v = __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7);
  } else if constexpr (W == 16 && R == 2) {
    F8v lo, hi;
    std::memcpy(&lo, p, sizeof(F8v));
    std::memcpy(&hi, p + stride, sizeof(F8v));
    v = __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                                12, 13, 14, 15);
  } else {
    static_assert(W == 16 && R == 4, "tile shape");
    F4 q0, q1, q2, q3;
    std::memcpy(&q0, p, sizeof(F4));
    std::memcpy(&q1, p + stride, sizeof(F4));
    std::memcpy(&q2, p + 2 * stride, sizeof(F4));
    std::memcpy(&q3, p + 3 * stride, sizeof(F4));
    F8v lo = __builtin_shufflevector(q0, q1, 0, 1, 2, 3, 4, 5, 6, 7);
    F8v hi = __builtin_shufflevector(q2, q3, 0, 1, 2, 3, 4, 5, 6, 7);
    v = __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                                12, 13, 14, 15);
  }
  return v;
}

typedef float E16 __attribute__((ext_vector_type(16)));
typedef bool M16 __attribute__((ext_vector_type(16)));

/// Stores (or, accumulating, adds into the output) the 16-lane sums of a
/// tile of `channels` channels from (y, x0): for each output row y + q and
/// vector v, one masked store of the lanes [q·kSeg, q·kSeg + n) that hold
/// its n outputs, at the address that puts lane q·kSeg at the row's first
/// output (masked-off lanes are neither read nor written, so the address
/// may lie before the row). One instruction per row on AVX-512 (vmovups
/// with a mask) instead of n scalar stores: the AVX-512 tiles hold 7- to
/// 16-float rows, up to 4 to a vector; two vmaskmovps in the AVX2
/// emulation.
template <typename V, int MR, int NV, int R>
__attribute__((always_inline)) inline void
storeMasked(const Job &j, const V (&acc)[MR][NV], int64_t f0,
            int64_t channels, int64_t y, int64_t x0) {
  constexpr int kSeg = 16 / R;
  const Geometry &g = *j.g;
  int64_t plane = g.oh * g.ow;
  for (int q = 0; q < R && y + q < g.oh; ++q) {
    int64_t valid = std::min<int64_t>(kSeg * NV, g.ow - x0);
    for (int v = 0; v < NV; ++v) {
      int64_t n = std::min<int64_t>(kSeg, valid - v * kSeg);
      if (n <= 0)
        break;
      M16 mask = __builtin_bit_cast(
          M16, uint16_t(((uint32_t(1) << n) - 1) << (q * kSeg)));
      for (int64_t r = 0; r < channels; ++r) {
        // Lane l of vector v goes to output column x0 + v·16 + l - q·kSeg.
        uintptr_t at = reinterpret_cast<uintptr_t>(
                           j.out + (f0 + r) * plane + (y + q) * g.ow + x0 +
                           v * 16) -
                       uintptr_t(q * kSeg) * sizeof(float);
        float *base = reinterpret_cast<float *>(at);
        E16 value = __builtin_bit_cast(E16, acc[r][v]);
        if (j.accumulate)
          value = __builtin_masked_load(mask, base, E16{}) + value;
        __builtin_masked_store(mask, value, base);
      }
    }
  }
}

/// Output rows [y, y + R) of channels [fb·MR, fb·MR + MR): tiles of NV
/// vectors of W lanes, each vector holding R rows of W / R consecutive
/// outputs (R > 1: one segment loaded from each row); one FMA chain per
/// output over the taps in order.
template <typename V, int W, int MR, int NV, int R>
__attribute__((always_inline)) inline void rows(const Job &j, int64_t fb,
                                                int64_t y) {
  static_assert(R == 1 || NV == 1, "tile shape");
  constexpr int kSeg = W / R; // lanes per output row
  const Geometry &g = *j.g;
  const float *a0 = j.packed + fb * j.depth * MR;
  int64_t f0 = fb * MR, channels = std::min<int64_t>(MR, j.f - f0);
  int64_t plane = g.oh * g.ow;
  for (int64_t x0 = 0; x0 < g.ow; x0 += kSeg * NV) {
    const float *b = j.planes + y * g.cols + x0;
    V acc[MR][NV] = {};
    const float *a = a0;
    for (int64_t k = 0; k < j.depth; ++k, a += MR) {
      const float *bk = b + j.offsets[k];
      V bv[NV];
      for (int v = 0; v < NV; ++v)
        bv[v] = loadRows<V, W, R>(bk + v * W, g.cols);
      for (int r = 0; r < MR; ++r) {
        V av = splat<V, W>(a[r]);
        for (int v = 0; v < NV; ++v)
          acc[r][v] += av * bv[v];
      }
    }
    if constexpr (W == 16) {
      storeMasked<V, MR, NV, R>(j, acc, f0, channels, y, x0);
      continue;
    }
    // The sums go through a local array: indexing acc's lanes in place (or
    // taking its address) kept acc in memory, stored back on every tap
    // (and a copy per accumulator in the store loop cost as much again on
    // these short tiles).
    alignas(64) float tile[MR][NV * W];
    for (int r = 0; r < MR; ++r)
      for (int v = 0; v < NV; ++v) {
        V value = acc[r][v];
        std::memcpy(&tile[r][v * W], &value, sizeof(V));
      }
    for (int q = 0; q < R && y + q < g.oh; ++q) {
      // Valid outputs of row y + q in this tile: lanes [q·kSeg, ...).
      int64_t valid = std::min<int64_t>(kSeg * NV, g.ow - x0);
      for (int64_t r = 0; r < channels; ++r) {
        float *o = j.out + (f0 + r) * plane + (y + q) * g.ow + x0;
        for (int v = 0; v < NV; ++v) {
          int64_t n = std::min<int64_t>(kSeg, valid - v * kSeg);
          if (n <= 0)
            break;
          const float *lane = &tile[r][v * W] + q * kSeg;
          if (n == W && !j.accumulate) {
            std::memcpy(o + v * W, lane, sizeof(V));
            continue;
          }
          float *dst = o + v * kSeg;
          if (j.accumulate) {
            for (int64_t l = 0; l < n; ++l)
              dst[l] += lane[l];
          } else {
            // Not a plain loop: clang made it a memcpy call (3 % of
            // fashion_cnn's time in libc on 7- to 16-float runs).
            copyFloats(dst, lane, n);
          }
        }
      }
    }
  }
}

/// Tasks [begin, end) of (channel block, group of R output rows), in that
/// order: the rows of each block, then the epilogue over them while they
/// are in cache.
template <typename V, int W, int MR, int NV, int R>
__attribute__((always_inline)) inline void tasks(const Job &j, int64_t begin,
                                                 int64_t end) {
  const Geometry &g = *j.g;
  int64_t groups = (g.oh + R - 1) / R;
  for (int64_t i = begin; i < end;) {
    int64_t fb = i / groups, first = i % groups;
    int64_t last = std::min(groups, first + (end - i));
    for (int64_t t = first; t < last; ++t)
      rows<V, W, MR, NV, R>(j, fb, t * R);
    int64_t y0 = first * R, y1 = std::min(g.oh, last * R);
    if (j.epilogue) {
      int64_t f0 = fb * MR, channels = std::min<int64_t>(MR, j.f - f0);
      for (int64_t r = 0; r < channels; ++r)
        qopt_rt::applyEpilogue(*j.epilogue, f0 + r,
                               j.out + (f0 + r) * g.oh * g.ow + y0 * g.ow,
                               (y1 - y0) * g.ow, 1);
    }
    i += last - first;
  }
}

#define QOPT_DIRECT_TASKS(NAME, TARGET, V, W, MR, NV, R)                       \
  __attribute__((target(TARGET))) void NAME(void *ctx, int64_t begin,          \
                                            int64_t end) {                     \
    tasks<V, W, MR, NV, R>(*static_cast<const Job *>(ctx), begin, end);        \
  }
QOPT_DIRECT_TASKS(tasksAVX2Pair, "avx2,fma", F8, 8, 8, 1, 2)
QOPT_DIRECT_TASKS(tasksAVX2Narrow, "avx2,fma", F8, 8, 8, 1, 1)
QOPT_DIRECT_TASKS(tasksAVX2Wide, "avx2,fma", F8, 8, 6, 2, 1)
#define QOPT_AVX512_TILES(SUFFIX, TARGET)                                      \
  QOPT_DIRECT_TASKS(tasksAVX512Quad##SUFFIX, TARGET, F16, 16, 16, 1, 4)        \
  QOPT_DIRECT_TASKS(tasksAVX512Pair##SUFFIX, TARGET, F16, 16, 16, 1, 2)        \
  QOPT_DIRECT_TASKS(tasksAVX512Mid##SUFFIX, TARGET, F16, 16, 16, 1, 1)         \
  QOPT_DIRECT_TASKS(tasksAVX512Wide##SUFFIX, TARGET, F16, 16, 8, 2, 1)
QOPT_AVX512_TILES(, "avx512f,avx512vl,fma")
QOPT_AVX512_TILES(Emu, "avx2,fma")
#undef QOPT_AVX512_TILES
#undef QOPT_DIRECT_TASKS

qopt_rt_task_fn taskFunction(const TileShape &t) {
  bool emu = t.emulated;
  switch (t.kind) {
  case TileShape::AVX2Pair:
    return tasksAVX2Pair;
  case TileShape::AVX2Narrow:
    return tasksAVX2Narrow;
  case TileShape::AVX2Wide:
    return tasksAVX2Wide;
  case TileShape::AVX512Quad:
    return emu ? tasksAVX512QuadEmu : tasksAVX512Quad;
  case TileShape::AVX512Pair:
    return emu ? tasksAVX512PairEmu : tasksAVX512Pair;
  case TileShape::AVX512Mid:
    return emu ? tasksAVX512MidEmu : tasksAVX512Mid;
  case TileShape::AVX512Wide:
    return emu ? tasksAVX512WideEmu : tasksAVX512Wide;
  case TileShape::None:
    break;
  }
  __builtin_trap();
}

} // namespace

bool qopt_rt::takesDepthwiseOrWinograd(int64_t groups, int64_t c, int64_t f,
                                       int64_t kh, int64_t kw, int64_t oh,
                                       int64_t ow, int64_t sh, int64_t sw,
                                       int64_t dh, int64_t dw) {
  return (c == 1 && f == 1 && groups > 1) ||
         winogradTile(c, f, kh, kw, sh, sw, dh, dw, oh, ow);
}

int qopt_rt::smallPlaneIsa(const char *offVariable) {
  const char *env = std::getenv(offVariable);
  if (env && std::strcmp(env, "0") == 0)
    return 0;
  const char *name = selectSgemmKernel().isa;
  return std::strcmp(name, "avx512") == 0      ? 2
         : std::strcmp(name, "avx512emu") == 0 ? 3
         : std::strcmp(name, "avx2") == 0      ? 1
                                               : 0;
}

float *qopt_rt::packFilterBlocks(const float *w, int64_t f, int64_t depth,
                                 int64_t block) {
  int64_t blocks = (f + block - 1) / block;
  float *packed = static_cast<float *>(
      std::malloc(blocks * depth * block * sizeof(float)));
  for (int64_t fb = 0; fb < blocks; ++fb)
    for (int64_t k = 0; k < depth; ++k)
      for (int64_t l = 0; l < block; ++l) {
        int64_t fi = fb * block + l;
        packed[(fb * depth + k) * block + l] =
            fi < f ? w[fi * depth + k] : 0.0f;
      }
  return packed;
}

bool qopt_rt::usesDirectConv(int64_t c, int64_t h, int64_t wd, int64_t f,
                             int64_t kh, int64_t kw, int64_t oh, int64_t ow,
                             int64_t sh, int64_t sw) {
  if (c <= 0 || f <= 0 || oh <= 0 || ow <= 0 || ow > 32)
    return false;
  // Every channel block's tiles read all of the input again: it must stay
  // in cache (64 KB). Larger inputs are the implicit GEMM's, whose packed
  // panels are read once per K slab for all channels.
  if (c * h * wd > qopt_rt::kSmallPlaneMaxInput)
    return false;
  if ((kh == 1 && kw == 1 && sh == 1 && sw == 1) || sh * sw > 64)
    return false;
  TileShape t = tileShape(ow);
  if (t.kind == TileShape::None)
    return false;
  // Lanes of the row's tiles that hold outputs: at least half.
  return enoughLanes(ow, t.width());
}

void qopt_rt::conv2dDirect(const float *in, const float *w, float *out,
                           int64_t c, int64_t h, int64_t wd, int64_t f,
                           int64_t kh, int64_t kw, int64_t oh, int64_t ow,
                           int64_t sh, int64_t sw, int64_t dh, int64_t dw,
                           int64_t pt, int64_t pl, int64_t pb, int64_t pr,
                           std::atomic<float *> *cache, bool accumulate,
                           const Epilogue *epilogue) {
  Geometry g = Geometry::of(c, h, wd, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl,
                            pb, pr);
  TileShape t = tileShape(ow);
  int64_t depth = c * kh * kw;

  // The phase planes, then zeroed slack for the lanes of the last row's
  // tiles that reach past them.
  struct PlaneSite;
  struct OffsetSite;
  int64_t size = g.size();
  // A tile's reach past its first row: its R rows, one more row.
  int64_t slack = t.lanes * t.nv + t.rows * g.cols;
  float *planes = qopt_rt::threadScratch<float, PlaneSite>(size + slack);
  zeroFloats(planes + size, slack);
  SplitJob split{&g, in, planes};
  // Over the pool only with some 16K floats per thread to copy.
  qopt_rt_parallel_for(c, std::max<int64_t>(1, 16384 / g.phaseSize() / (sh * sw)),
                       splitChannels, &split);

  int64_t *offsets = qopt_rt::threadScratch<int64_t, OffsetSite>(depth);
  g.tapOffsets(offsets);

  // The packed weights: cached in the slot, or this call's own copy.
  float *owned;
  const float *packed = qopt_rt::cachedOrOwnedPacking(
      cache, [&] { return qopt_rt::packFilterBlocks(w, f, depth, t.mr); },
      owned);

  Job job{&g, planes, offsets, packed, out, f, depth, accumulate, epilogue};
  int64_t blocks = (f + t.mr - 1) / t.mr;
  int64_t count = blocks * ((oh + t.rows - 1) / t.rows);
  qopt_rt_task_fn fn = taskFunction(t);
  // As the GEMM: below ~512K multiply-adds per thread the hand-off costs
  // more than it saves. Each task is a tile row of one channel block.
  int threads = qopt_rt_get_num_threads();
  int64_t macs = f * depth * oh * ow;
  if (threads <= 1 || macs < (int64_t(threads) << 19))
    fn(&job, 0, count);
  else
    qopt_rt_parallel_for(count, 1, fn, &job);
  std::free(owned);
}

extern "C" int qopt_rt_conv2d_f32_uses_direct(int64_t groups, int64_t c,
                                              int64_t h, int64_t wd,
                                              int64_t f, int64_t kh,
                                              int64_t kw, int64_t oh,
                                              int64_t ow, int64_t sh,
                                              int64_t sw, int64_t dh,
                                              int64_t dw) {
  if (qopt_rt::takesDepthwiseOrWinograd(groups, c, f, kh, kw, oh, ow, sh, sw,
                                        dh, dw))
    return 0;
  return qopt_rt::usesChannelConv(c, h, wd, f, kh, kw, oh, ow, sh, sw) ||
         qopt_rt::usesDirectConv(c, h, wd, f, kh, kw, oh, ow, sh, sw);
}
