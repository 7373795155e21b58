//===- Int8Winograd.cpp - exact int8 3×3 convolutions as F(2×2, 3×3) -----===//
//
// Winograd's F(2×2, 3×3) (Lavin & Gray; the f32 form is Winograd.cpp) in
// integers, bit for bit the int32 sums of int_conv2d. Each 2×2 block of
// outputs (a tile) is
//
//   4·Y = Aᵀ [(Ĝ g Ĝᵀ) ⊙ (Bᵀ d B)] A,   Ĝ = 2G = [[2,0,0], [1,1,1],
//                                                   [1,−1,1], [0,0,2]],
//
// summed over the input channels, with g = w − wZp and d = x − inZp (the
// padding holds inZp: zero). Every matrix has integer entries, so this is
// an identity over the integers (4 times the usual one, whose G has
// halves): every step may be taken modulo 2^32 (int32 with wrap-around, a
// ring), and the result is 4·y mod 2^32. When |y| < 2^29 that is 4·y
// itself and an arithmetic shift by 2 gives y exactly; int8WinogradApplies
// refuses the shapes and zero points where the bound 9·C·max|d|·max|g|
// does not guarantee it. The transformed values fit int16: |Bᵀ d B| ≤
// 4·max|d| (every row of Bᵀ has two entries ±1) and |Ĝ g Ĝᵀ| ≤ 9·max|g|
// (Ĝ's rows sum to at most 3 in absolute value), so the 16 products
//
//   M_ξ[F, T] = U_ξ[F, C] · V_ξ[C, T],   U = Ĝ g Ĝᵀ,  V = Bᵀ d B
//
// (T tiles, one per position ξ of the 4×4 transformed tile) run on the
// int8 GEMM's own microkernels (Int8Microkernels.cpp: int16 pairs,
// vpmaddwd or vpdpwssd, wrapping int32): 16 multiply-adds per 4 outputs
// and channel pair instead of 36, for transforms of additions only.
//
// The work, split over the pool:
//   1. input transform, per pair of input channels: the planes' rows as
//      int16 differences x − inZp (zero padding, rounded up to whole
//      tiles) split into even and odd columns, Bᵀ d B of 16 tiles per
//      vector, interleaved by channel into the words of the microkernel's
//      packed B panels ([ξ][panel][C/2][NR] words of two int16);
//   2. per (column panel, row panel of MR output channels): the 16 tile
//      products of the microkernel, then Aᵀ M A and the shift by 2 on the
//      MR×NR results while in cache, stored into int32 planes;
//   3. the Requant epilogue over each channel plane (or the int32 output
//      itself is the result).
// 1 and 2 run per thread on its share of the column panels, a block that
// fits L2 at a time; a layer with too few panels for that (7×7 planes)
// runs 1 for every panel first, one channel pair per task, then splits 2
// over (panel, row panel) items.
// U is computed and packed once into the weight slot (16 A operands).
// Every output is computed by the same operations whatever the split.
//
//===----------------------------------------------------------------------===//

#include "Int8Winograd.h"
#include "WeightSlot.h"
#include "ScratchBuffer.h"
#include "Microkernels.h"

#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

using namespace qopt_rt;

