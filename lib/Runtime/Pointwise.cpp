//===- Pointwise.cpp - 1×1 stride-1 f32 convolutions, epilogue in registers
//===//
//
// A 1×1 stride-1 NCHW convolution is y[F, HW] = w[F, C] · x[C, HW], and x
// is already a row-major matrix (row stride HW). The general GEMM packs
// each slab of x into NR-column panels before multiplying; in MobileNetV2
// that general packing (per 512-column slice, scalar-indexed) and the
// separate pass that applies the bias + ReLU6 epilogue to each finished
// block of y cost as much as a third of the microkernel's time. Here each
// block of x's columns is copied into NR-column panels with plain vector
// moves (x is already row-major: no gathering), and the MR×NR tile (6×16
// on AVX2, 8×32 on AVX-512: the body in PointwiseKernel.inc is compiled
// for each, see SimdISA.h) is finished in registers: C + sum, bias,
// residual, clamps, one store.
//
// The arithmetic is qopt_rt::sgemm's, bit for bit: the same packed A, the
// same 256-deep K slabs, each summed from zero in k order with FMAs and
// then added to the tile (the partial sums go through y between slabs),
// and the epilogue's operations in applyEpilogue's order.
//
// Threads take contiguous ranges of tiles (block of columns, then row
// panel, then column panel): the split is even however few columns a
// layer has (a 7×7 plane has 4 column panels, too few to share between
// threads column-wise, as sgemm would). Tiles differ in cost where a
// plane's width is not a multiple of the tile's: a 7×7 plane's 49
// columns are a 32-column tile, a 16-column one and a matrix-vector
// column, so half of the tiles are half-price and they come in order; an
// even split by tiles gave the threads of the 32-column tiles twice the
// others' work (MobileNetV2's last layers scaled 4.6× at 16 threads on
// the AVX-512 machine). There the split is by cost (units of a
// one-vector tile), each tile going to the thread whose range holds its
// first unit: which thread computes a tile changes no result.
//
//===----------------------------------------------------------------------===//

#include "Pointwise.h"

#include "SimdISA.h"
#include "WeightSlot.h"

#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <immintrin.h>
#include <vector>

using namespace qopt_rt;

