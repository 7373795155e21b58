//===- Gemm.cpp - packed, blocked, multithreaded f32 matrix product -------===//
//
// The classic BLIS/GotoBLAS structure: C is cut into NC-column slices, the
// K dimension into KC-deep slabs and M into MC-row blocks; each slab of B
// (KC×NC) and block of A (MC×KC) is packed into contiguous panels of NR
// columns / MR rows so that the microkernel streams both from cache with
// unit stride, and the MR×NR tile of C stays in vector registers for the
// whole slab. The microkernel is chosen once per process from the CPU's
// features (AVX-512, AVX2+FMA, or a portable SSE form).
//
// Threads split the larger of C's column or row block counts.
//
//===----------------------------------------------------------------------===//

#include "Microkernels.h"
#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace qopt_rt;

namespace {

constexpr int64_t kKC = 256;  // depth of a packed slab (B panel in L1)
constexpr int64_t kMC = 144;  // rows of a packed A block (in L2)
constexpr int64_t kNC = 512;  // columns of a packed B slice (in L2)

struct Matrix {
  const float *p;
  int64_t rs, cs;
  float at(int64_t i, int64_t j) const { return p[i * rs + j * cs]; }
};

/// Packs rows [i0, i0+mc) × depth [k0, k0+kc) of A into MR-row panels laid
/// out [panel][k][r], zero-padding the last panel.
QOPT_RT_VECTORIZED void packA(const Matrix &a, int64_t i0, int64_t mc, int64_t k0, int64_t kc,
           int mr, float *dst) {
  for (int64_t ip = 0; ip < mc; ip += mr) {
    int64_t rows = mc - ip < mr ? mc - ip : mr;
    for (int64_t k = 0; k < kc; ++k) {
      const float *src = a.p + (i0 + ip) * a.rs + (k0 + k) * a.cs;
      int64_t r = 0;
      for (; r < rows; ++r)
        dst[r] = src[r * a.rs];
      for (; r < mr; ++r)
        dst[r] = 0.0f;
      dst += mr;
    }
  }
}

/// Packs depth [k0, k0+kc) × columns [j0, j0+nc) of B into NR-column panels
/// laid out [panel][k][c], zero-padding the last panel.
QOPT_RT_VECTORIZED void packB(const Matrix &b, int64_t k0, int64_t kc,
                              int64_t j0, int64_t nc, int nr, float *dst) {
  // Row by row of B, so that the reads stream through memory (B is often
  // an im2col matrix whose rows are far apart); each row scatters into the
  // nc/nr panels.
  int64_t panels = (nc + nr - 1) / nr;
  for (int64_t k = 0; k < kc; ++k) {
    const float *src = b.p + (k0 + k) * b.rs + j0 * b.cs;
    for (int64_t panel = 0; panel < panels; ++panel) {
      float *out = dst + (panel * kc + k) * nr;
      int64_t jp = panel * nr;
      int64_t cols = nc - jp < nr ? nc - jp : nr;
      int64_t c = 0;
      if (b.cs == 1)
        for (; c < cols; ++c)
          out[c] = src[jp + c];
      else
        for (; c < cols; ++c)
          out[c] = src[(jp + c) * b.cs];
      for (; c < nr; ++c)
        out[c] = 0.0f;
    }
  }
}

struct GemmProblem {
  int64_t m, n, k;
  Matrix a, b;
  float *c;
  int64_t rsc, csc;
  bool accumulate;
  const SgemmKernel *kernel;
  bool splitColumns;
  const float *packedA; // all of A pre-packed (packWholeA), or null
};

/// Offset of the K slab starting at `pc` in a packWholeA buffer.
int64_t slabOffset(int64_t m, int mr, int64_t pc) {
  return (m + mr - 1) / mr * mr * pc;
}

/// Packs all of A, slab after slab, in the layout gemmRange reads.
float *packWholeA(const Matrix &a, int64_t m, int64_t k, int mr) {
  int64_t rows = (m + mr - 1) / mr * mr;
  float *packed = static_cast<float *>(std::malloc(rows * k * sizeof(float)));
  for (int64_t pc = 0; pc < k; pc += kKC)
    packA(a, 0, m, pc, std::min<int64_t>(kKC, k - pc), mr,
          packed + slabOffset(m, mr, pc));
  return packed;
}

/// Computes rows [i0, i1) × columns [j0, j1) of C.
void gemmRange(const GemmProblem &p, int64_t i0, int64_t i1, int64_t j0,
               int64_t j1) {
  const int mr = p.kernel->mr, nr = p.kernel->nr;
  // A is packed once per KC slab for all rows of the range, B once per
  // (slab, NC slice): each is read from memory once.
  thread_local std::vector<float> aPack, bPack;
  int64_t rows = (i1 - i0 + mr - 1) / mr * mr;
  if (!p.packedA)
    aPack.resize(rows * kKC + 64);
  bPack.resize(std::min<int64_t>(kNC, ((j1 - j0) + nr - 1) / nr * nr) * kKC +
               64);
  alignas(64) float tile[16 * 64];
  for (int64_t pc = 0; pc < p.k; pc += kKC) {
    int64_t kc = std::min<int64_t>(kKC, p.k - pc);
    bool add = p.accumulate || pc > 0;
    const float *aSlab = aPack.data();
    if (p.packedA)
      aSlab = p.packedA + slabOffset(p.m, mr, pc) + i0 * kc;
    else
      packA(p.a, i0, i1 - i0, pc, kc, mr, aPack.data());
    for (int64_t jc = j0; jc < j1; jc += kNC) {
      int64_t nc = std::min<int64_t>(kNC, j1 - jc);
      packB(p.b, pc, kc, jc, nc, nr, bPack.data());
      for (int64_t ic = i0; ic < i1; ic += kMC) {
        int64_t mc = std::min<int64_t>(kMC, i1 - ic);
        for (int64_t jr = 0; jr < nc; jr += nr) {
          int64_t cols = std::min<int64_t>(nr, nc - jr);
          const float *bp = bPack.data() + jr * kc;
          for (int64_t ir = 0; ir < mc; ir += mr) {
            int64_t tileRows = std::min<int64_t>(mr, mc - ir);
            const float *ap = aSlab + (ic - i0 + ir) * kc;
            float *cp = p.c + (ic + ir) * p.rsc + (jc + jr) * p.csc;
            if (tileRows == mr && cols == nr && p.csc == 1) {
              p.kernel->fn(kc, ap, bp, cp, p.rsc, add);
              continue;
            }
            // Edge or strided tile: compute into a local tile, then merge.
            p.kernel->fn(kc, ap, bp, tile, nr, false);
            for (int64_t r = 0; r < tileRows; ++r)
              for (int64_t c = 0; c < cols; ++c) {
                float &dst = cp[r * p.rsc + c * p.csc];
                dst = add ? dst + tile[r * nr + c] : tile[r * nr + c];
              }
          }
        }
      }
    }
  }
}

void gemmTask(void *ctx, int64_t begin, int64_t end) {
  const GemmProblem &p = *static_cast<const GemmProblem *>(ctx);
  if (p.splitColumns) {
    int64_t nr = p.kernel->nr;
    gemmRange(p, 0, p.m, begin * nr, std::min(p.n, end * nr));
  } else {
    int64_t mr = p.kernel->mr;
    gemmRange(p, begin * mr, std::min(p.m, end * mr), 0, p.n);
  }
}

} // namespace