namespace {

/// QOPT_CONV_WINOGRAD_INT8: "0" never, "all" for every shape it can
/// compute exactly (for tests on small shapes), otherwise where it pays.
enum class Mode { Off, Profitable, All };

Mode mode() {
  static const Mode m = [] {
    const char *env = std::getenv("QOPT_CONV_WINOGRAD_INT8");
    if (env && std::strcmp(env, "0") == 0)
      return Mode::Off;
    if (env && std::strcmp(env, "all") == 0)
      return Mode::All;
    return Mode::Profitable;
  }();
  return m;
}

/// The largest |v − zp| over int8 v.
int64_t largestDifference(int32_t zp) {
  return std::max<int64_t>(std::abs(-128 - int64_t(zp)),
                           std::abs(127 - int64_t(zp)));
}

// Whole vectors of the generic vector extension (one ymm each on AVX2,
// half a zmm on AVX-512, two xmm on the baseline clone).
typedef int16_t S16 __attribute__((vector_size(32)));  // 16 lanes
typedef uint32_t U8 __attribute__((vector_size(32))); // 8 lanes
typedef int32_t I8 __attribute__((vector_size(32)));
typedef int32_t I4 __attribute__((vector_size(16)));
typedef int8_t B32 __attribute__((vector_size(32)));
typedef int8_t B16 __attribute__((vector_size(16)));

template <typename V, typename T>
__attribute__((always_inline)) inline V loadV(const T *p) {
  V v;
  std::memcpy(&v, p, sizeof(V));
  return v;
}
template <typename V, typename T>
__attribute__((always_inline)) inline void storeV(T *p, V v) {
  std::memcpy(p, &v, sizeof(V));
}

struct Geometry {
  int64_t c, h, w, f, oh, ow, pt, pl;
  int64_t th, tw, tiles, panels, kp, rowPanels;
  int mr, nr;
  /// Column panels per block: each thread transforms the input of one block
  /// at a time and multiplies it while it is in L2 (written whole, V of
  /// every panel missed the cache: its stores cost more than the
  /// transform).
  int64_t blockPanels;
  /// The padded input: ph rows, each split into its even and odd columns
  /// (tw + 1 each), as int16 differences.
  int64_t ph() const { return 2 * th + 2; }
  int64_t ew() const { return tw + 1; }
  /// Whole-vector reads past a split plane's last row.
  static constexpr int64_t kSlack = 32;
  /// A split plane of the padded rows of a block's tile rows (at most
  /// every row), even then odd half.
  int64_t splitHalf() const { return ph() * ew() + kSlack; }
  /// Words of one position's V for one block.
  int64_t blockWords() const { return blockPanels * kp * nr; }
  /// Words of one position's packed U: every row panel.
  int64_t uWords() const { return rowPanels * mr * kp; }
};

/// Rows [y0, y1) of channel ch of the padded input as int16 differences
/// x − zp (zero padding, rounded up to whole tiles), split by column
/// parity: even[y − y0][k] = column 2k, odd[y − y0][k] = column 2k + 1
/// (kSlack zeros after each), so that the transform reads the four columns
/// of 16 windows with four unit-stride loads.
template <typename T = int>
__attribute__((always_inline)) inline void
splitPlaneBody(const Geometry &g, const int8_t *in, int32_t zp, int64_t ch,
               int64_t y0, int64_t y1, int16_t *even, int16_t *odd,
               int8_t *line8) {
  const int64_t ew = g.ew(), pw = 2 * ew, rows = y1 - y0;
  if (ch >= g.c) { // the partner of an odd last channel: zero differences
    std::memset(even, 0, (rows * ew + Geometry::kSlack) * sizeof(int16_t));
    std::memset(odd, 0, (rows * ew + Geometry::kSlack) * sizeof(int16_t));
    return;
  }
  const int8_t *src = in + ch * g.h * g.w;
  // Columns [pl, pl + w) of a row hold the input (clipped to the plane).
  const int64_t first = std::min<int64_t>(g.pl, pw);
  const int64_t last = std::min<int64_t>(g.pl + g.w, pw);
  const bool bytePad = zp >= -128 && zp <= 127;
  for (int64_t y = y0; y < y1; ++y) {
    int16_t *e = even + (y - y0) * ew, *o = odd + (y - y0) * ew;
    int64_t sy = y - g.pt;
    if (sy < 0 || sy >= g.h) {
      std::memset(e, 0, ew * sizeof(int16_t));
      std::memset(o, 0, ew * sizeof(int16_t));
      continue;
    }
    if (bytePad) {
      // The padded row as bytes (the padding holds zp, an int8 here), then
      // 32 bytes at a time split into 16 even and 16 odd columns, widened
      // and less zp; the last vector may write up to 15 columns past the
      // row, into the next row's place (written after) or the slack.
      std::memset(line8, zp, first);
      std::memcpy(line8 + first, src + sy * g.w + first - g.pl, last - first);
      std::memset(line8 + last, zp, pw + 32 - last);
      const S16 vzp = S16{} + static_cast<int16_t>(zp);
      for (int64_t k = 0; k < ew; k += 16) {
        B32 x = loadV<B32>(line8 + 2 * k);
        B16 ev = __builtin_shufflevector(x, x, 0, 2, 4, 6, 8, 10, 12, 14, 16,
                                         18, 20, 22, 24, 26, 28, 30);
        B16 od = __builtin_shufflevector(x, x, 1, 3, 5, 7, 9, 11, 13, 15, 17,
                                         19, 21, 23, 25, 27, 29, 31);
        storeV(e + k, __builtin_convertvector(ev, S16) - vzp);
        storeV(o + k, __builtin_convertvector(od, S16) - vzp);
      }
      continue;
    }
    for (int b = 0; b < 2; ++b) {
      int16_t *dst = b ? o : e;
      // Column 2k + b lies in [first, last) for k in [k0, k1).
      int64_t k0 = (first - b + 1) / 2;
      int64_t k1 = std::min(ew, std::max(k0, (last - b + 1) / 2));
      const int8_t *line = src + sy * g.w + b - g.pl;
      for (int64_t k = 0; k < k0; ++k)
        dst[k] = 0;
      for (int64_t k = k0; k < k1; ++k)
        dst[k] = static_cast<int16_t>(line[2 * k] - zp);
      for (int64_t k = k1; k < ew; ++k)
        dst[k] = 0;
    }
  }
  std::memset(even + rows * ew, 0, Geometry::kSlack * sizeof(int16_t));
  std::memset(odd + rows * ew, 0, Geometry::kSlack * sizeof(int16_t));
}

QOPT_RT_VECTORIZED void splitPlane(const Geometry &g, const int8_t *in,
                                   int32_t zp, int64_t ch, int64_t y0,
                                   int64_t y1, int16_t *even, int16_t *odd,
                                   int8_t *line8) {
  splitPlaneBody(g, in, zp, ch, y0, y1, even, odd, line8);
}

/// Bᵀ d B, Bᵀ = [[1,0,−1,0], [0,1,1,0], [0,−1,1,0], [0,1,0,−1]], of 16
/// consecutive tiles of a tile row from the window rows' even and odd
/// columns (rows ew apart): v[ξ] lane i is position ξ of tile i.
template <typename T = int>
__attribute__((always_inline)) inline void
transform16(const int16_t *even, const int16_t *odd, int64_t ew, S16 *v) {
  S16 t[4][4]; // t[a][b] = row a of Bᵀ applied down column b
  S16 d[4][4];
  for (int a = 0; a < 4; ++a) {
    d[a][0] = loadV<S16>(even + a * ew);
    d[a][1] = loadV<S16>(odd + a * ew);
    d[a][2] = loadV<S16>(even + a * ew + 1);
    d[a][3] = loadV<S16>(odd + a * ew + 1);
  }
  for (int b = 0; b < 4; ++b) {
    t[0][b] = d[0][b] - d[2][b];
    t[1][b] = d[1][b] + d[2][b];
    t[2][b] = d[2][b] - d[1][b];
    t[3][b] = d[1][b] - d[3][b];
  }
  for (int a = 0; a < 4; ++a) {
    v[a * 4 + 0] = t[a][0] - t[a][2];
    v[a * 4 + 1] = t[a][1] + t[a][2];
    v[a * 4 + 2] = t[a][2] - t[a][1];
    v[a * 4 + 3] = t[a][1] - t[a][3];
  }
}

/// Per-thread buffers that only grow.
struct Scratch {
  int16_t *split = nullptr;
  int64_t splitCapacity = 0;
  int8_t *line8 = nullptr;
  int64_t line8Capacity = 0;
  uint32_t *rows = nullptr;
  int64_t rowsCapacity = 0;
  uint32_t *v = nullptr;
  int64_t vCapacity = 0;
};

Scratch &scratch() {
  thread_local Scratch s;
  return s;
}

// (The vector code lives in templates called from the target_clones
// functions, as in VectorMoves.h: a plain function passing 32-byte vectors
// would need AVX's calling convention in the baseline clone.)

/// Channel pair p, column panels [jp0, jp1): both planes' rows split, the
/// block's tile rows transformed 16 tiles at a time into the row-major
/// words rows[ξ][t − first] (pairs of the two channels; whole vectors
/// overreach a tile row into the next one's place, written after, or the
/// spare words), then the panels' words copied into the packed B panels
/// v[ξ·posStride + (jp − jp0)·kp·nr + p·nr].
template <typename T = int>
__attribute__((always_inline)) inline void
transformPairBody(const Geometry &g, const int8_t *in, int32_t zp, int64_t p,
                  int64_t jp0, int64_t jp1, uint32_t *v, int64_t posStride) {
  Scratch &s = scratch();
  const int64_t ew = g.ew(), nr = g.nr;
  const int64_t t0 = jp0 * nr, t1 = std::min(jp1 * nr, g.tiles);
  const int64_t ty0 = t0 / g.tw, ty1 = (t1 - 1) / g.tw + 1;
  const int64_t y0 = 2 * ty0, y1 = 2 * ty1 + 2, half = (y1 - y0) * ew +
                                                       Geometry::kSlack;
  int16_t *split = grow(s.split, s.splitCapacity, 4 * half);
  int16_t *e0 = split, *o0 = e0 + half, *e1 = o0 + half, *o1 = e1 + half;
  int8_t *line8 = grow(s.line8, s.line8Capacity, 2 * ew + 32);
  splitPlane(g, in, zp, 2 * p, y0, y1, e0, o0, line8);
  splitPlane(g, in, zp, 2 * p + 1, y0, y1, e1, o1, line8);
  const int64_t first = ty0 * g.tw; // the tile of rows[ξ][0]
  const int64_t rowWords = (ty1 - ty0) * g.tw + 16 +
                           std::max<int64_t>(0, jp1 * nr - ty1 * g.tw);
  uint32_t *rows = grow(s.rows, s.rowsCapacity, 16 * rowWords);
  for (int64_t ty = ty0; ty < ty1; ++ty)
    for (int64_t tx = 0; tx < g.tw; tx += 16) {
      int64_t at = 2 * (ty - ty0) * ew + tx;
      S16 a[16], b[16];
      transform16(e0 + at, o0 + at, ew, a);
      transform16(e1 + at, o1 + at, ew, b);
      uint32_t *dst = rows + ty * g.tw + tx - first;
      for (int xi = 0; xi < 16; ++xi) {
        // Channel 2p in the low half of each word, 2p + 1 in the high.
        S16 lo = __builtin_shufflevector(a[xi], b[xi], 0, 16, 1, 17, 2, 18, 3,
                                         19, 4, 20, 5, 21, 6, 22, 7, 23);
        S16 hi = __builtin_shufflevector(a[xi], b[xi], 8, 24, 9, 25, 10, 26,
                                         11, 27, 12, 28, 13, 29, 14, 30, 15,
                                         31);
        storeV(dst + xi * rowWords, lo);
        storeV(dst + xi * rowWords + 8, hi);
      }
    }
  for (int xi = 0; xi < 16; ++xi) {
    uint32_t *row = rows + xi * rowWords - first;
    // Columns past the last tile: zero (their outputs are discarded).
    for (int64_t t = g.tiles; t < jp1 * nr; ++t)
      row[t] = 0;
    for (int64_t jp = jp0; jp < jp1; ++jp) {
      uint32_t *to = v + xi * posStride + ((jp - jp0) * g.kp + p) * nr;
      const uint32_t *from = row + jp * nr;
      for (int k = 0; k < nr; k += 8)
        storeV(to + k, loadV<U8>(from + k));
    }
  }
}

QOPT_RT_VECTORIZED void transformPair(const Geometry &g, const int8_t *in,
                                      int32_t zp, int64_t p, int64_t jp0,
                                      int64_t jp1, uint32_t *v,
                                      int64_t posStride) {
  transformPairBody(g, in, zp, p, jp0, jp1, v, posStride);
}

/// Phase 1 over the pool (for few panels): every panel, one channel pair
/// per task.
struct InputJob {
  const Geometry *g;
  const int8_t *in;
  int32_t zp;
  uint32_t *v; // [16][panels][kp][nr] words
};

void transformPairs(void *ctx, int64_t begin, int64_t end) {
  const InputJob &j = *static_cast<const InputJob *>(ctx);
  for (int64_t p = begin; p < end; ++p)
    transformPair(*j.g, j.in, j.zp, p, 0, j.g->panels, j.v,
                  j.g->panels * j.g->kp * j.g->nr);
}

/// U_ξ = Ĝ g Ĝᵀ of every filter and channel, packed as the microkernel's A
/// operands: [ξ][row panel][kp][mr] words of two channels (rows past F and
/// the partner of an odd last channel are 0).
int32_t *transformWeights(const Geometry &g, const int8_t *w, int32_t zp) {
  auto *u = static_cast<int32_t *>(
      std::calloc(16 * g.uWords(), sizeof(int32_t)));
  auto *u16 = reinterpret_cast<uint16_t *>(u);
  for (int64_t fi = 0; fi < g.f; ++fi)
    for (int64_t ci = 0; ci < g.c; ++ci) {
      const int8_t *k = w + (fi * g.c + ci) * 9;
      int32_t d[3][3];
      for (int a = 0; a < 9; ++a)
        d[a / 3][a % 3] = k[a] - zp;
      int32_t gg[4][3]; // Ĝ·g
      for (int col = 0; col < 3; ++col) {
        int32_t g0 = d[0][col], g1 = d[1][col], g2 = d[2][col];
        gg[0][col] = 2 * g0;
        gg[1][col] = g0 + g1 + g2;
        gg[2][col] = g0 - g1 + g2;
        gg[3][col] = 2 * g2;
      }
      int64_t q = fi / g.mr, r = fi % g.mr, p = ci / 2, half = ci % 2;
      for (int row = 0; row < 4; ++row) {
        int32_t g0 = gg[row][0], g1 = gg[row][1], g2 = gg[row][2];
        int32_t v[4] = {2 * g0, g0 + g1 + g2, g0 - g1 + g2, 2 * g2};
        for (int col = 0; col < 4; ++col) {
          int64_t word = (row * 4 + col) * g.uWords() + q * g.mr * g.kp +
                         p * g.mr + r;
          u16[2 * word + half] = static_cast<uint16_t>(v[col]);
        }
      }
    }
  return u;
}

/// Aᵀ M A / 4 of the tile's results m[ξ][r·nr + j] for row r (an output
/// channel), Aᵀ = [[1,1,1,0], [0,1,−1,−1]], in uint32 lanes (wrap-around),
/// into y[4][nr]: the 2×2 outputs (00, 01, 10, 11) of each column.
template <typename T = int>
__attribute__((always_inline)) inline void
outputTransform(const int32_t *m, int64_t tileWords, int64_t r, int nr,
                int32_t *y) {
  for (int j = 0; j < nr; j += 8) {
    U8 e[16];
    for (int xi = 0; xi < 16; ++xi)
      e[xi] = loadV<U8>(m + xi * tileWords + r * nr + j);
    U8 s0[4], s1[4];
    for (int b = 0; b < 4; ++b) {
      s0[b] = e[b] + e[4 + b] + e[8 + b];
      s1[b] = e[4 + b] - e[8 + b] - e[12 + b];
    }
    U8 four[4] = {s0[0] + s0[1] + s0[2], s0[1] - s0[2] - s0[3],
                  s1[0] + s1[1] + s1[2], s1[1] - s1[2] - s1[3]};
    // 4·y with |y| < 2^29 is exact in int32: the shift is an exact divide.
    for (int k = 0; k < 4; ++k)
      storeV(y + k * nr + j, reinterpret_cast<I8 &>(four[k]) >> 2);
  }
}

struct ProductJob {
  const Geometry *g;
  const IgemmKernel *kernel;
  const int32_t *u; // [16][uWords]
  const int8_t *in; // the input (blocked form)
  int32_t zp;
  const uint32_t *v; // [16][panels][kp][nr] (shared form)
  int32_t *out;      // [F][OH·OW] int32
  bool accumulate;
  int64_t tasks; // of the blocked form
};

/// n tiles' outputs from column c0 of y (their 2×2 outputs as four rows,
/// Y00 Y01 Y10 Y11) interleaved into `count` columns of output row 0 (dst)
/// and, with `second`, row 1 (dst + ow).
template <typename T = int>
__attribute__((always_inline)) inline void
storeTiles(const int32_t *y, int nr, int64_t c0, int64_t count, bool second,
           int32_t *dst, int64_t ow, bool accumulate) {
  for (int dy = 0; dy < (second ? 2 : 1); ++dy) {
    const int32_t *a = y + 2 * dy * nr + c0, *b = a + nr;
    int32_t *d = dst + dy * ow;
    int64_t x = 0;
    if (!accumulate)
      for (; x + 16 <= count; x += 16) {
        I8 va = loadV<I8>(a + x / 2), vb = loadV<I8>(b + x / 2);
        storeV(d + x, __builtin_shufflevector(va, vb, 0, 8, 1, 9, 2, 10, 3,
                                              11));
        storeV(d + x + 8, __builtin_shufflevector(va, vb, 4, 12, 5, 13, 6,
                                                  14, 7, 15));
      }
    if (!accumulate && x + 8 <= count) { // 4 tiles in one vector
      I4 va = loadV<I4>(a + x / 2), vb = loadV<I4>(b + x / 2);
      storeV(d + x, __builtin_shufflevector(va, vb, 0, 4, 1, 5, 2, 6, 3, 7));
      x += 8;
    }
    for (; x < count; ++x) {
      int32_t v = x % 2 ? b[x / 2] : a[x / 2];
      d[x] = accumulate ? static_cast<int32_t>(static_cast<uint32_t>(d[x]) +
                                               static_cast<uint32_t>(v))
                        : v;
    }
  }
}

/// Row panel q of column panel jp, whose B panels of position ξ are at
/// v + ξ·posStride: the 16 tile products, then Aᵀ M A / 4 per output
/// channel, stored into the int32 planes.
template <typename T = int>
__attribute__((always_inline)) inline void
productItem(const ProductJob &j, int64_t jp, int64_t q, const uint32_t *v,
            int64_t posStride) {
  const Geometry &g = *j.g;
  const int mr = g.mr, nr = g.nr;
  const int64_t tileWords = int64_t(mr) * nr;
  alignas(64) int32_t m[16 * 8 * 32]; // 16 tiles of at most 8×32
  alignas(64) int32_t y[4 * 32];
  const int64_t plane = g.oh * g.ow;
  for (int xi = 0; xi < 16; ++xi)
    j.kernel->fn(g.kp, j.u + xi * g.uWords() + q * mr * g.kp,
                 reinterpret_cast<const int16_t *>(v + xi * posStride),
                 m + xi * tileWords);
  int64_t rows = std::min<int64_t>(mr, g.f - q * mr);
  int64_t t0 = jp * nr, cols = std::min<int64_t>(nr, g.tiles - t0);
  const int64_t ty0 = t0 / g.tw, tx0 = t0 % g.tw;
  for (int64_t r = 0; r < rows; ++r) {
    outputTransform(m, tileWords, r, nr, y);
    int32_t *dst = j.out + (q * mr + r) * plane;
    // The columns' tiles, one run per tile row.
    int64_t ty = ty0, tx = tx0;
    for (int64_t c = 0; c < cols;) {
      int64_t n = std::min<int64_t>(cols - c, g.tw - tx);
      storeTiles(y, nr, c, std::min<int64_t>(2 * n, g.ow - 2 * tx),
                 2 * ty + 1 < g.oh, dst + 2 * ty * g.ow + 2 * tx, g.ow,
                 j.accumulate);
      c += n;
      tx = 0;
      ++ty;
    }
  }
}

/// Shared form: items [begin, end), item = column panel · rowPanels + row
/// panel, V of every panel made by phase 1.
QOPT_RT_VECTORIZED void sharedItems(const ProductJob &j, int64_t begin,
                                    int64_t end) {
  const Geometry &g = *j.g;
  const int64_t posStride = g.panels * g.kp * g.nr;
  for (int64_t item = begin; item < end; ++item) {
    int64_t jp = item / g.rowPanels, q = item % g.rowPanels;
    productItem(j, jp, q, j.v + jp * g.kp * g.nr, posStride);
  }
}

void sharedProducts(void *ctx, int64_t begin, int64_t end) {
  sharedItems(*static_cast<const ProductJob *>(ctx), begin, end);
}

/// Blocked form: tasks [begin, end) of `tasks`, task i the column panels
/// [panels·i/tasks, panels·(i+1)/tasks) (as even a split as whole panels
/// allow), in blocks of blockPanels, each transformed into the thread's V
/// and multiplied with every row panel.
QOPT_RT_VECTORIZED void blockItems(const ProductJob &j, int64_t begin,
                                   int64_t end) {
  const Geometry &g = *j.g;
  Scratch &s = scratch();
  const int64_t posStride = g.blockWords();
  uint32_t *v = grow(s.v, s.vCapacity, 16 * posStride);
  const int64_t first = g.panels * begin / j.tasks;
  const int64_t last = g.panels * end / j.tasks;
  for (int64_t jp0 = first; jp0 < last; jp0 += g.blockPanels) {
    int64_t jp1 = std::min(jp0 + g.blockPanels, last);
    for (int64_t p = 0; p < g.kp; ++p)
      transformPair(g, j.in, j.zp, p, jp0, jp1, v, posStride);
    for (int64_t jp = jp0; jp < jp1; ++jp)
      for (int64_t q = 0; q < g.rowPanels; ++q)
        productItem(j, jp, q, v + (jp - jp0) * g.kp * g.nr, posStride);
  }
}

void blockProducts(void *ctx, int64_t begin, int64_t end) {
  blockItems(*static_cast<const ProductJob *>(ctx), begin, end);
}

struct RequantJob {
  const Requant *q;
  const int32_t *acc; // [F][plane]
  int64_t plane;
};

void requantChannels(void *ctx, int64_t begin, int64_t end) {
  const RequantJob &j = *static_cast<const RequantJob *>(ctx);
  requantRows(*j.q, begin, end - begin, j.acc + begin * j.plane, j.plane,
              j.plane, 0);
}

} // namespace

