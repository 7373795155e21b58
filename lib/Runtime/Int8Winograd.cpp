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
// Three phases, each split over the pool:
//   1. input transform, one pair of input channels per task: the two
//      planes as int16 differences x − inZp with their zero padding
//      (rounded up to whole tiles), then Bᵀ d B for every tile, written
//      straight into the microkernel's packed B panels ([ξ][panel][C/2]
//      [NR] words of two int16, the pair of channels side by side: each
//      task writes whole words);
//   2. per (column panel, row panel of MR output channels): the 16 tile
//      products of the microkernel, then Aᵀ M A and the shift by 2 on the
//      MR×NR results while in cache, stored as int32 planes;
//   3. the Requant epilogue over each channel plane (or the int32 output
//      itself is the result).
// U is computed and packed once into the weight slot (16 A operands).
// Every output is computed by the same operations whatever the split.
//
//===----------------------------------------------------------------------===//

#include "Int8Winograd.h"
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

uint32_t pair(int32_t lo, int32_t hi) {
  return (static_cast<uint32_t>(static_cast<uint16_t>(lo))) |
         (static_cast<uint32_t>(static_cast<uint16_t>(hi)) << 16);
}

/// A buffer that only grows, kept for later calls (malloc, not a library
/// template: see Conv2D.cpp on templates next to target_clones functions).
template <typename T> T *grow(T *&buffer, int64_t &capacity, int64_t size) {
  if (size > capacity) {
    std::free(buffer);
    buffer = static_cast<T *>(std::malloc(size * sizeof(T)));
    capacity = size;
  }
  return buffer;
}

struct Geometry {
  int64_t c, h, w, f, oh, ow, pt, pl;
  int64_t th, tw, tiles, panels, kp, rowPanels;
  int mr, nr;
  /// The padded planes of phase 1: ph rows of pw int16.
  int64_t ph() const { return 2 * th + 2; }
  int64_t pw() const { return 2 * tw + 2; }
  /// Words of one position's V: every column panel.
  int64_t vWords() const { return panels * kp * nr; }
  /// Words of one position's packed U: every row panel.
  int64_t uWords() const { return rowPanels * mr * kp; }
};

struct InputJob {
  const Geometry *g;
  const int8_t *in;
  int32_t zp;
  uint32_t *v; // [16][panels][kp][nr] words
};

/// Channel ch as int16 differences with its zero padding, ph × pw.
QOPT_RT_VECTORIZED void padPlane(const Geometry &g, const int8_t *in,
                                 int32_t zp, int64_t ch, int16_t *plane) {
  const int64_t ph = g.ph(), pw = g.pw();
  if (ch >= g.c) { // the partner of an odd last channel: zero differences
    std::memset(plane, 0, ph * pw * sizeof(int16_t));
    return;
  }
  const int8_t *src = in + ch * g.h * g.w;
  for (int64_t y = 0; y < ph; ++y) {
    int16_t *row = plane + y * pw;
    int64_t sy = y - g.pt;
    if (sy < 0 || sy >= g.h) {
      std::memset(row, 0, pw * sizeof(int16_t));
      continue;
    }
    // Columns [pl, pl + w) hold the row (clipped to the plane's width:
    // columns past the last tile are never read).
    int64_t first = std::min<int64_t>(g.pl, pw);
    int64_t last = std::min<int64_t>(g.pl + g.w, pw);
    std::memset(row, 0, first * sizeof(int16_t));
    const int8_t *line = src + sy * g.w;
    for (int64_t x = first; x < last; ++x)
      row[x] = static_cast<int16_t>(line[x - g.pl] - zp);
    std::memset(row + last, 0, (pw - last) * sizeof(int16_t));
  }
}

