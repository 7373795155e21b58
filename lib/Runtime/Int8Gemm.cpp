//===- Int8Gemm.cpp - packed, multithreaded int8 matrix product ----------===//
//
// C (+)= (A - aZp)·(B - bZp) in int32. A is packed whole into MR-row panels
// of int16 pairs (or taken from the caller's cache of packed weights); the
// columns of C are split over the threads in NR-column panels, each packed
// from B once and multiplied with every A panel, the tile's accumulators
// staying in registers over the whole reduction (no K slabs: the int32
// accumulation is exact, and the panels of the models we compile fit in
// L2). The zero points are subtracted while packing, so the microkernel
// needs no row or column sum corrections. With a Requant, each tile is
// requantized to int8 as it leaves the microkernel instead of being stored
// as int32 (the kernel's vector epilogue where it has one, requantRow
// otherwise).
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"
#include "WeightSlot.h"
#include "ScratchBuffer.h"
#include "Microkernels.h"
#include "Profile.h"
#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

using namespace qopt_rt;

namespace {

int64_t roundUp(int64_t v, int64_t multiple) {
  return (v + multiple - 1) / multiple * multiple;
}

uint32_t pair(int32_t lo, int32_t hi) {
  return (static_cast<uint32_t>(static_cast<uint16_t>(lo))) |
         (static_cast<uint32_t>(static_cast<uint16_t>(hi)) << 16);
}

/// All of A: panel q holds rows [q·mr, q·mr + mr) as [kp][mr] words; rows
/// past m and the odd k's partner are 0 (a zero difference).
QOPT_RT_VECTORIZED void packA(const int8_t *a, int64_t rsa, int64_t csa,
                              int32_t zp, int64_t m, int64_t k, int mr,
                              int32_t *out) {
  int64_t kp = (k + 1) / 2;
  for (int64_t i0 = 0; i0 < m; i0 += mr) {
    int32_t *panel = out + i0 * kp;
    for (int r = 0; r < mr; ++r) {
      int64_t i = i0 + r;
      if (csa == 1 && i < m) {
        // A row of contiguous values (activations): no bounds logic inside,
        // so that the loads and pairing vectorize.
        const int8_t *row = a + i * rsa;
        int64_t full = k / 2;
        for (int64_t p = 0; p < full; ++p)
          panel[p * mr + r] = static_cast<int32_t>(
              pair(row[2 * p] - zp, row[2 * p + 1] - zp));
        if (full < kp)
          panel[full * mr + r] =
              static_cast<int32_t>(pair(row[2 * full] - zp, 0));
        continue;
      }
      for (int64_t p = 0; p < kp; ++p) {
        int32_t lo = 0, hi = 0;
        if (i < m) {
          lo = a[i * rsa + 2 * p * csa] - zp;
          if (2 * p + 1 < k)
            hi = a[i * rsa + (2 * p + 1) * csa] - zp;
        }
        panel[p * mr + r] = static_cast<int32_t>(pair(lo, hi));
      }
    }
  }
}

/// Columns [j0, j0 + nr) of B as [kp][nr][2] int16.
QOPT_RT_VECTORIZED void packB(const int8_t *b, int64_t rsb, int64_t csb,
                              int32_t zp, int64_t k, int64_t n, int64_t j0,
                              int nr, int16_t *out) {
  int64_t kp = (k + 1) / 2, cols = std::min<int64_t>(nr, n - j0);
  for (int64_t p = 0; p < kp; ++p) {
    int16_t *row = out + p * nr * 2;
    const int8_t *lo = b + 2 * p * rsb + j0 * csb;
    bool hasHi = 2 * p + 1 < k;
    const int8_t *hi = lo + rsb;
    if (csb == 1 && hasHi && cols == nr) {
      for (int64_t j = 0; j < nr; ++j) {
        row[2 * j] = static_cast<int16_t>(lo[j] - zp);
        row[2 * j + 1] = static_cast<int16_t>(hi[j] - zp);
      }
      continue;
    }
    for (int64_t j = 0; j < nr; ++j) {
      bool in = j < cols;
      row[2 * j] = in ? static_cast<int16_t>(lo[j * csb] - zp) : 0;
      row[2 * j + 1] =
          in && hasHi ? static_cast<int16_t>(hi[j * csb] - zp) : 0;
    }
  }
}

/// One row of the requantization epilogue (Int8Kernels.h, Requant): `cols`
/// int32 results of one channel to int8. The products need 64 bits
/// (|acc - accZp| < 2^32, m < 2^31); half-up is the floor plus bit s-1.
QOPT_RT_VECTORIZED void requantRow(const int32_t *src, int64_t cols,
                                   uint32_t bias, int64_t accZp, int64_t m,
                                   int64_t s, int64_t outZp, int64_t qmin,
                                   int64_t qmax, int8_t *dst, int64_t cso) {
  int64_t half = s > 0 ? s - 1 : 0;
  int64_t roundMask = s > 0 ? 1 : 0;
  for (int64_t j = 0; j < cols; ++j) {
    int32_t acc =
        static_cast<int32_t>(static_cast<uint32_t>(src[j]) + bias);
    int64_t v = (static_cast<int64_t>(acc) - accZp) * m;
    int64_t y = (v >> s) + ((v >> half) & roundMask) + outZp;
    y = y < qmin ? qmin : y;
    y = y > qmax ? qmax : y;
    dst[j * cso] = static_cast<int8_t>(y);
  }
}

/// Row i of a tile (`cols` int32 results from column j0) through the
/// Requant epilogue, the optional second stage (lut + rowAdd, clamped)
/// included: the kernel's vector code where its conditions hold, the
/// portable loop otherwise; then the store with the output's column stride.
void requantTileRow(const Requant &q, const IgemmKernel &kernel, int64_t i,
                    const int32_t *src, int64_t cols, int64_t j0) {
  int64_t m = q.multiplier ? q.multiplier[i] : q.m0;
  int64_t s = q.shift ? q.shift[i] : q.s0;
  uint32_t bias = q.bias ? static_cast<uint32_t>(q.bias[i]) : 0u;
  int32_t add = q.rowAdd ? q.rowAdd[i] : 0;
  const int32_t *lut = q.lut ? q.lut + 128 : nullptr;
  const int64_t cso = q.cso;
  int8_t *dst = q.out + i * q.rso + j0 * cso;
  // Straight into a contiguous output; through y otherwise (a tile row has
  // at most 64 columns).
  alignas(64) int8_t y[64];
  int8_t *to = cso == 1 ? dst : y;
  if (kernel.requantRow && q.accZp == 0 && s >= 32 &&
      q.outZp > -(int64_t(1) << 30) && q.outZp < (int64_t(1) << 30)) {
    kernel.requantRow(src, cols, bias, m, s, q.outZp, q.qmin, q.qmax, lut, add,
                      q.lo2, q.hi2, to);
  } else {
    requantRow(src, cols, bias, q.accZp, m, s, q.outZp, q.qmin, q.qmax, to,
               1);
    if (lut) {
      const int64_t lo = q.lo2, hi = q.hi2;
      for (int64_t j = 0; j < cols; ++j) {
        int64_t v = lut[to[j]] + int64_t(add);
        to[j] = static_cast<int8_t>(v < lo ? lo : v > hi ? hi : v);
      }
    }
  }
  if (cso != 1)
    for (int64_t j = 0; j < cols; ++j)
      dst[j * cso] = y[j];
}

/// The whole tile through the kernel's RequantRowsFn, if it has one and its
/// conditions hold for every row (false: the caller goes row by row).
bool requantTileRows(const Requant &q, const IgemmKernel &kernel, int64_t i0,
                     int64_t rows, const int32_t *tile, int64_t nr,
                     int64_t cols, int64_t j0) {
  if (!kernel.requantRows || q.cso != 1 || q.accZp != 0 ||
      q.outZp <= -(int64_t(1) << 30) || q.outZp >= (int64_t(1) << 30))
    return false;
  for (int64_t r = 0; r < rows; ++r) {
    int64_t s = q.shift ? q.shift[i0 + r] : q.s0;
    if (s < 32 || s > 62)
      return false;
  }
  kernel.requantRows(tile, rows, nr, cols, q.bias ? q.bias + i0 : nullptr,
                     q.multiplier ? q.multiplier + i0 : nullptr, q.m0,
                     q.shift ? q.shift + i0 : nullptr, q.s0, q.outZp, q.qmin,
                     q.qmax, q.lut ? q.lut + 128 : nullptr,
                     q.rowAdd ? q.rowAdd + i0 : nullptr, q.lo2, q.hi2,
                     q.out + i0 * q.rso + j0, q.rso);
  return true;
}

/// The Requant epilogue with the parameters per column (Requant::perColumn)
/// on rows i0 .. i0 + rows - 1 of a tile (row stride nr), columns j0 ..
/// j0 + cols - 1 being channels: the kernel's vector code over the whole
/// tile where its conditions hold (parameters loaded once per tile), the
/// portable loop otherwise.
void requantTilePerColumn(const Requant &q, const IgemmKernel &kernel,
                          int64_t i0, int64_t rows, const int32_t *tile,
                          int64_t nr, int64_t cols, int64_t j0) {
  const int32_t *bias = q.bias ? q.bias + j0 : nullptr;
  const int32_t *add = q.rowAdd ? q.rowAdd + j0 : nullptr;
  const int32_t *lut = q.lut ? q.lut + 128 : nullptr;
  if (kernel.requantCols && q.m32 && q.colShiftsVector && q.accZp == 0 &&
      q.cso == 1 && q.outZp > -(int64_t(1) << 30) &&
      q.outZp < (int64_t(1) << 30)) {
    kernel.requantCols(tile, rows, nr, cols, bias, q.m32 + j0, q.s32 + j0,
                       q.outZp, q.qmin, q.qmax, lut, add, q.lo2, q.hi2, q.tZp,
                       q.tM, q.tS, q.out + i0 * q.rso + j0, q.rso);
    return;
  }
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < cols; ++j) {
      int64_t jj = j0 + j;
      int8_t y;
      requantRow(tile + r * nr + j, 1,
                 bias ? static_cast<uint32_t>(bias[j]) : 0u, q.accZp,
                 q.m32 ? q.m32[jj] : q.m0, q.s32 ? q.s32[jj] : q.s0, q.outZp,
                 q.qmin, q.qmax, &y, 1);
      if (lut) {
        int64_t v = lut[y] + int64_t(add ? add[j] : 0);
        y = static_cast<int8_t>(v < q.lo2 ? q.lo2 : v > q.hi2 ? q.hi2 : v);
      }
      q.out[(i0 + r) * q.rso + jj * q.cso] = y;
    }
}

