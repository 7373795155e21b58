//===- Pointwise.cpp - 1×1 stride-1 f32 convolutions, epilogue in registers
//===//
//
// A 1×1 stride-1 NCHW convolution is y[F, HW] = w[F, C] · x[C, HW], and x
// is already a row-major matrix (row stride HW). The general GEMM packs
// each slab of x into NR-column panels before multiplying; in MobileNetV2
// that general packing (per 512-column slice, scalar-indexed) and the
// separate pass that applies the bias + ReLU6 epilogue to each finished
// block of y cost as much as a third of the microkernel's time. Here each
// block of x's columns is copied into 16-column panels with plain vector
// moves (x is already row-major: no gathering), and the 6×16 AVX2 tile
// is finished in registers: C + sum, bias, residual, clamps, one store.
//
// The arithmetic is qopt_rt::sgemm's, bit for bit: the same packed A, the
// same 256-deep K slabs, each summed from zero in k order with FMAs and
// then added to the tile (the partial sums go through y between slabs),
// and the epilogue's operations in applyEpilogue's order.
//
// Threads take contiguous ranges of tiles (block of columns, then row
// panel, then column panel): the split is even however few columns a
// layer has (a 7×7 plane has 4 column panels, too few to share between
// threads column-wise, as sgemm would).
//
//===----------------------------------------------------------------------===//

#include "Pointwise.h"

#include "EpilogueAVX2.h"

#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <immintrin.h>

using namespace qopt_rt;

namespace {

constexpr int64_t kKC = 256; // sgemm's slab depth (Gemm.cpp): same sums
constexpr int kMR = 6, kNR = 16;
constexpr int64_t kBlockFloats = 6144;

struct PointwiseJob {
  int64_t f, hw, c;
  const float *a; // packed: per K slab, 6-row panels laid out [k][r]
  const float *x;
  float *y;
  bool accumulate;
  const Epilogue *epilogue;
  int64_t rowPanels, colPanels;
  int64_t blockCols; // columns of x packed at a time, a multiple of 16
};

/// Packs A (F×C, row-major) as Gemm.cpp's packWholeA does: slab after
/// slab of kKC columns, in each slab 6-row panels [k][r], zero-padded.
float *packWeights(const float *w, int64_t f, int64_t c) {
  int64_t rows = (f + kMR - 1) / kMR * kMR;
  float *packed = static_cast<float *>(std::malloc(rows * c * sizeof(float)));
  for (int64_t pc = 0; pc < c; pc += kKC) {
    int64_t kc = std::min(kKC, c - pc);
    float *dst = packed + rows * pc;
    for (int64_t ip = 0; ip < f; ip += kMR)
      for (int64_t k = 0; k < kc; ++k, dst += kMR)
        for (int r = 0; r < kMR; ++r)
          dst[r] = ip + r < f ? w[(ip + r) * c + pc + k] : 0.0f;
  }
  return packed;
}

enum StoreMode { kPlain, kBiasClamps, kGeneral };

/// Stores a whole 6×8·NV tile (C + acc where `add`), with the epilogue of
/// kMode; unrolled, so that acc stays in registers and the epilogue's
/// tests are made once per tile, not per vector.
template <int NV, StoreMode kMode>
__attribute__((target("avx2,fma"), always_inline)) inline void
storeTile(const PointwiseJob &p, const __m256 (&acc)[kMR][NV], float *y,
          bool add, const Epilogue *e, int64_t ip) {
  __m256 lo = _mm256_setzero_ps(), hi = lo;
  bool fast = false;
  if constexpr (kMode == kBiasClamps) {
    lo = _mm256_set1_ps(e->lo);
    hi = _mm256_set1_ps(e->hi);
  }
  if constexpr (kMode == kGeneral)
    fast = fastClamps(e->flags, e->lo, e->hi);
#pragma clang loop unroll(full)
  for (int r = 0; r < kMR; ++r) {
    float *row = y + r * p.hw;
    float bias = 0.0f;
    if constexpr (kMode != kPlain)
      bias = e->flags & 1 ? e->bias[ip * kMR + r] : e->biasScalar;
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; ++v) {
      __m256 value = acc[r][v];
      if (add)
        value = _mm256_add_ps(_mm256_loadu_ps(row + v * 8), value);
      if constexpr (kMode == kBiasClamps) {
        value = biasClamps8(value, _mm256_set1_ps(bias), lo, hi);
      } else if constexpr (kMode == kGeneral) {
        value = finish8(*e, fast, bias, row + v * 8, value);
      }
      _mm256_storeu_ps(row + v * 8, value);
    }
  }
}