/// Bᵀ d B of tiles [t0, t0 + n) of tile row ty for the channel pair whose
/// planes are p0 and p1, into dst[ξ][i] (words: channel 2p low, 2p + 1
/// high), the positions `stride` words apart. Bᵀ = [[1,0,−1,0], [0,1,1,0],
/// [0,−1,1,0], [0,1,0,−1]].
QOPT_RT_VECTORIZED void transformRun(const int16_t *p0, const int16_t *p1,
                                     int64_t pw, int64_t ty, int64_t tx0,
                                     int64_t n, uint32_t *dst,
                                     int64_t stride) {
  const int16_t *r0[2] = {p0 + 2 * ty * pw, p1 + 2 * ty * pw};
  for (int64_t i = 0; i < n; ++i) {
    int64_t x = 2 * (tx0 + i);
    int16_t v[2][16];
    for (int ch = 0; ch < 2; ++ch) {
      const int16_t *base = r0[ch] + x;
      int16_t d[4][4];
      for (int a = 0; a < 4; ++a)
        for (int b = 0; b < 4; ++b)
          d[a][b] = base[a * pw + b];
      int16_t t[4][4]; // Bᵀ d
      for (int b = 0; b < 4; ++b) {
        t[0][b] = d[0][b] - d[2][b];
        t[1][b] = d[1][b] + d[2][b];
        t[2][b] = d[2][b] - d[1][b];
        t[3][b] = d[1][b] - d[3][b];
      }
      for (int a = 0; a < 4; ++a) { // (Bᵀ d) B
        v[ch][a * 4 + 0] = t[a][0] - t[a][2];
        v[ch][a * 4 + 1] = t[a][1] + t[a][2];
        v[ch][a * 4 + 2] = t[a][2] - t[a][1];
        v[ch][a * 4 + 3] = t[a][1] - t[a][3];
      }
    }
    for (int xi = 0; xi < 16; ++xi)
      dst[xi * stride + i] = pair(v[0][xi], v[1][xi]);
  }
}