bool qopt_rt::int8WinogradApplies(int64_t c, int64_t f, int64_t kh,
                                  int64_t kw, int64_t sh, int64_t sw,
                                  int64_t dh, int64_t dw, int64_t oh,
                                  int64_t ow, int32_t inZp, int32_t wZp) {
  if (kh != 3 || kw != 3 || sh != 1 || sw != 1 || dh != 1 || dw != 1 ||
      c < 1 || f < 1 || oh < 1 || ow < 1 || mode() == Mode::Off)
    return false;
  const int64_t dx = largestDifference(inZp), dwt = largestDifference(wZp);
  // int16 transforms, and |y| ≤ 9·C·dx·dwt < 2^29 (see the file comment).
  if (4 * dx > 32767 || 9 * dwt > 32767 ||
      9 * c * dx * dwt >= (int64_t(1) << 29))
    return false;
  if (mode() == Mode::All)
    return true;
  return 9 * c * f * oh * ow >= (int64_t(1) << 20);
}

void qopt_rt::conv2dWinogradS8(const int8_t *in, const int8_t *w, int64_t c,
                               int64_t h, int64_t wd, int64_t f, int64_t oh,
                               int64_t ow, int64_t pt, int64_t pl,
                               int32_t inZp, int32_t wZp,
                               std::atomic<int32_t *> *cache, int32_t *out,
                               bool accumulate, const Requant *requant) {
  const IgemmKernel &kernel = selectIgemmKernel();
  Geometry g;
  g.c = c, g.h = h, g.w = wd, g.f = f, g.oh = oh, g.ow = ow, g.pt = pt,
  g.pl = pl;
  g.mr = kernel.mr, g.nr = kernel.nr;
  g.th = (oh + 1) / 2, g.tw = (ow + 1) / 2, g.tiles = g.th * g.tw;
  g.panels = (g.tiles + g.nr - 1) / g.nr;
  g.kp = (c + 1) / 2;
  g.rowPanels = (f + g.mr - 1) / g.mr;

  // Column panels per block: V of a block (16 positions × C/2 pairs × NR
  // words) within about 192 KiB.
  g.blockPanels =
      std::max<int64_t>(1, (192 << 10) / (16 * g.kp * g.nr * 4));

  // The packed U: from the slot, or made now (and kept there).
  int32_t *mine;
  int32_t *u = cachedOrOwnedPacking(
      cache, [&] { return transformWeights(g, w, wZp); }, mine);

  const int64_t plane = oh * ow;
  Scratch &mineScratch = scratch();
  struct AccSite;
  int32_t *acc = requant ? threadScratch<int32_t, AccSite>(f * plane) : out;
  ProductJob job{&g, &kernel, u, in, inZp, nullptr,
                 acc, requant ? false : accumulate, 1};
  const int threads = qopt_rt_get_num_threads();
  // Below some 256K multiply-adds (the int8 GEMM's bound) the pool costs
  // more than it saves.
  const bool serial = threads <= 1 || 16 * c * f * g.tiles < 262144;
  if (serial || g.panels >= 2 * threads) {
    // The column panels split evenly over the threads, each transforming
    // and multiplying its own blocks.
    job.tasks = serial ? 1 : threads;
    if (serial)
      blockProducts(&job, 0, 1);
    else
      qopt_rt_parallel_for(job.tasks, 1, blockProducts, &job);
  } else {
    // Too few blocks to share: V of every panel first (one channel pair
    // per task), then the products split over (panel, row panel) items.
    uint32_t *v = grow(mineScratch.v, mineScratch.vCapacity,
                       16 * g.panels * g.kp * g.nr);
    InputJob input{&g, in, inZp, v};
    qopt_rt_parallel_for(g.kp, std::max<int64_t>(1, 2048 / g.tiles),
                         transformPairs, &input);
    job.v = v;
    qopt_rt_parallel_for(g.panels * g.rowPanels, 1, sharedProducts, &job);
  }
  std::free(mine);

  // Phase 3: the requantization of each channel plane.
  if (requant) {
    RequantJob rj{requant, acc, plane};
    qopt_rt_parallel_for(f, std::max<int64_t>(1, 8192 / plane),
                         requantChannels, &rj);
  }
}

extern "C" int qopt_rt_conv2d_s8_uses_winograd(int64_t c, int64_t f,
                                               int64_t kh, int64_t kw,
                                               int64_t oh, int64_t ow,
                                               int64_t sh, int64_t sw,
                                               int64_t dh, int64_t dw,
                                               int64_t inZp, int64_t wZp) {
  // The convolution entry points pass their zero points as int32.
  if (inZp != int32_t(inZp) || wZp != int32_t(wZp))
    return 0;
  return qopt_rt::int8WinogradApplies(c, f, kh, kw, sh, sw, dh, dw, oh, ow,
                                      int32_t(inZp), int32_t(wZp));
}