struct Problem {
  int64_t m, n, k;
  const int32_t *packedA;
  /// All of B's column panels packed (a cached constant B), or null.
  const int16_t *packedB;
  const int8_t *b;
  int64_t rsb, csb;
  int32_t bZp;
  const Requant *requant;
  int32_t *c;
  int64_t rsc, csc;
  bool accumulate;
  const IgemmKernel *kernel;
};

/// Column panels [begin, end) of C.
void columnPanels(void *ctx, int64_t begin, int64_t end) {
  const Problem &p = *static_cast<const Problem *>(ctx);
  const int mr = p.kernel->mr, nr = p.kernel->nr;
  int64_t kp = (p.k + 1) / 2;
  struct Site;
  int16_t *bPack = threadScratch<int16_t, Site>(kp * nr * 2);
  alignas(64) int32_t tile[16 * 64];
  for (int64_t jp = begin; jp < end; ++jp) {
    int64_t j0 = jp * nr, cols = std::min<int64_t>(nr, p.n - j0);
    const int16_t *bPanel = bPack;
    if (p.packedB)
      bPanel = p.packedB + jp * kp * nr * 2;
    else
      packB(p.b, p.rsb, p.csb, p.bZp, p.k, p.n, j0, nr, bPack);
    for (int64_t i0 = 0; i0 < p.m; i0 += mr) {
      int64_t rows = std::min<int64_t>(mr, p.m - i0);
      p.kernel->fn(kp, p.packedA + i0 * kp, bPanel, tile);
      if (const Requant *q = p.requant) {
        if (q->perColumn)
          requantTilePerColumn(*q, *p.kernel, i0, rows, tile, nr, cols, j0);
        else if (!requantTileRows(*q, *p.kernel, i0, rows, tile, nr, cols, j0))
          for (int64_t r = 0; r < rows; ++r)
            requantTileRow(*q, *p.kernel, i0 + r, tile + r * nr, cols, j0);
        continue;
      }
      int32_t *cp = p.c + i0 * p.rsc + j0 * p.csc;
      for (int64_t r = 0; r < rows; ++r) {
        int32_t *dst = cp + r * p.rsc;
        const int32_t *src = tile + r * nr;
        if (p.csc == 1) {
          if (p.accumulate)
            for (int64_t j = 0; j < cols; ++j)
              dst[j] = static_cast<int32_t>(static_cast<uint32_t>(dst[j]) +
                                            static_cast<uint32_t>(src[j]));
          else
            std::memcpy(dst, src, cols * sizeof(int32_t));
          continue;
        }
        for (int64_t j = 0; j < cols; ++j) {
          int32_t &d = dst[j * p.csc];
          d = p.accumulate ? static_cast<int32_t>(static_cast<uint32_t>(d) +
                                                  static_cast<uint32_t>(src[j]))
                           : src[j];
        }
      }
    }
  }
}

} // namespace