void transformPairs(void *ctx, int64_t begin, int64_t end) {
  const InputJob &j = *static_cast<const InputJob *>(ctx);
  const Geometry &g = *j.g;
  thread_local int16_t *planes = nullptr;
  thread_local int64_t capacity = 0;
  const int64_t planeSize = g.ph() * g.pw();
  int16_t *p0 = grow(planes, capacity, 2 * planeSize);
  int16_t *p1 = p0 + planeSize;
  const int64_t stride = g.vWords(); // between positions
  for (int64_t p = begin; p < end; ++p) {
    padPlane(g, j.in, j.zp, 2 * p, p0);
    padPlane(g, j.in, j.zp, 2 * p + 1, p1);
    // Tiles in row-major order; a column panel holds nr consecutive ones,
    // so a tile row is cut where it crosses into the next panel.
    for (int64_t ty = 0; ty < g.th; ++ty)
      for (int64_t tx = 0; tx < g.tw;) {
        int64_t t = ty * g.tw + tx, jp = t / g.nr, col = t % g.nr;
        int64_t n = std::min<int64_t>(g.tw - tx, g.nr - col);
        transformRun(p0, p1, g.pw(), ty, tx, n,
                     j.v + (jp * g.kp + p) * g.nr + col, stride);
        tx += n;
      }
    // The last panel's columns past the tiles: zero (their outputs are
    // discarded; zero keeps them defined).
    int64_t tail = g.panels * g.nr - g.tiles;
    if (tail)
      for (int xi = 0; xi < 16; ++xi)
        std::memset(j.v + xi * stride + ((g.panels - 1) * g.kp + p) * g.nr +
                        (g.nr - tail),
                    0, tail * sizeof(uint32_t));
  }
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

struct ProductJob {
  const Geometry *g;
  const IgemmKernel *kernel;
  const int32_t *u;  // [16][uWords]
  const uint32_t *v; // [16][vWords]
  int32_t *out;      // [F][OH·OW] int32
  bool accumulate;
};

/// Aᵀ M A / 4 of the tile's results m[ξ][r·nr + j] for row r (an output
/// channel), Aᵀ = [[1,1,1,0], [0,1,−1,−1]], in uint32 (wrap-around), into
/// y[4][nr]: the 2×2 outputs (00, 01, 10, 11) of each column.
QOPT_RT_VECTORIZED void outputTransform(const int32_t *m, int64_t tileWords,
                                        int64_t r, int nr, int32_t *y) {
  for (int j = 0; j < nr; ++j) {
    uint32_t e[16];
    for (int xi = 0; xi < 16; ++xi)
      e[xi] = static_cast<uint32_t>(m[xi * tileWords + r * nr + j]);
    uint32_t s0[4], s1[4];
    for (int b = 0; b < 4; ++b) {
      s0[b] = e[b] + e[4 + b] + e[8 + b];
      s1[b] = e[4 + b] - e[8 + b] - e[12 + b];
    }
    uint32_t four[4] = {s0[0] + s0[1] + s0[2], s0[1] - s0[2] - s0[3],
                        s1[0] + s1[1] + s1[2], s1[1] - s1[2] - s1[3]};
    // 4·y with |y| < 2^29 is exact in int32: the shift is an exact divide.
    for (int k = 0; k < 4; ++k)
      y[k * nr + j] = static_cast<int32_t>(four[k]) >> 2;
  }
}

/// Items [begin, end): item = column panel · rowPanels + row panel.
void products(void *ctx, int64_t begin, int64_t end) {
  const ProductJob &j = *static_cast<const ProductJob *>(ctx);
  const Geometry &g = *j.g;
  const int mr = g.mr, nr = g.nr;
  const int64_t tileWords = int64_t(mr) * nr;
  alignas(64) int32_t m[16 * 8 * 32]; // 16 tiles of at most 8×32
  alignas(64) int32_t y[4 * 32];
  const int64_t plane = g.oh * g.ow;
  for (int64_t item = begin; item < end; ++item) {
    int64_t jp = item / g.rowPanels, q = item % g.rowPanels;
    for (int xi = 0; xi < 16; ++xi)
      j.kernel->fn(g.kp, j.u + xi * g.uWords() + q * mr * g.kp,
                   reinterpret_cast<const int16_t *>(
                       j.v + xi * g.vWords() + jp * g.kp * nr),
                   m + xi * tileWords);
    int64_t rows = std::min<int64_t>(mr, g.f - q * mr);
    int64_t t0 = jp * nr, cols = std::min<int64_t>(nr, g.tiles - t0);
    for (int64_t r = 0; r < rows; ++r) {
      outputTransform(m, tileWords, r, nr, y);
      int32_t *dst = j.out + (q * mr + r) * plane;
      for (int64_t c = 0; c < cols; ++c) {
        int64_t t = t0 + c, ty = t / g.tw, tx = t % g.tw;
        int64_t oy = 2 * ty, ox = 2 * tx;
        for (int dy = 0; dy < 2 && oy + dy < g.oh; ++dy)
          for (int dx = 0; dx < 2 && ox + dx < g.ow; ++dx) {
            int32_t val = y[(2 * dy + dx) * nr + c];
            int32_t &o = dst[(oy + dy) * g.ow + ox + dx];
            o = j.accumulate ? static_cast<int32_t>(static_cast<uint32_t>(o) +
                                                    static_cast<uint32_t>(val))
                             : val;
          }
      }
    }
  }
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

  // Phase 1: V, every column panel of every position.
  thread_local uint32_t *vBuffer = nullptr;
  thread_local int64_t vCapacity = 0;
  uint32_t *v = grow(vBuffer, vCapacity, 16 * g.vWords());
  InputJob input{&g, in, inZp, v};
  qopt_rt_parallel_for(g.kp, std::max<int64_t>(1, 2048 / g.tiles),
                       transformPairs, &input);

  // The packed U: from the slot, or made now (and kept there).
  int32_t *u = cache ? cache->load(std::memory_order_acquire) : nullptr;
  int32_t *mine = nullptr;
  if (!u) {
    mine = transformWeights(g, w, wZp);
    u = mine;
    int32_t *expected = nullptr;
    if (cache && cache->compare_exchange_strong(expected, mine,
                                                std::memory_order_acq_rel))
      mine = nullptr;
    else if (cache) {
      std::free(mine);
      mine = nullptr;
      u = expected;
    }
  }

  // Phase 2: the products and the output transform into int32 planes.
  const int64_t plane = oh * ow;
  thread_local int32_t *accBuffer = nullptr;
  thread_local int64_t accCapacity = 0;
  int32_t *acc = requant ? grow(accBuffer, accCapacity, f * plane) : out;
  ProductJob job{&g, &kernel, u, v, acc, requant ? false : accumulate};
  int64_t items = g.panels * g.rowPanels;
  if (qopt_rt_get_num_threads() <= 1 || 16 * c * f * g.tiles < 262144)
    products(&job, 0, items);
  else
    qopt_rt_parallel_for(items, 1, products, &job);
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
