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
// Threads split C in a grid of row and column groups, chosen by the time
// of the busiest thread: its multiply-adds, and the A and B it packs or
// reads. A thread that takes all rows (or all columns) reads all of B (or
// A): with 16 threads on ViT-B/16's 197x768x3072 products, 16 reads of a
// 9 MB B, memory-bound. A batch of products is one job over the products'
// grids.
//
//===----------------------------------------------------------------------===//

#include "Microkernels.h"
#include "Profile.h"
#include "ScratchBuffer.h"
#include "WeightSlot.h"
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
      // Whole panels of unit-stride rows: fixed-size copies, which become
      // a few full-width vector moves (the loop below ran 4 floats at a
      // time: it is tuned for any length).
      if (b.cs == 1 && cols == nr && (nr == 8 || nr == 16 || nr == 32)) {
        if (nr == 16)
          std::memcpy(out, src + jp, 16 * sizeof(float));
        else if (nr == 32)
          std::memcpy(out, src + jp, 32 * sizeof(float));
        else
          std::memcpy(out, src + jp, 8 * sizeof(float));
        continue;
      }
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
  const float *packedA; // all of A pre-packed (packWholeA), or null
  const float *packedB; // all of B pre-packed (packWholeB), or null
  PackBFn packImplicitB; // B's packing function (implicit GEMM), or null
  const void *packImplicitBContext;
  const Epilogue *epilogue = nullptr; // applied after the last K slab
  // The threads' grid over one product: rowGroups x colGroups tasks (set
  // by runGemm); `batch` products, a/b/c `batchStride` elements apart.
  int64_t rowGroups = 1, colGroups = 1;
  int64_t batch = 1, batchStrideA = 0, batchStrideB = 0, batchStrideC = 0;
};