void qopt_rt::igemm(int64_t m, int64_t n, int64_t k, const int8_t *a,
                    int64_t rsa, int64_t csa, int32_t aZp, const int8_t *b,
                    int64_t rsb, int64_t csb, int32_t bZp, int32_t *c,
                    int64_t rsc, int64_t csc, bool accumulate,
                    std::atomic<int32_t *> *aCache, const Requant *requant,
                    std::atomic<int16_t *> *bCache) {
  if (m <= 0 || n <= 0)
    return;
  if (k <= 0) {
    // Every sum is empty (0); requantized, that is the epilogue of 0.
    if (requant) {
      IgemmKernel portable{nullptr, 1, 1, "generic", nullptr};
      int32_t zero = 0;
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j)
          if (requant->perColumn)
            requantTilePerColumn(*requant, portable, i, 1, &zero, 1, 1, j);
          else
            requantTileRow(*requant, portable, i, &zero, 1, j);
    } else if (!accumulate) {
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j)
          c[i * rsc + j * csc] = 0;
    }
    return;
  }
  const IgemmKernel &kernel = selectIgemmKernel();
  int64_t packedWords = roundUp(m, kernel.mr) * ((k + 1) / 2);
  // Constant A: packed once and kept for the next calls.
  int32_t *mine;
  int32_t *packed = cachedOrOwnedPacking(
      aCache,
      [&] {
        auto *words = static_cast<int32_t *>(
            std::malloc(packedWords * sizeof(int32_t)));
        if (kernel.packRows && csa == 1)
          kernel.packRows(a, rsa, aZp, m, k, words);
        else
          packA(a, rsa, csa, aZp, m, k, kernel.mr, words);
        return words;
      },
      mine);
  int64_t panels = (n + kernel.nr - 1) / kernel.nr;
  // A constant B: every column panel packed once, in the order columnPanels
  // reads them.
  int16_t *packedB = nullptr;
  if (bCache)
    packedB = cachedPacking(bCache, [&] {
      int64_t panelWords = ((k + 1) / 2) * kernel.nr * 2;
      auto *fresh = static_cast<int16_t *>(
          std::malloc(panels * panelWords * sizeof(int16_t)));
      for (int64_t jp = 0; jp < panels; ++jp)
        packB(b, rsb, csb, bZp, k, n, jp * kernel.nr, kernel.nr,
              fresh + jp * panelWords);
      return fresh;
    });
  Problem p{m,       n, k,   packed, packedB,    b,       rsb, csb,
            bZp,     requant, c, rsc, csc, accumulate, &kernel};
  int threads = qopt_rt_get_num_threads();
  // Work below ~128K multiply-adds per thread (about 10 µs on AVX2) is not
  // worth a wake-up.
  if (threads <= 1 || m * n * k < 131072 * 2)
    columnPanels(&p, 0, panels);
  else
    qopt_rt_parallel_for(panels, 1, columnPanels, &p);
  std::free(mine);
}