/// Rows [6·ip, 6·ip + 6) × columns [j0, j0 + 8·NV) of y (the last panel
/// may have fewer rows or columns: `cols` ≤ 8·NV valid ones).
template <int NV>
__attribute__((target("avx2,fma"))) void tile(const PointwiseJob &p, int64_t ip,
                                              int64_t j0, int64_t cols,
                                              const float *panel) {
  const int64_t rows = std::min<int64_t>(kMR, p.f - ip * kMR);
  const int64_t paddedRows = p.rowPanels * kMR;
  float *y = p.y + ip * kMR * p.hw + j0;
  for (int64_t pc = 0; pc < p.c; pc += kKC) {
    const int64_t kc = std::min(kKC, p.c - pc);
    const float *a = p.a + paddedRows * pc + ip * kMR * kc;
    const float *b = panel + pc * 8 * NV;
    __m256 acc[kMR][NV];
    for (int r = 0; r < kMR; ++r)
      for (int v = 0; v < NV; ++v)
        acc[r][v] = _mm256_setzero_ps();
    for (int64_t k = 0; k < kc; ++k, a += kMR, b += 8 * NV) {
      __m256 bv[NV];
      bv[0] = _mm256_load_ps(b);
      if constexpr (NV == 2)
        bv[1] = _mm256_load_ps(b + 8);
      for (int r = 0; r < kMR; ++r) {
        __m256 av = _mm256_broadcast_ss(a + r);
        for (int v = 0; v < NV; ++v)
          acc[r][v] = _mm256_fmadd_ps(av, bv[v], acc[r][v]);
      }
    }
    const bool add = p.accumulate || pc > 0;
    const Epilogue *e = pc + kc >= p.c ? p.epilogue : nullptr;
    if (rows == kMR && cols == 8 * NV) {
      if (!e)
        storeTile<NV, kPlain>(p, acc, y, add, nullptr, ip);
      else if (biasAndClamps(*e))
        storeTile<NV, kBiasClamps>(p, acc, y, add, e, ip);
      else
        storeTile<NV, kGeneral>(p, acc, y, add, e, ip);
      continue;
    }
    // Edge tile: through a local copy, then the valid part (and the
    // epilogue's scalar tail, which computes what its vector steps do).
    alignas(32) float t[kMR][8 * NV];
    for (int r = 0; r < kMR; ++r)
      for (int v = 0; v < NV; ++v)
        _mm256_store_ps(&t[r][v * 8], acc[r][v]);
    for (int64_t r = 0; r < rows; ++r) {
      float *row = y + r * p.hw;
      for (int64_t j = 0; j < cols; ++j)
        row[j] = add ? row[j] + t[r][j] : t[r][j];
      if (e)
        applyEpilogue(*e, ip * kMR + r, row, cols, 1);
    }
  }
}

/// Copies columns [j0, j0 + cols) of x, all C rows, into a [k][W] panel,
/// zero-filling columns cols..W (masked loads: the last panel may end at
/// the very end of the input).
template <int NV>
__attribute__((target("avx2,fma"))) void
packPanel(const PointwiseJob &p, int64_t j0, int64_t cols, float *dst) {
  const float *src = p.x + j0;
  if (cols == 8 * NV) {
    for (int64_t k = 0; k < p.c; ++k, src += p.hw, dst += 8 * NV)
      for (int v = 0; v < NV; ++v)
        _mm256_store_ps(dst + v * 8, _mm256_loadu_ps(src + v * 8));
    return;
  }
  __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  __m256i mask[NV];
  for (int v = 0; v < NV; ++v)
    mask[v] = _mm256_cmpgt_epi32(_mm256_set1_epi32(int(cols) - 8 * v), lane);
  for (int64_t k = 0; k < p.c; ++k, src += p.hw, dst += 8 * NV)
    for (int v = 0; v < NV; ++v)
      _mm256_store_ps(dst + v * 8, _mm256_maskload_ps(src + v * 8, mask[v]));
}