namespace {

constexpr int64_t kKC = 256; // sgemm's slab depth (Gemm.cpp): same sums
constexpr int64_t kBlockFloats = 6144;
constexpr int64_t kWholePlaneCols = 64;
// Columns past the last whole vector computed as matrix-vector products
// (at most), and the row panels of one such item (independent FMA chains:
// enough to cover the FMA latency at two a cycle).
constexpr int64_t kMaxRemainder = 4;
constexpr int kRemainderGroup = 8;

struct PointwiseJob {
  int64_t f, hw, c;
  const float *a; // packed: per K slab, MR-row panels laid out [k][r]
  const float *x;
  float *y;
  bool accumulate;
  const Epilogue *epilogue;
  int64_t rowPanels, colPanels;
  int64_t blockCols; // columns of x packed at a time, a multiple of NR
  // Columns [vecCols, hw) (at most kMaxRemainder, past the last whole
  // vector) are matrix-vector products (see remainder in
  // PointwiseKernel.inc), in remItems items of row panels after the
  // rowPanels · colPanels tiles of columns [0, vecCols).
  int64_t vecCols, remItems;
};

/// A PointwiseJob split by cost: the pool's range is of cost units, and
/// tile t starts at unit start[t] (start has count + 1 entries).
struct CostSplit {
  void (*run)(void *, int64_t, int64_t);
  void *job;
  const int64_t *start;
  int64_t count;
};

void runCostRange(void *ctx, int64_t begin, int64_t end) {
  const CostSplit &s = *static_cast<const CostSplit *>(ctx);
  const int64_t *first = std::lower_bound(s.start, s.start + s.count, begin);
  const int64_t *last = std::lower_bound(first, s.start + s.count, end);
  if (first != last)
    s.run(s.job, first - s.start, last - s.start);
}

/// Packs A (F×C, row-major) as Gemm.cpp's packWholeA does for an
/// `mr`-row kernel: slab after slab of kKC columns, in each slab mr-row
/// panels [k][r], zero-padded.
float *packWeights(const float *w, int64_t f, int64_t c, int mr) {
  int64_t rows = (f + mr - 1) / mr * mr;
  float *packed = static_cast<float *>(std::malloc(rows * c * sizeof(float)));
  for (int64_t pc = 0; pc < c; pc += kKC) {
    int64_t kc = std::min(kKC, c - pc);
    float *dst = packed + rows * pc;
    for (int64_t ip = 0; ip < f; ip += mr)
      for (int64_t k = 0; k < kc; ++k, dst += mr)
        for (int r = 0; r < mr; ++r)
          dst[r] = ip + r < f ? w[(ip + r) * c + pc + k] : 0.0f;
  }
  return packed;
}

// The kernel body, compiled once per ISA; kMR × kNR is that ISA's sgemm
// tile (Microkernels.cpp), so that the weights' cache slot and the sums
// are sgemm's.
QOPT_ISA_BEGIN(avx2, QOPT_TARGET_AVX2)
constexpr int kMR = 6, kNR = 2 * kLanes;
#include "PointwiseKernel.inc"
QOPT_ISA_END

QOPT_ISA_BEGIN(avx512, QOPT_TARGET_AVX512)
constexpr int kMR = 8, kNR = 2 * kLanes;
#include "PointwiseKernel.inc"
QOPT_ISA_END

// AVX-512's instantiation in AVX2 code (tests: QOPT_ISA=avx512emu).
QOPT_ISA_BEGIN(avx512emu, QOPT_TARGET_AVX2)
constexpr int kMR = avx512::kMR, kNR = 2 * kLanes;
#include "PointwiseKernel.inc"
QOPT_ISA_END

} // namespace