void qopt_rt::requantRows(const Requant &q, int64_t i0, int64_t rows,
                          const int32_t *src, int64_t srcStride, int64_t cols,
                          int64_t j0) {
  const IgemmKernel &kernel = selectIgemmKernel();
  if (requantTileRows(q, kernel, i0, rows, src, srcStride, cols, j0))
    return;
  // requantTileRow stages a strided output through 64 columns at a time.
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < cols; j += 64)
      requantTileRow(q, kernel, i0 + r, src + r * srcStride + j,
                     std::min<int64_t>(64, cols - j), j0 + j);
}

extern "C" void qopt_rt_igemm_s8(int64_t m, int64_t n, int64_t k, int64_t a,
                                 int64_t rsa, int64_t csa, int64_t aZp,
                                 int64_t b, int64_t rsb, int64_t csb,
                                 int64_t bZp, int64_t c, int64_t rsc,
                                 int64_t csc, int64_t accumulate) {
  QOPT_PROFILE_GEMM("igemm s8", 1);
  qopt_rt::igemm(m, n, k, reinterpret_cast<const int8_t *>(a), rsa, csa,
                 static_cast<int32_t>(aZp), reinterpret_cast<const int8_t *>(b),
                 rsb, csb, static_cast<int32_t>(bZp),
                 reinterpret_cast<int32_t *>(c), rsc, csc, accumulate != 0);
}