void qopt_rt::sgemm(int64_t m, int64_t n, int64_t k, const float *a,
                    int64_t rsa, int64_t csa, const float *b, int64_t rsb,
                    int64_t csb, float *c, int64_t rsc, int64_t csc,
                    bool accumulate, std::atomic<float *> *aCache) {
  if (m <= 0 || n <= 0)
    return;
  if (k <= 0) {
    if (!accumulate)
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j)
          c[i * rsc + j * csc] = 0.0f;
    return;
  }
  const SgemmKernel &kernel = selectSgemmKernel();
  GemmProblem p{m,   n,   k,          {a, rsa, csa}, {b, rsb, csb}, c,
                rsc, csc, accumulate, &kernel,       true,          nullptr};
  if (aCache) {
    // A is constant (weights): pack it on the first call, keep it for the
    // following ones. Racing first calls each pack; one copy wins.
    float *packed = aCache->load(std::memory_order_acquire);
    if (!packed) {
      float *mine = packWholeA(p.a, m, k, kernel.mr);
      if (aCache->compare_exchange_strong(packed, mine,
                                          std::memory_order_acq_rel))
        packed = mine;
      else
        std::free(mine);
    }
    p.packedA = packed;
  }
  int64_t colBlocks = (n + kernel.nr - 1) / kernel.nr;
  int64_t rowBlocks = (m + kernel.mr - 1) / kernel.mr;
  int threads = qopt_rt_get_num_threads();
  // Work below ~64K multiply-adds per thread is not worth a wake-up.
  int64_t flops = m * n * k;
  if (threads <= 1 || flops < 65536 * 2) {
    gemmRange(p, 0, m, 0, n);
    return;
  }
  p.splitColumns = colBlocks >= rowBlocks || colBlocks >= 2 * threads;
  int64_t blocks = p.splitColumns ? colBlocks : rowBlocks;
  qopt_rt_parallel_for(blocks, 1, gemmTask, &p);
}

extern "C" void qopt_rt_sgemm(int64_t m, int64_t n, int64_t k, int64_t a,
                              int64_t rsa, int64_t csa, int64_t b, int64_t rsb,
                              int64_t csb, int64_t c, int64_t rsc, int64_t csc,
                              int64_t accumulate) {
  qopt_rt::sgemm(m, n, k, reinterpret_cast<const float *>(a), rsa, csa,
                 reinterpret_cast<const float *>(b), rsb, csb,
                 reinterpret_cast<float *>(c), rsc, csc, accumulate != 0);
}

extern "C" void qopt_rt_sgemm_batched(int64_t batch, int64_t m, int64_t n,
                                      int64_t k, int64_t a, int64_t sba,
                                      int64_t rsa, int64_t csa, int64_t b,
                                      int64_t sbb, int64_t rsb, int64_t csb,
                                      int64_t c, int64_t sbc, int64_t rsc,
                                      int64_t csc, int64_t accumulate) {
  // Each product is split over the threads; the batches run in order.
  for (int64_t i = 0; i < batch; ++i)
    qopt_rt::sgemm(m, n, k, reinterpret_cast<const float *>(a) + i * sba, rsa,
                   csa, reinterpret_cast<const float *>(b) + i * sbb, rsb, csb,
                   reinterpret_cast<float *>(c) + i * sbc, rsc, csc,
                   accumulate != 0);
}

extern "C" const char *qopt_rt_isa(void) {
  return qopt_rt::selectSgemmKernel().isa;
}