bool qopt_rt::pointwiseConv(int64_t f, int64_t hw, int64_t c, const float *w,
                            const float *x, float *y, bool accumulate,
                            std::atomic<float *> *aCache,
                            const Epilogue *epilogue) {
  const SgemmKernel &kernel = selectSgemmKernel();
  // The kernel of this ISA, if it has one (its tile must be sgemm's).
  void (*run)(void *, int64_t, int64_t);
  int mr, nr;
  bool fuseRemainder;
  if (!std::strcmp(kernel.isa, avx2::kIsa)) {
    run = avx2::tiles;
    mr = avx2::kMR;
    nr = avx2::kNR;
    fuseRemainder = avx2::kFuseRemainder;
  } else if (!std::strcmp(kernel.isa, avx512::kIsa)) {
    run = avx512::tiles;
    mr = avx512::kMR;
    nr = avx512::kNR;
    fuseRemainder = avx512::kFuseRemainder;
  } else if (!std::strcmp(kernel.isa, avx512emu::kIsa)) {
    run = avx512emu::tiles;
    mr = avx512emu::kMR;
    nr = avx512emu::kNR;
    fuseRemainder = avx512emu::kFuseRemainder;
  } else {
    return false;
  }
  if (kernel.mr != mr || kernel.nr != nr)
    return false;
  if (f <= 0 || hw <= 0 || c <= 0)
    return false; // sgemm's degenerate cases
  // The packed weights: cached in the call site's slot (the layout is
  // sgemm's, so either kernel may read a slot the other filled), or packed
  // for this call.
  float *owned;
  const float *a = cachedOrOwnedPacking(
      aCache, [&] { return packWeights(w, f, c, mr); }, owned);
  // Up to 4 columns past the last whole vector (MobileNetV2's 7×7 planes:
  // 49 = 3·16 + 1; 14×14: 196 = 12·16 + 4) as matrix-vector products,
  // rather than a tile of a whole vector for them (on AVX-512, 49 columns
  // took four 16-lane vectors: 64 columns' work).
  const int64_t lanes = nr / 2;
  int64_t rem = hw >= lanes && hw % lanes <= kMaxRemainder ? hw % lanes : 0;
  int64_t rowPanels = (f + mr - 1) / mr, vecCols = hw - rem;
  PointwiseJob job{f,
                   hw,
                   c,
                   a,
                   x,
                   y,
                   accumulate,
                   epilogue,
                   rowPanels,
                   (vecCols + nr - 1) / nr,
                   0,
                   vecCols,
                   rem && !fuseRemainder
                       ? (rowPanels + kRemainderGroup - 1) / kRemainderGroup
                       : 0};
  // Blocks of x of at most some 24 KiB (and 512 columns), so that a block
  // stays in L1 while each row panel of the weights runs along it. A plane
  // of at most kWholePlaneCols columns is one block however deep (it then
  // stays in L2): each row panel's weights are read once, not once per
  // block. On the AVX-512 machine MobileNetV2's 7×7 layers took 5 to 15%
  // less at 1 and 16 threads than with 32-column blocks; 64-column blocks
  // on the larger planes were up to 50% slower (16→96 on 112×112).
  job.blockCols = vecCols <= kWholePlaneCols
                      ? (vecCols + nr - 1) / nr * nr
                      : std::clamp<int64_t>(kBlockFloats / c / nr * nr, nr, 512);
  // QOPT_POINTWISE_BLOCK_COLS=N: N-column blocks (rounded up to whole
  // panels), for measurements.
  static const int64_t blockColsOverride = [] {
    const char *env = std::getenv("QOPT_POINTWISE_BLOCK_COLS");
    return env ? std::max<int64_t>(0, std::atoll(env)) : 0;
  }();
  if (blockColsOverride)
    job.blockCols = (blockColsOverride + nr - 1) / nr * nr;
  int64_t count = job.rowPanels * job.colPanels + job.remItems;
  // As sgemm: below ~512K multiply-adds per thread the hand-off costs more
  // than it saves.
  int64_t grain = parallelGrain(count, f * hw * c);
  if (!grain) {
    run(&job, 0, count);
  } else if (vecCols % nr == 0 && !rem) {
    qopt_rt_parallel_for(count, grain, run, &job); // tiles of equal cost
  } else {
    // Costs in FMAs per k: a tile of NV vectors kMR·NV, plus one per
    // remainder column in the last column panel's tiles where they take
    // them; a remainder item (kRemainderGroup row panels × rem columns)
    // kRemainderGroup·rem. Tiles are ordered block, row panel, column
    // panel (see tiles in PointwiseKernel.inc), so only the last column
    // panel may be narrow.
    std::vector<int64_t> start(count + 1);
    const int64_t perBlock = job.blockCols / nr;
    const int64_t tileCount = job.rowPanels * job.colPanels;
    start[0] = 0;
    for (int64_t t = 0; t < count; ++t) {
      int64_t cost = kRemainderGroup * rem;
      if (t < tileCount) {
        int64_t block = t / (job.rowPanels * perBlock);
        int64_t b0 = block * job.blockCols;
        int64_t panels = std::min(perBlock, (vecCols - b0 + nr - 1) / nr);
        int64_t q = (t - block * job.rowPanels * perBlock) % panels;
        int64_t j0 = b0 + q * nr;
        cost = (vecCols - j0 > lanes ? 2 : 1) * mr;
        if (fuseRemainder && j0 + nr >= vecCols)
          cost += rem;
      }
      start[t + 1] = start[t] + cost;
    }
    CostSplit split{run, &job, start.data(), count};
    int64_t units = start[count];
    qopt_rt_parallel_for(units, std::max<int64_t>(1, grain * units / count),
                         runCostRange, &split);
  }
  std::free(owned);
  return true;
}