/// Tiles [begin, end) in the order block of column panels, row panel,
/// column panel: each block of x's columns is first copied into a
/// contiguous per-thread buffer of 16-column panels (it stays in L1 for all
/// the row panels), and each row panel then runs along its rows of y, so
/// that the stores of a row are sequential (the prefetcher fetches y's
/// lines ahead; going down all F rows of one column panel instead was
/// measured up to 1.5x slower on MobileNetV2's expansion layers, whose y
/// does not fit in L2). Reading x in place, its rows HW floats apart
/// (mostly a multiple of 256 bytes: a few L1 sets), missed more than this
/// copy costs.
__attribute__((target("avx2,fma"))) void tiles(void *ctx, int64_t begin,
                                               int64_t end) {
  const PointwiseJob &p = *static_cast<const PointwiseJob *>(ctx);
  thread_local float *buffer = nullptr;
  thread_local int64_t capacity = 0;
  if (p.c * p.blockCols > capacity) {
    std::free(buffer);
    capacity = p.c * p.blockCols;
    buffer = static_cast<float *>(std::aligned_alloc(64, capacity * 4));
  }
  const int64_t perBlock = p.blockCols / kNR; // panels of a full block
  int64_t packed = -1;
  for (int64_t t = begin; t < end; ++t) {
    int64_t block = t / (p.rowPanels * perBlock);
    int64_t b0 = block * p.blockCols; // first column
    int64_t panels = std::min(perBlock, (p.hw - b0 + kNR - 1) / kNR);
    int64_t rest = t - block * p.rowPanels * perBlock;
    int64_t ip = rest / panels, q = rest % panels;
    if (packed != block) {
      for (int64_t r = 0; r < panels; ++r) {
        int64_t j0 = b0 + r * kNR, cols = std::min<int64_t>(kNR, p.hw - j0);
        if (cols > 8)
          packPanel<2>(p, j0, cols, buffer + r * p.c * kNR);
        else
          packPanel<1>(p, j0, cols, buffer + r * p.c * kNR);
      }
      packed = block;
    }
    int64_t j0 = b0 + q * kNR, cols = std::min<int64_t>(kNR, p.hw - j0);
    // Up to 8 columns take an 8-wide tile: half the work of a 16-wide one.
    if (cols > 8)
      tile<2>(p, ip, j0, cols, buffer + q * p.c * kNR);
    else
      tile<1>(p, ip, j0, cols, buffer + q * p.c * kNR);
  }
}

} // namespace

bool qopt_rt::pointwiseConv(int64_t f, int64_t hw, int64_t c, const float *w,
                            const float *x, float *y, bool accumulate,
                            std::atomic<float *> *aCache,
                            const Epilogue *epilogue) {
  const SgemmKernel &kernel = selectSgemmKernel();
  if (kernel.mr != kMR || kernel.nr != kNR || std::strcmp(kernel.isa, "avx2"))
    return false;
  if (f <= 0 || hw <= 0 || c <= 0)
    return false; // sgemm's degenerate cases
  // The packed weights: cached in the call site's slot (the layout is
  // sgemm's, so either kernel may read a slot the other filled), or packed
  // for this call.
  const float *a;
  float *owned = nullptr;
  if (aCache) {
    a = aCache->load(std::memory_order_acquire);
    if (!a) {
      float *mine = packWeights(w, f, c), *expected = nullptr;
      if (aCache->compare_exchange_strong(expected, mine,
                                          std::memory_order_acq_rel)) {
        a = mine;
      } else {
        std::free(mine);
        a = expected;
      }
    }
  } else {
    a = owned = packWeights(w, f, c);
  }
  PointwiseJob job{f,
                   hw,
                   c,
                   a,
                   x,
                   y,
                   accumulate,
                   epilogue,
                   (f + kMR - 1) / kMR,
                   (hw + kNR - 1) / kNR,
                   0};
  // Blocks of x of at most some 24 KiB (and 512 columns), so that a block
  // stays in L1 while each row panel of the weights runs along it.
  job.blockCols = std::clamp<int64_t>(kBlockFloats / c / kNR * kNR, kNR, 512);
  int64_t count = job.rowPanels * job.colPanels;
  int threads = qopt_rt_get_num_threads();
  // As sgemm: below ~512K multiply-adds per thread the hand-off costs more
  // than it saves.
  if (threads <= 1 || f * hw * c < (int64_t(threads) << 19))
    tiles(&job, 0, count);
  else
    qopt_rt_parallel_for(count, 1, tiles, &job);
  std::free(owned);
  return true;
}