extern "C" void qopt_rt_igemm_s8_cached(int64_t m, int64_t n, int64_t k,
                                        int64_t a, int64_t rsa, int64_t csa,
                                        int64_t aZp, int64_t b, int64_t rsb,
                                        int64_t csb, int64_t bZp, int64_t c,
                                        int64_t rsc, int64_t csc,
                                        int64_t aCache, int64_t bCache,
                                        int64_t accumulate) {
  QOPT_PROFILE_GEMM("igemm s8", 1);
  auto const8 = [](int64_t v) { return reinterpret_cast<const int8_t *>(v); };
  if (aCache || !bCache) {
    qopt_rt::igemm(m, n, k, const8(a), rsa, csa, static_cast<int32_t>(aZp),
                   const8(b), rsb, csb, static_cast<int32_t>(bZp),
                   reinterpret_cast<int32_t *>(c), rsc, csc, accumulate != 0,
                   reinterpret_cast<std::atomic<int32_t *> *>(aCache));
    return;
  }
  // C^T[n, m] = B^T[n, k]·A^T[k, m]: the same sums (the product is exact),
  // with B as the packed-once operand; the views swap their strides.
  qopt_rt::igemm(n, m, k, const8(b), csb, rsb, static_cast<int32_t>(bZp),
                 const8(a), csa, rsa, static_cast<int32_t>(aZp),
                 reinterpret_cast<int32_t *>(c), csc, rsc, accumulate != 0,
                 reinterpret_cast<std::atomic<int32_t *> *>(bCache));
}

extern "C" void qopt_rt_igemm_s8_batched(
    int64_t batch, int64_t m, int64_t n, int64_t k, int64_t a, int64_t sba,
    int64_t rsa, int64_t csa, int64_t aZp, int64_t b, int64_t sbb, int64_t rsb,
    int64_t csb, int64_t bZp, int64_t c, int64_t sbc, int64_t rsc, int64_t csc,
    int64_t accumulate) {
  QOPT_PROFILE_GEMM("igemm s8 batched", batch);
  for (int64_t i = 0; i < batch; ++i)
    qopt_rt::igemm(m, n, k, reinterpret_cast<const int8_t *>(a) + i * sba, rsa,
                   csa, static_cast<int32_t>(aZp),
                   reinterpret_cast<const int8_t *>(b) + i * sbb, rsb, csb,
                   static_cast<int32_t>(bZp),
                   reinterpret_cast<int32_t *>(c) + i * sbc, rsc, csc,
                   accumulate != 0);
}

extern "C" const char *qopt_rt_isa_int8(void) {
  return qopt_rt::selectIgemmKernel().isa;
}