/// Offset of the K slab starting at `pc` in a packWhole{A,B} buffer of
/// `extent` rows (A) or columns (B) rounded up to panels of `panel`.
int64_t slabOffset(int64_t extent, int panel, int64_t pc) {
  return (extent + panel - 1) / panel * panel * pc;
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

/// Packs all of B, slab after slab: in each slab the NR-column panels of
/// every column, so that the panels of any column range that starts on a
/// panel boundary are consecutive (what one packB of that range gives).
float *packWholeB(const Matrix &b, int64_t n, int64_t k, int nr) {
  int64_t cols = (n + nr - 1) / nr * nr;
  float *packed = static_cast<float *>(std::malloc(cols * k * sizeof(float)));
  for (int64_t pc = 0; pc < k; pc += kKC)
    packB(b, pc, std::min<int64_t>(kKC, k - pc), 0, n, nr,
          packed + slabOffset(n, nr, pc));
  return packed;
}

/// Applies the epilogue to rows [r0, r0 + rows) of `cols` columns of C
/// (c points at column 0 of the range): one vectorized clone per ISA.
QOPT_RT_VECTORIZED void epilogueRows(const Epilogue &e, float *c, int64_t r0,
                                     int64_t rows, int64_t rsc, int64_t cols,
                                     int64_t csc) {
  for (int64_t r = r0; r < r0 + rows; ++r)
    applyEpilogue(e, r, c + r * rsc, cols, csc);
}

/// Computes rows [i0, i1) × columns [j0, j1) of C; i0 is a multiple of MR
/// and j0 of NR (the offsets of pre-packed panels rely on it).
void gemmRange(const GemmProblem &p, int64_t i0, int64_t i1, int64_t j0,
               int64_t j1) {
  const int mr = p.kernel->mr, nr = p.kernel->nr;
  // A is packed once per KC slab for all rows of the range, B once per
  // (slab, NC slice): each is read from memory once.
  thread_local std::vector<float> aPack, bPack;
  // The buffers only grow: resizing a shrunk vector back up would zero
  // the regrown part on every call (a memset as costly as small packings).
  auto reserve = [](std::vector<float> &buffer, int64_t size) {
    if (int64_t(buffer.size()) < size)
      buffer.resize(size);
  };
  int64_t rows = (i1 - i0 + mr - 1) / mr * mr;
  if (!p.packedA)
    reserve(aPack, rows * kKC + 64);
  if (!p.packedB)
    reserve(bPack,
            std::min<int64_t>(kNC, ((j1 - j0) + nr - 1) / nr * nr) * kKC + 64);
  alignas(64) float tile[16 * 64];
  for (int64_t pc = 0; pc < p.k; pc += kKC) {
    int64_t kc = std::min<int64_t>(kKC, p.k - pc);
    bool add = p.accumulate || pc > 0;
    bool last = pc + kc >= p.k;
    const float *aSlab = aPack.data();
    if (p.packedA)
      aSlab = p.packedA + slabOffset(p.m, mr, pc) + i0 * kc;
    else
      packA(p.a, i0, i1 - i0, pc, kc, mr, aPack.data());
    for (int64_t jc = j0; jc < j1; jc += kNC) {
      int64_t nc = std::min<int64_t>(kNC, j1 - jc);
      const float *bSlice = bPack.data();
      if (p.packedB)
        bSlice = p.packedB + slabOffset(p.n, nr, pc) + jc * kc;
      else if (p.packImplicitB)
        p.packImplicitB(p.packImplicitBContext, pc, kc, jc, nc, nr,
                        bPack.data());
      else
        packB(p.b, pc, kc, jc, nc, nr, bPack.data());
      for (int64_t ic = i0; ic < i1; ic += kMC) {
        int64_t mc = std::min<int64_t>(kMC, i1 - ic);
        for (int64_t jr = 0; jr < nc; jr += nr) {
          int64_t cols = std::min<int64_t>(nr, nc - jr);
          const float *bp = bSlice + jr * kc;
          for (int64_t ir = 0; ir < mc; ir += mr) {
            int64_t tileRows = std::min<int64_t>(mr, mc - ir);
            const float *ap = aSlab + (ic - i0 + ir) * kc;
            float *cp = p.c + (ic + ir) * p.rsc + (jc + jr) * p.csc;
            if (tileRows == mr && cols == nr && p.csc == 1) {
              p.kernel->fn(kc, ap, bp, cp, p.rsc, add);
            } else {
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
        // The sums of this block of C are complete: finish them while they
        // are in cache rather than in a separate pass over C, whole rows
        // at a time (per tile, the rows were too short to vectorize well).
        if (p.epilogue && last)
          epilogueRows(*p.epilogue, p.c + jc * p.csc, ic, mc, p.rsc, nc,
                       p.csc);
      }
    }
  }
}

/// Tasks [begin, end) of a job: task t is row group (t / colGroups) and
/// column group (t % colGroups) of product t / (rowGroups * colGroups).
/// Groups are whole MR-row / NR-column blocks, as even as they divide.
void gemmTask(void *ctx, int64_t begin, int64_t end) {
  const GemmProblem &p = *static_cast<const GemmProblem *>(ctx);
  const int64_t mr = p.kernel->mr, nr = p.kernel->nr;
  const int64_t rowBlocks = (p.m + mr - 1) / mr, colBlocks = (p.n + nr - 1) / nr;
  const int64_t perProduct = p.rowGroups * p.colGroups;
  for (int64_t t = begin; t < end; ++t) {
    int64_t product = t / perProduct, cell = t % perProduct;
    int64_t rg = cell / p.colGroups, cg = cell % p.colGroups;
    int64_t i0 = rowBlocks * rg / p.rowGroups * mr;
    int64_t i1 = std::min(p.m, rowBlocks * (rg + 1) / p.rowGroups * mr);
    int64_t j0 = colBlocks * cg / p.colGroups * nr;
    int64_t j1 = std::min(p.n, colBlocks * (cg + 1) / p.colGroups * nr);
    if (i0 >= i1 || j0 >= j1)
      continue;
    if (product == 0) {
      gemmRange(p, i0, i1, j0, j1);
      continue;
    }
    GemmProblem q = p;
    q.a.p += product * p.batchStrideA;
    q.b.p += product * p.batchStrideB;
    q.c += product * p.batchStrideC;
    gemmRange(q, i0, i1, j0, j1);
  }
}

/// The grid of at most `tasks` groups over rowBlocks x colBlocks with the
/// least time for the busiest task, per step of K and in cycles of a core
/// with two 16-lane FMA units: its multiply-adds (mr x nr per block pair,
/// 1/32 cycle each), its packing of the A rows and B columns that are not
/// pre-packed (some half a cycle an element: ResNet-18's implicit GEMMs
/// pack B from the image, and a grid of all rows per task made each thread
/// pack every column), and its reads of pre-packed panels (a tenth of a
/// cycle an element, the memory traffic that a grid of all columns per task
/// repeats on every thread).
void chooseGrid(const SgemmKernel &kernel, bool aPacked, bool bPacked,
                int64_t rowBlocks, int64_t colBlocks, int64_t tasks,
                int64_t &rowGroups, int64_t &colGroups) {
  const double mr = kernel.mr, nr = kernel.nr;
  const double aCost = aPacked ? 0.1 : 0.5, bCost = bPacked ? 0.1 : 0.5;
  rowGroups = colGroups = 1;
  double best = -1;
  for (int64_t rg = 1; rg <= std::min(tasks, rowBlocks); ++rg)
    for (int64_t cg = 1; rg * cg <= tasks && cg <= colBlocks; ++cg) {
      double rows = double((rowBlocks + rg - 1) / rg);
      double cols = double((colBlocks + cg - 1) / cg);
      double cycles = rows * cols * mr * nr / 32 + aCost * rows * mr +
                      bCost * cols * nr;
      if (best < 0 || cycles < best) {
        best = cycles;
        rowGroups = rg;
        colGroups = cg;
      }
    }
}

/// Runs a problem whose A (and B) are set up: on the calling thread when it
/// is small, else split over the pool.
void runGemm(GemmProblem &p, std::atomic<float *> *aCache) {
  const SgemmKernel &kernel = *p.kernel;
  if (aCache)
    p.packedA = cachedPacking(
        aCache, [&] { return packWholeA(p.a, p.m, p.k, kernel.mr); });
  int64_t colBlocks = (p.n + kernel.nr - 1) / kernel.nr;
  int64_t rowBlocks = (p.m + kernel.mr - 1) / kernel.mr;
  // As many tasks as threads the work can feed, over the products and
  // their grids.
  int64_t useful = usefulThreads(p.batch * p.m * p.n * p.k);
  if (useful <= 1) {
    for (int64_t i = 0; i < p.batch; ++i)
      gemmTask(&p, i, i + 1);
    return;
  }
  int64_t perProduct = std::max<int64_t>(1, useful / p.batch);
  chooseGrid(kernel, p.packedA, p.packedB, rowBlocks, colBlocks, perProduct,
             p.rowGroups, p.colGroups);
  qopt_rt_parallel_for(p.batch * p.rowGroups * p.colGroups, 1, gemmTask, &p);
}

} // namespace

int64_t qopt_rt::parallelGrain(int64_t count, int64_t macs) {
  // Below ~512K multiply-adds per thread (some 20 µs of one core), handing
  // work to the pool costs more than it saves: waking or synchronising a
  // worker takes microseconds, more on a loaded machine, and each thread
  // packs its own panels. (Measured on fashion_cnn, whose products are
  // 25K to 590K multiply-adds: 2 threads were 20 % slower than 1.) A
  // product too small for all the threads still takes as many as it can
  // feed: running it whole on one thread instead made MobileNetV2's
  // 4.8M multiply-add layers serial at 16 threads (under 2^19 each) while
  // 8 threads split them, one reason 16 threads ran slower than 8.
  int64_t useful = usefulThreads(macs);
  if (useful <= 1 || count <= 1)
    return 0;
  if (useful >= qopt_rt_get_num_threads())
    return 1; // the pool's own split
  return (count + useful - 1) / useful;
}

int64_t qopt_rt::usefulThreads(int64_t macs) {
  // QOPT_MACS_PER_THREAD overrides the 2^19 (for measuring the rule on
  // another machine; results do not depend on it).
  static const int64_t perThread = [] {
    const char *env = std::getenv("QOPT_MACS_PER_THREAD");
    long long v = env ? std::atoll(env) : 0;
    return v > 0 ? int64_t(v) : int64_t(1) << 19;
  }();
  return std::min<int64_t>(qopt_rt_get_num_threads(), macs / perThread);
}

namespace {

/// Handles the degenerate sizes; returns false when there is nothing left
/// to compute.
bool nonEmpty(int64_t m, int64_t n, int64_t k, float *c, int64_t rsc,
              int64_t csc, bool accumulate) {
  if (m <= 0 || n <= 0)
    return false;
  if (k > 0)
    return true;
  if (!accumulate)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        c[i * rsc + j * csc] = 0.0f;
  return false;
}

} // namespace

namespace {

/// A one-row product (a fully connected layer on one image) against a
/// pre-packed B: the MR-row microkernel would compute MR - 1 rows of
/// padding (2 GMAC/s for ResNet-18's 1×512 · 512×1000 classifier). Here
/// each group of kGroup NR-column panels keeps kGroup·NR/W accumulator
/// vectors, enough independent FMA chains to hide the FMA latency; B is
/// streamed once. The arithmetic is the microkernel's: per 256-deep slab
/// an FMA chain from zero in k order, then added to C. Each column's sum
/// is its own chain, so how panels are grouped, or split between threads,
/// changes no result.
///
/// The work is memory-bound (one multiply-add per 4-byte weight), so the
/// threads it takes follow B's bytes, not its multiply-adds: by the
/// multiply-add rule (usefulThreads) MobileNetV2's 1280×1000 classifier
/// (5 MB) took 2 threads and ran at its 1-thread speed (0.5 ms, against
/// ONNX Runtime's 0.07 ms at 4 threads on the AVX-512 machine).
struct GemvJob {
  int64_t n, k;
  const float *a; // the row of A
  int64_t csa;
  const float *packedB; // packWholeB's layout
  float *c;
  int64_t csc;
  bool accumulate;
  int nr;
};

constexpr int64_t kGemvGroup = 4; // panels per group
/// Bytes of B below which another thread costs more than it saves
/// (streaming 64 KiB takes some microseconds, as a hand-off does).
constexpr int64_t kGemvBytesPerThread = 64 << 10;

typedef float GemvV8 __attribute__((vector_size(32)));

template <int kNR>
__attribute__((always_inline)) inline void gemvGroups(const GemvJob &j,
                                                      int64_t begin,
                                                      int64_t end) {
  // Explicit 8-float vectors: the loop vectorizer left the kGroup × NR
  // accumulators in memory (6× slower than the microkernel).
  constexpr int kV = kNR / 8;
  // [begin, end) are panels, taken kGemvGroup at a time.
  int64_t cols = (j.n + kNR - 1) / kNR * kNR;
  for (int64_t g = begin; g < end; g += kGemvGroup) {
    int64_t j0 = g * kNR;
    int64_t panels = std::min<int64_t>(kGemvGroup, end - g);
    for (int64_t pc = 0; pc < j.k; pc += kKC) {
      int64_t kc = std::min<int64_t>(kKC, j.k - pc);
      const float *b = j.packedB + cols * pc + j0 * kc;
      GemvV8 acc[kGemvGroup][kV] = {};
      auto step = [&](int p, int64_t kk, float av) {
        for (int v = 0; v < kV; ++v) {
          GemvV8 bv;
          std::memcpy(&bv, b + (p * kc + kk) * kNR + v * 8, sizeof(bv));
          GemvV8 avv = {av, av, av, av, av, av, av, av};
          acc[p][v] += avv * bv;
        }
      };
      if (panels == kGemvGroup) {
        for (int64_t kk = 0; kk < kc; ++kk) {
          float av = j.a[(pc + kk) * j.csa];
          for (int p = 0; p < kGemvGroup; ++p)
            step(p, kk, av);
        }
      } else {
        for (int64_t kk = 0; kk < kc; ++kk) {
          float av = j.a[(pc + kk) * j.csa];
          for (int p = 0; p < panels; ++p)
            step(p, kk, av);
        }
      }
      bool add = j.accumulate || pc > 0;
      for (int p = 0; p < panels; ++p)
        for (int l = 0; l < kNR; ++l) {
          int64_t col = j0 + p * kNR + l;
          if (col >= j.n)
            break;
          float &dst = j.c[col * j.csc];
          dst = add ? dst + acc[p][l / 8][l % 8] : acc[p][l / 8][l % 8];
        }
    }
  }
}

__attribute__((always_inline)) inline void gemvAnyNR(void *ctx, int64_t begin,
                                                     int64_t end) {
  const GemvJob &j = *static_cast<const GemvJob *>(ctx);
  if (j.nr == 32)
    gemvGroups<32>(j, begin, end);
  else if (j.nr == 16)
    gemvGroups<16>(j, begin, end);
  else if (j.nr == 8)
    gemvGroups<8>(j, begin, end);
  else
    __builtin_trap(); // no kernel has another NR
}

/// For the FMA kernels (AVX2, AVX-512 and its emulation): the clones for
/// x86-64-v3 and v4 contract `acc += a·b` into FMAs, as those kernels do.
QOPT_RT_VECTORIZED void gemvTask(void *ctx, int64_t begin, int64_t end) {
  gemvAnyNR(ctx, begin, end);
}

/// For the generic kernel, which has no FMA (a multiply, then an add):
/// compiled for the baseline only, so that its sums are that kernel's.
void gemvTaskNoFMA(void *ctx, int64_t begin, int64_t end) {
  gemvAnyNR(ctx, begin, end);
}

} // namespace

void qopt_rt::sgemm(int64_t m, int64_t n, int64_t k, const float *a,
                    int64_t rsa, int64_t csa, const float *b, int64_t rsb,
                    int64_t csb, float *c, int64_t rsc, int64_t csc,
                    bool accumulate, std::atomic<float *> *aCache,
                    std::atomic<float *> *bCache, const Epilogue *epilogue) {
  if (!nonEmpty(m, n, k, c, rsc, csc, accumulate))
    return;
  const SgemmKernel &kernel = selectSgemmKernel(n);
  GemmProblem p{m,        n,       k,       {a, rsa, csa}, {b, rsb, csb},
                c,        rsc,     csc,     accumulate,    &kernel,
                nullptr,  nullptr, nullptr, nullptr,       epilogue};
  // B is constant (a weight the activations multiply): packed once, like
  // a constant A.
  if (bCache)
    p.packedB = cachedPacking(
        bCache, [&] { return packWholeB(p.b, n, k, kernel.nr); });
  if (m == 1 && p.packedB && !aCache && !epilogue) {
    GemvJob job{n,           k,   a,          csa,      p.packedB,
                c,           csc, accumulate, kernel.nr};
    int64_t panels = (n + kernel.nr - 1) / kernel.nr;
    int64_t useful = std::min<int64_t>(
        {int64_t(qopt_rt_get_num_threads()), panels,
         n * k * int64_t(sizeof(float)) / kGemvBytesPerThread});
    qopt_rt_task_fn task =
        std::strcmp(kernel.isa, "generic") == 0 ? gemvTaskNoFMA : gemvTask;
    if (useful <= 1)
      task(&job, 0, panels);
    else
      qopt_rt_parallel_for(panels, (panels + useful - 1) / useful, task,
                           &job);
    return;
  }
  runGemm(p, aCache);
}

void qopt_rt::sgemmBatched(int64_t batch, int64_t m, int64_t n, int64_t k,
                           const float *a, int64_t sba, int64_t rsa,
                           int64_t csa, const float *b, int64_t sbb,
                           int64_t rsb, int64_t csb, float *c, int64_t sbc,
                           int64_t rsc, int64_t csc, bool accumulate) {
  if (batch <= 0 || !nonEmpty(m, n, k, c, rsc, csc, accumulate)) {
    for (int64_t i = 1; i < batch; ++i) // the first was handled
      nonEmpty(m, n, k, c + i * sbc, rsc, csc, accumulate);
    return;
  }
  const SgemmKernel &kernel = selectSgemmKernel(n);
  GemmProblem p{m,       n,       k,       {a, rsa, csa}, {b, rsb, csb},
                c,       rsc,     csc,     accumulate,    &kernel,
                nullptr, nullptr, nullptr, nullptr,       nullptr};
  p.batch = batch;
  p.batchStrideA = sba;
  p.batchStrideB = sbb;
  p.batchStrideC = sbc;
  runGemm(p, nullptr);
}

namespace {

struct PackBJob {
  PackBFn packB;
  const void *context;
  int64_t n, k;
  int nr;
  float *dst; // packWholeB's layout
};

constexpr int64_t kPackChunk = 256; // columns per task: a multiple of NR

/// Tasks are (slab, 256-column chunk) pairs, slab-major.
void packBChunks(void *ctx, int64_t begin, int64_t end) {
  const PackBJob &j = *static_cast<const PackBJob *>(ctx);
  int64_t chunks = (j.n + kPackChunk - 1) / kPackChunk;
  for (int64_t t = begin; t < end; ++t) {
    int64_t pc = t / chunks * kKC, j0 = t % chunks * kPackChunk;
    int64_t kc = std::min<int64_t>(kKC, j.k - pc);
    j.packB(j.context, pc, kc, j0, std::min<int64_t>(kPackChunk, j.n - j0),
            j.nr, j.dst + slabOffset(j.n, j.nr, pc) + j0 * kc);
  }
}

} // namespace

void qopt_rt::sgemmImplicitB(int64_t m, int64_t n, int64_t k, const float *a,
                             int64_t rsa, int64_t csa, PackBFn packB,
                             const void *packBContext, float *c, int64_t rsc,
                             int64_t csc, bool accumulate,
                             std::atomic<float *> *aCache,
                             const Epilogue *epilogue) {
  if (!nonEmpty(m, n, k, c, rsc, csc, accumulate))
    return;
  const SgemmKernel &kernel = selectSgemmKernel(n);
  GemmProblem p{m,       n,       k,     {a, rsa, csa}, {nullptr, 0, 0},
                c,       rsc,     csc,   accumulate,    &kernel,
                nullptr, nullptr, packB, packBContext,  epilogue};
  // Where the threads' grid has several row groups, each would pack the
  // patches of its columns for its rows: B is packed once instead, split
  // over the pool, and shared, and the grid chosen for a packed B.
  // (ResNet-18's stride-2 convolutions at 4 threads, 512 rows x 49 or 196
  // columns, ran 2.3 to 2.7 times faster than at 1 thread, their patch
  // packing repeated by every thread.)
  int64_t useful = usefulThreads(m * n * k);
  if (useful > 1) {
    int64_t colBlocks = (n + kernel.nr - 1) / kernel.nr;
    int64_t rowBlocks = (m + kernel.mr - 1) / kernel.mr;
    int64_t rowGroups, colGroups;
    chooseGrid(kernel, aCache != nullptr, /*bPacked=*/true, rowBlocks,
               colBlocks, useful, rowGroups, colGroups);
    if (rowGroups > 1) {
      struct Site;
      float *packed = threadScratch<float, Site>(colBlocks * kernel.nr * k);
      PackBJob job{packB, packBContext, n, k, kernel.nr, packed};
      int64_t tasks = (k + kKC - 1) / kKC * ((n + kPackChunk - 1) / kPackChunk);
      qopt_rt_parallel_for(tasks, 1, packBChunks, &job);
      p.packedB = packed;
      p.packImplicitB = nullptr;
    }
  }
  runGemm(p, aCache);
}

extern "C" void qopt_rt_sgemm(int64_t m, int64_t n, int64_t k, int64_t a,
                              int64_t rsa, int64_t csa, int64_t b, int64_t rsb,
                              int64_t csb, int64_t c, int64_t rsc, int64_t csc,
                              int64_t accumulate) {
  QOPT_PROFILE_GEMM("sgemm", 1);
  qopt_rt::sgemm(m, n, k, reinterpret_cast<const float *>(a), rsa, csa,
                 reinterpret_cast<const float *>(b), rsb, csb,
                 reinterpret_cast<float *>(c), rsc, csc, accumulate != 0);
}

extern "C" void qopt_rt_sgemm_cached(int64_t m, int64_t n, int64_t k, int64_t a,
                                     int64_t rsa, int64_t csa, int64_t b,
                                     int64_t rsb, int64_t csb, int64_t c,
                                     int64_t rsc, int64_t csc, int64_t aCache,
                                     int64_t bCache, int64_t accumulate) {
  QOPT_PROFILE_GEMM("sgemm", 1);
  qopt_rt::sgemm(m, n, k, reinterpret_cast<const float *>(a), rsa, csa,
                 reinterpret_cast<const float *>(b), rsb, csb,
                 reinterpret_cast<float *>(c), rsc, csc, accumulate != 0,
                 reinterpret_cast<std::atomic<float *> *>(aCache),
                 reinterpret_cast<std::atomic<float *> *>(bCache));
}

extern "C" void qopt_rt_sgemm_batched(int64_t batch, int64_t m, int64_t n,
                                      int64_t k, int64_t a, int64_t sba,
                                      int64_t rsa, int64_t csa, int64_t b,
                                      int64_t sbb, int64_t rsb, int64_t csb,
                                      int64_t c, int64_t sbc, int64_t rsc,
                                      int64_t csc, int64_t accumulate) {
  QOPT_PROFILE_GEMM("sgemm batched", batch);
  qopt_rt::sgemmBatched(batch, m, n, k, reinterpret_cast<const float *>(a),
                        sba, rsa, csa, reinterpret_cast<const float *>(b), sbb,
                        rsb, csb, reinterpret_cast<float *>(c), sbc, rsc, csc,
                        accumulate != 0);
}

extern "C" const char *qopt_rt_isa(void) {
  return qopt_rt::selectSgemmKernel().isa;
}