extern "C" void qopt_rt_igemm_s8_requant(
    int64_t m, int64_t n, int64_t k, int64_t a, int64_t rsa, int64_t csa,
    int64_t aZp, int64_t b, int64_t rsb, int64_t csb, int64_t bZp,
    int64_t out, int64_t rso, int64_t cso, int64_t aCache, int64_t bCache,
    int64_t bias, int64_t multiplier, int64_t shift, int64_t m0, int64_t s0,
    int64_t accZp, int64_t outZp, int64_t qmin, int64_t qmax, int64_t lut,
    int64_t colAdd, int64_t lo2, int64_t hi2, int64_t tZp, int64_t tM,
    int64_t tS) {
  QOPT_PROFILE_GEMM("igemm s8 + requant", 1);
  Requant q = Requant::rescale(reinterpret_cast<const int32_t *>(bias), m0, s0,
                               accZp, outZp, qmin, qmax,
                               reinterpret_cast<int8_t *>(out), rso, cso);
  q.lut = reinterpret_cast<const int32_t *>(lut);
  q.rowAdd = reinterpret_cast<const int32_t *>(colAdd);
  q.lo2 = lo2;
  q.hi2 = hi2;
  // C's columns are the channels: the parameters go per column, and a
  // constant B (a linear layer's weights) is packed once into its panels.
  q.perColumn = true;
  q.m32 = reinterpret_cast<const int32_t *>(multiplier);
  q.s32 = reinterpret_cast<const int32_t *>(shift);
  q.colShiftsVector = true;
  if (lut && tS >= 1 && tS <= 32 && tM >= 0 && tM < (int64_t(1) << 31) &&
      tZp > -(int64_t(1) << 20) && tZp < (int64_t(1) << 20)) {
    q.tZp = tZp;
    q.tM = tM;
    q.tS = tS;
  }
  if (q.s32) {
    for (int64_t j = 0; j < n; ++j)
      if (q.s32[j] < 32 || q.s32[j] > 62)
        q.colShiftsVector = false;
  } else {
    q.colShiftsVector = s0 >= 32 && s0 <= 62;
    // Per tensor: the kernel's vector code reads m and s per column.
    static thread_local int32_t *m32 = nullptr, *s32 = nullptr;
    static thread_local int64_t capacity = 0;
    if (n > capacity) {
      std::free(m32);
      std::free(s32);
      capacity = n;
      m32 = static_cast<int32_t *>(std::malloc(n * sizeof(int32_t)));
      s32 = static_cast<int32_t *>(std::malloc(n * sizeof(int32_t)));
    }
    std::fill(m32, m32 + n, static_cast<int32_t>(m0));
    std::fill(s32, s32 + n, static_cast<int32_t>(s0));
    q.m32 = m32;
    q.s32 = s32;
  }
  qopt_rt::igemm(m, n, k, reinterpret_cast<const int8_t *>(a), rsa, csa,
                 static_cast<int32_t>(aZp),
                 reinterpret_cast<const int8_t *>(b), rsb, csb,
                 static_cast<int32_t>(bZp), nullptr, 0, 0, false,
                 reinterpret_cast<std::atomic<int32_t *> *>(aCache), &q,
                 reinterpret_cast<std::atomic<int16_t *> *>(bCache));
}

extern "C" void qopt_rt_igemm_s8_batched_requant(
    int64_t batch, int64_t m, int64_t n, int64_t k, int64_t a, int64_t sba,
    int64_t rsa, int64_t csa, int64_t aZp, int64_t b, int64_t sbb, int64_t rsb,
    int64_t csb, int64_t bZp, int64_t out, int64_t sbo, int64_t rso,
    int64_t cso, int64_t m0, int64_t s0, int64_t accZp, int64_t outZp,
    int64_t qmin, int64_t qmax, int64_t lut, int64_t lo2, int64_t hi2) {
  QOPT_PROFILE_GEMM("igemm s8 batched + requant", batch);
  for (int64_t i = 0; i < batch; ++i) {
    Requant q = Requant::rescale(nullptr, m0, s0, accZp, outZp, qmin, qmax,
                                 reinterpret_cast<int8_t *>(out) + i * sbo,
                                 rso, cso);
    q.lut = reinterpret_cast<const int32_t *>(lut);
    q.lo2 = lo2;
    q.hi2 = hi2;
    qopt_rt::igemm(m, n, k, reinterpret_cast<const int8_t *>(a) + i * sba,
                   rsa, csa, static_cast<int32_t>(aZp),
                   reinterpret_cast<const int8_t *>(b) + i * sbb, rsb, csb,
                   static_cast<int32_t>(bZp), nullptr, 0, 0, false, nullptr,
                   &q);
  }
}
