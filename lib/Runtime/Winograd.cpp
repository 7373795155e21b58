//===- Winograd.cpp - 3×3 stride-1 convolutions as Winograd F(m×m, 3×3) ---===//
//
// Lavin & Gray's minimal filtering: each m×m block of outputs (a tile) is
// Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A, with g a 3×3 kernel and d the tile's
// (m+2)×(m+2) input window (windows of neighbouring tiles overlap by 2).
// Summed over input channels, the elementwise product becomes (m+2)²
// independent matrix products, one per position ξ of the transformed tile:
//
//   M_ξ[F, T] = U_ξ[F, C] · V_ξ[C, T],   U = G g Gᵀ,  V = Bᵀ d B,
//
// T being the number of tiles: (m+2)²/m² multiply-adds per output and
// channel pair (4 for m = 2, 2.25 for m = 4) against the direct form's 9,
// for transforms that cost O(C·T + F·T) additions and memory traffic.
//
// Three phases, each split over the pool: the input transform (one input
// channel per task) writes the row-major V_ξ; the products go through the
// GEMM of Gemm.cpp, one position per task, U_ξ being a constant A packed
// once per weight slot; the output transform (one output channel per
// task) reads M_ξ from a scratch buffer [ξ][F][T], 8 tiles a vector, and
// applies the epilogue to each finished plane. Every output is computed by
// the same operations in the same order whatever the number of threads.
//
// Numerics: docs/Numerics.md ("Winograd convolutions on the CPU") has the
// error bound the tests check.
//
//===----------------------------------------------------------------------===//

#include "Winograd.h"
#include "WeightSlot.h"
#include "VectorMoves.h"

#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace qopt_rt;
using namespace qopt_rt::vec;

namespace {

/// Rows of Bᵀ = [[1,0,-1,0], [0,1,1,0], [0,-1,1,0], [0,1,0,-1]] as
/// e[first] + sign·e[second]: every row has exactly two nonzeros, ±1.
struct BRow {
  int first, second;
  float sign;
};
constexpr BRow kBT[4] = {{0, 2, -1.0f}, {1, 2, 1.0f}, {2, 1, -1.0f},
                         {1, 3, -1.0f}};

// load8, store8, zeroFloats: VectorMoves.h.

/// p[0], p[2], ..., p[14]: eight tiles' columns (tiles are 2 apart).
template <typename T = float>
__attribute__((always_inline)) inline V8 loadEven(const T *p) {
  V8 lo = load8(p), hi = load8(p + 8);
  return __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14);
}

/// The input transform's job: V_ξ = Bᵀ d B of every tile into 16 matrices
/// [C][tilesPadded], the B operands of the products, one input channel per
/// task.
struct InputJob {
  const float *in; // C × H × W
  float *v;        // (tile + 2)² matrices, vStride floats apart
  int64_t c, h, w, pt, pl;
  int64_t th, tw, tiles, tilesPadded, vStride;
  int tile; // outputs per tile side: 2 (F(2×2, 3×3)) or 4 (F(4×4, 3×3))
};

/// Thread-local buffers that only grow, kept for later calls.
float *grow(std::vector<float> &buffer, int64_t size) {
  if (int64_t(buffer.size()) < size)
    buffer.resize(size);
  return buffer.data();
}

/// Channel `ch`: its plane is copied with its zero padding, rounded up to
/// whole tiles, into a per-thread buffer (2·TH + 2 rows of 2·TW + 2, then
/// zeroed slack for whole-vector reads), then each tile row is transformed
/// 8 tiles at a time into row `ch` of the 16 V_ξ: sequential stores, 16
/// streams (written into packed panels directly, the scattered stores
/// missed the cache and cost more than the GEMM's own packing of B).
constexpr int64_t kPlaneSlack = 64; // whole-vector reads past the plane

/// Copies channel `ch` with its zero padding, rounded up to whole tiles
/// (tile·TH + 2 rows of tile·TW + 2), and zeroed slack after it.
template <typename T = float>
__attribute__((always_inline)) inline void padPlane(const InputJob &j,
                                                    int64_t ch, T *plane) {
  const int64_t ph = j.tile * j.th + 2, pw = j.tile * j.tw + 2;
  const T *src = j.in + ch * j.h * j.w;
  for (int64_t y = 0; y < ph; ++y) {
    T *row = plane + y * pw;
    int64_t sy = y - j.pt;
    if (sy < 0 || sy >= j.h) {
      zeroFloats(row, pw);
      continue;
    }
    zeroFloats(row, j.pl);
    const T *line = src + sy * j.w;
    int64_t sx = 0;
    for (; sx + 8 <= j.w; sx += 8)
      store8(row + j.pl + sx, load8(line + sx));
    for (; sx < j.w; ++sx) {
      __asm__("" : "+r"(row));
      row[j.pl + sx] = line[sx];
    }
    zeroFloats(row + j.pl + j.w, pw - j.pl - j.w);
  }
  zeroFloats(plane + ph * pw, kPlaneSlack);
}

template <typename T = float>
__attribute__((always_inline)) inline void
transformChannel(const InputJob &j, int64_t ch, T *plane) {
  const int64_t pw = 2 * j.tw + 2;
  padPlane(j, ch, plane);
  // Row `ch` of each V_ξ (row pitch tilesPadded); whole vectors overreach
  // each tile row by up to 7 tiles, into the next row's place (written
  // after) or the padding columns (zeroed after).
  for (int64_t ty = 0; ty < j.th; ++ty) {
    const T *rows = plane + 2 * ty * pw;
    for (int64_t tx = 0; tx < j.tw; tx += 8) {
      // e[b]: column b of 8 tiles' windows, in one window row: columns 0
      // and 1 are the even and odd lanes of 16 floats, columns 2 and 3
      // those of the 16 floats two further on.
      V8 x[4][4]; // x[a][jx] = window row a times row jx of Bᵀ
      for (int a = 0; a < 4; ++a) {
        const T *r = rows + a * pw + 2 * tx;
        V8 p0 = load8(r), p1 = load8(r + 8), p2 = load8(r + 2),
           p3 = load8(r + 10);
        V8 e[4] = {
            __builtin_shufflevector(p0, p1, 0, 2, 4, 6, 8, 10, 12, 14),
            __builtin_shufflevector(p0, p1, 1, 3, 5, 7, 9, 11, 13, 15),
            __builtin_shufflevector(p2, p3, 0, 2, 4, 6, 8, 10, 12, 14),
            __builtin_shufflevector(p2, p3, 1, 3, 5, 7, 9, 11, 13, 15)};
        for (int jx = 0; jx < 4; ++jx)
          x[a][jx] = e[kBT[jx].first] + kBT[jx].sign * e[kBT[jx].second];
      }
      T *out = j.v + ch * j.tilesPadded + ty * j.tw + tx;
      for (int i = 0; i < 4; ++i)
        for (int jx = 0; jx < 4; ++jx)
          store8(out + (i * 4 + jx) * j.vStride,
                 x[kBT[i].first][jx] + kBT[i].sign * x[kBT[i].second][jx]);
    }
  }
  for (int xi = 0; xi < 16; ++xi)
    zeroFloats(j.v + xi * j.vStride + ch * j.tilesPadded + j.tiles,
               j.tilesPadded - j.tiles);
}

/// Bᵀ of F(4×4, 3×3) (interpolation points 0, ±1, ±2, ∞) applied to six
/// values: [4d0 − 5d2 + d4, −4d1 − 4d2 + d3 + d4, 4d1 − 4d2 − d3 + d4,
/// −2d1 − d2 + 2d3 + d4, 2d1 − d2 − 2d3 + d4, 4d1 − 5d3 + d5], at most
/// three roundings on each term's way (docs/Numerics.md).
template <typename T = float>
__attribute__((always_inline)) inline void inputRows4(const V8 *d, V8 *r,
                                                      T unused = 0) {
  V8 t0 = d[4] - 4.0f * d[2], t1 = d[3] - 4.0f * d[1];
  V8 t2 = d[4] - d[2], t3 = 2.0f * (d[3] - d[1]);
  r[0] = (4.0f * d[0] - 5.0f * d[2]) + d[4];
  r[1] = t0 + t1;
  r[2] = t0 - t1;
  r[3] = t2 + t3;
  r[4] = t2 - t3;
  r[5] = (4.0f * d[1] - 5.0f * d[3]) + d[5];
}

/// Lanes 0, 4, 8, ... 28 (k = 0), 1, 5, ... (k = 1) and so on of the 32
/// floats at p: column k of eight tiles 4 apart.
template <typename T = float>
__attribute__((always_inline)) inline void
deinterleave4(const T *p, V8 &c0, V8 &c1, V8 &c2, V8 &c3) {
  V8 v0 = load8(p), v1 = load8(p + 8), v2 = load8(p + 16), v3 = load8(p + 24);
  V8 e01 = __builtin_shufflevector(v0, v1, 0, 2, 4, 6, 8, 10, 12, 14);
  V8 o01 = __builtin_shufflevector(v0, v1, 1, 3, 5, 7, 9, 11, 13, 15);
  V8 e23 = __builtin_shufflevector(v2, v3, 0, 2, 4, 6, 8, 10, 12, 14);
  V8 o23 = __builtin_shufflevector(v2, v3, 1, 3, 5, 7, 9, 11, 13, 15);
  c0 = __builtin_shufflevector(e01, e23, 0, 2, 4, 6, 8, 10, 12, 14);
  c2 = __builtin_shufflevector(e01, e23, 1, 3, 5, 7, 9, 11, 13, 15);
  c1 = __builtin_shufflevector(o01, o23, 0, 2, 4, 6, 8, 10, 12, 14);
  c3 = __builtin_shufflevector(o01, o23, 1, 3, 5, 7, 9, 11, 13, 15);
}

/// F(4×4, 3×3)'s input transform of channel `ch`: 6×6 windows 4 apart,
/// 36 positions, otherwise as transformChannel.
template <typename T = float>
__attribute__((always_inline)) inline void
transformChannel4(const InputJob &j, int64_t ch, T *plane) {
  const int64_t pw = 4 * j.tw + 2;
  padPlane(j, ch, plane);
  for (int64_t ty = 0; ty < j.th; ++ty) {
    const T *rows = plane + 4 * ty * pw;
    for (int64_t tx = 0; tx < j.tw; tx += 8) {
      V8 x[6][6]; // x[a][jx] = window row a times row jx of Bᵀ
      for (int a = 0; a < 6; ++a) {
        const T *r = rows + a * pw + 4 * tx;
        V8 e[6], unused0, unused1;
        deinterleave4(r, e[0], e[1], e[2], e[3]);
        deinterleave4(r + 4, e[4], e[5], unused0, unused1);
        inputRows4(e, x[a]);
      }
      T *out = j.v + ch * j.tilesPadded + ty * j.tw + tx;
      for (int jx = 0; jx < 6; ++jx) {
        V8 col[6] = {x[0][jx], x[1][jx], x[2][jx],
                     x[3][jx], x[4][jx], x[5][jx]};
        V8 vi[6];
        inputRows4(col, vi);
        for (int i = 0; i < 6; ++i)
          store8(out + (i * 6 + jx) * j.vStride, vi[i]);
      }
    }
  }
  for (int xi = 0; xi < 36; ++xi)
    zeroFloats(j.v + xi * j.vStride + ch * j.tilesPadded + j.tiles,
               j.tilesPadded - j.tiles);
}

QOPT_RT_VECTORIZED void transformChannelRange(const InputJob &j,
                                              int64_t begin, int64_t end,
                                              float *plane) {
  for (int64_t ch = begin; ch < end; ++ch)
    if (j.tile == 4)
      transformChannel4(j, ch, plane);
    else
      transformChannel(j, ch, plane);
}

void transformChannels(void *ctx, int64_t begin, int64_t end) {
  const InputJob &j = *static_cast<const InputJob *>(ctx);
  thread_local std::vector<float> planeBuffer;
  float *plane = grow(planeBuffer, (j.tile * j.th + 2) * (j.tile * j.tw + 2) +
                                      kPlaneSlack);
  transformChannelRange(j, begin, end, plane);
}

/// U[ξ][f][c] = (G g Gᵀ)[ξ] for every filter f and channel c, with
/// G = [[1,0,0], [½,½,½], [½,-½,½], [0,0,1]].
std::vector<float> transformWeights(const float *w, int64_t f, int64_t c) {
  std::vector<float> u(16 * f * c);
  for (int64_t fi = 0; fi < f; ++fi)
    for (int64_t ci = 0; ci < c; ++ci) {
      const float *g = w + (fi * c + ci) * 9;
      float gg[4][3]; // G·g
      for (int col = 0; col < 3; ++col) {
        float g0 = g[col], g1 = g[3 + col], g2 = g[6 + col];
        gg[0][col] = g0;
        gg[1][col] = 0.5f * (g0 + g1 + g2);
        gg[2][col] = 0.5f * (g0 - g1 + g2);
        gg[3][col] = g2;
      }
      for (int row = 0; row < 4; ++row) {
        float g0 = gg[row][0], g1 = gg[row][1], g2 = gg[row][2];
        float v[4] = {g0, 0.5f * (g0 + g1 + g2), 0.5f * (g0 - g1 + g2), g2};
        for (int col = 0; col < 4; ++col)
          u[((row * 4 + col) * f + fi) * c + ci] = v[col];
      }
    }
  return u;
}

/// U[ξ][f][c] for F(4×4, 3×3): G g Gᵀ with G = [[¼,0,0], [−⅙,−⅙,−⅙],
/// [−⅙,⅙,−⅙], [1/24,1/12,⅙], [1/24,−1/12,⅙], [0,0,1]], computed in double
/// and rounded once (⅙ and 1/12 have no exact float).
std::vector<float> transformWeights4(const float *w, int64_t f, int64_t c) {
  std::vector<float> u(36 * f * c);
  // Products with the reciprocals, not divisions (which cost the first
  // call some 60 ms on ResNet-18): their relative error, 2⁻⁵³, vanishes
  // in the final rounding to float.
  constexpr double kSixth = 1.0 / 6, kTwelfth = 1.0 / 12, kTwentyFourth = 1.0 / 24;
  auto rows = [=](double g0, double g1, double g2, double *r) {
    r[0] = g0 * 0.25;
    r[1] = -(g0 + g1 + g2) * kSixth;
    r[2] = -(g0 - g1 + g2) * kSixth;
    r[3] = g0 * kTwentyFourth + g1 * kTwelfth + g2 * kSixth;
    r[4] = g0 * kTwentyFourth - g1 * kTwelfth + g2 * kSixth;
    r[5] = g2;
  };
  for (int64_t fi = 0; fi < f; ++fi)
    for (int64_t ci = 0; ci < c; ++ci) {
      const float *g = w + (fi * c + ci) * 9;
      double gg[6][3]; // G·g
      for (int col = 0; col < 3; ++col) {
        double r[6];
        rows(g[col], g[3 + col], g[6 + col], r);
        for (int row = 0; row < 6; ++row)
          gg[row][col] = r[row];
      }
      for (int row = 0; row < 6; ++row) {
        double r[6];
        rows(gg[row][0], gg[row][1], gg[row][2], r);
        for (int col = 0; col < 6; ++col)
          u[((row * 6 + col) * f + fi) * c + ci] = float(r[col]);
      }
    }
  return u;
}

struct OutputJob {
  const float *m; // [(tile + 2)²][F][T] (+ slack for whole-vector reads)
  float *out;
  int64_t f, t, th, tw, oh, ow;
  bool accumulate;
  const Epilogue *epilogue;
  int tile;
};

/// Y = Aᵀ m A, Aᵀ = [[1,1,1,0], [0,1,-1,-1]], for output channels
/// [begin, end): 8 tiles of a tile row at a time, their 2×2 outputs
/// interleaved into two 16-float output rows; then the epilogue over the
/// finished plane.
template <typename T = float>
__attribute__((always_inline)) inline void outputChannel(const OutputJob &j,
                                                         int64_t fi) {
  const int64_t xiStride = j.f * j.t;
  {
    float *plane = j.out + fi * j.oh * j.ow;
    const float *mf = j.m + fi * j.t;
    for (int64_t ty = 0; ty < j.th; ++ty) {
      int64_t y = 2 * ty;
      for (int64_t tx = 0; tx < j.tw; tx += 8) {
        const float *mt = mf + ty * j.tw + tx;
        V8 m[16];
        for (int xi = 0; xi < 16; ++xi)
          m[xi] = load8(mt + xi * xiStride);
        // Rows of Aᵀ applied down each column b, then across.
        V8 s0[4], s1[4];
        for (int b = 0; b < 4; ++b) {
          s0[b] = (m[b] + m[4 + b]) + m[8 + b];
          s1[b] = (m[4 + b] - m[8 + b]) - m[12 + b];
        }
        V8 y00 = (s0[0] + s0[1]) + s0[2], y01 = (s0[1] - s0[2]) - s0[3];
        V8 y10 = (s1[0] + s1[1]) + s1[2], y11 = (s1[1] - s1[2]) - s1[3];
        alignas(32) float rowsOut[2][16];
        V8 lo0 = __builtin_shufflevector(y00, y01, 0, 8, 1, 9, 2, 10, 3, 11);
        V8 hi0 = __builtin_shufflevector(y00, y01, 4, 12, 5, 13, 6, 14, 7, 15);
        V8 lo1 = __builtin_shufflevector(y10, y11, 0, 8, 1, 9, 2, 10, 3, 11);
        V8 hi1 = __builtin_shufflevector(y10, y11, 4, 12, 5, 13, 6, 14, 7, 15);
        std::memcpy(rowsOut[0], &lo0, sizeof(V8));
        std::memcpy(rowsOut[0] + 8, &hi0, sizeof(V8));
        std::memcpy(rowsOut[1], &lo1, sizeof(V8));
        std::memcpy(rowsOut[1] + 8, &hi1, sizeof(V8));
        int64_t x = 2 * tx, cols = std::min<int64_t>(16, j.ow - x);
        int64_t rows = std::min<int64_t>(2, j.oh - y);
        for (int64_t r = 0; r < rows; ++r) {
          float *dst = plane + (y + r) * j.ow + x;
          const float *src = rowsOut[r];
          if (cols == 16 && !j.accumulate) {
            store8(dst, load8(src));
            store8(dst + 8, load8(src + 8));
          } else if (cols == 16) {
            store8(dst, load8(dst) + load8(src));
            store8(dst + 8, load8(dst + 8) + load8(src + 8));
          } else {
            for (int64_t cc = 0; cc < cols; ++cc)
              dst[cc] = j.accumulate ? dst[cc] + src[cc] : src[cc];
          }
        }
      }
    }
    if (j.epilogue)
      applyEpilogue(*j.epilogue, fi, plane, j.oh * j.ow, 1);
  }
}

/// Aᵀ of F(4×4, 3×3) applied to six values: [m0 + m1 + m2 + m3 + m4,
/// (m1 − m2) + 2(m3 − m4), (m1 + m2) + 4(m3 + m4), (m1 − m2) + 8(m3 − m4)
/// + m5], at most three roundings on each term's way.
template <typename T = float>
__attribute__((always_inline)) inline void outputRows4(const V8 *m, V8 *y,
                                                       T unused = 0) {
  V8 a = m[1] + m[2], b = m[1] - m[2], c = m[3] + m[4], d = m[3] - m[4];
  y[0] = (m[0] + a) + c;
  y[1] = b + 2.0f * d;
  y[2] = a + 4.0f * c;
  y[3] = (b + 8.0f * d) + m[5];
}

/// F(4×4, 3×3)'s output transform of channel fi: 8 tiles at a time, their
/// 4×4 outputs interleaved into four 32-float rows; then the epilogue.
template <typename T = float>
__attribute__((always_inline)) inline void outputChannel4(const OutputJob &j,
                                                          int64_t fi) {
  const int64_t xiStride = j.f * j.t;
  T *plane = j.out + fi * j.oh * j.ow;
  const T *mf = j.m + fi * j.t;
  for (int64_t ty = 0; ty < j.th; ++ty) {
    int64_t y = 4 * ty;
    for (int64_t tx = 0; tx < j.tw; tx += 8) {
      const T *mt = mf + ty * j.tw + tx;
      V8 s[4][6]; // s[r][b] = row r of Aᵀ down column b
      for (int b = 0; b < 6; ++b) {
        V8 col[6];
        for (int a = 0; a < 6; ++a)
          col[a] = load8(mt + (a * 6 + b) * xiStride);
        V8 r[4];
        outputRows4(col, r);
        for (int q = 0; q < 4; ++q)
          s[q][b] = r[q];
      }
      int64_t x = 4 * tx, cols = std::min<int64_t>(32, j.ow - x);
      int64_t rows = std::min<int64_t>(4, j.oh - y);
      for (int64_t q = 0; q < rows; ++q) {
        V8 o[4];
        outputRows4(s[q], o);
        // Lane l of o[k] is output column 4·l + k: interleave by 4.
        V8 p01l = __builtin_shufflevector(o[0], o[1], 0, 8, 1, 9, 2, 10, 3, 11);
        V8 p01h = __builtin_shufflevector(o[0], o[1], 4, 12, 5, 13, 6, 14, 7, 15);
        V8 p23l = __builtin_shufflevector(o[2], o[3], 0, 8, 1, 9, 2, 10, 3, 11);
        V8 p23h = __builtin_shufflevector(o[2], o[3], 4, 12, 5, 13, 6, 14, 7, 15);
        alignas(32) T line[32];
        V8 w0 = __builtin_shufflevector(p01l, p23l, 0, 1, 8, 9, 2, 3, 10, 11);
        V8 w1 = __builtin_shufflevector(p01l, p23l, 4, 5, 12, 13, 6, 7, 14, 15);
        V8 w2 = __builtin_shufflevector(p01h, p23h, 0, 1, 8, 9, 2, 3, 10, 11);
        V8 w3 = __builtin_shufflevector(p01h, p23h, 4, 5, 12, 13, 6, 7, 14, 15);
        std::memcpy(line, &w0, sizeof(V8));
        std::memcpy(line + 8, &w1, sizeof(V8));
        std::memcpy(line + 16, &w2, sizeof(V8));
        std::memcpy(line + 24, &w3, sizeof(V8));
        T *dst = plane + (y + q) * j.ow + x;
        int64_t cc = 0;
        if (!j.accumulate)
          for (; cc + 8 <= cols; cc += 8)
            store8(dst + cc, load8(line + cc));
        else
          for (; cc + 8 <= cols; cc += 8)
            store8(dst + cc, load8(dst + cc) + load8(line + cc));
        for (; cc < cols; ++cc)
          dst[cc] = j.accumulate ? dst[cc] + line[cc] : line[cc];
      }
    }
  }
  if (j.epilogue)
    applyEpilogue(*j.epilogue, fi, plane, j.oh * j.ow, 1);
}

QOPT_RT_VECTORIZED void outputChannels(void *ctx, int64_t begin,
                                       int64_t end) {
  const OutputJob &j = *static_cast<const OutputJob *>(ctx);
  for (int64_t fi = begin; fi < end; ++fi)
    if (j.tile == 4)
      outputChannel4(j, fi);
    else
      outputChannel(j, fi);
}

/// The weight slot's content: one GEMM cache slot per position ξ.
struct PackedWeights {
  std::atomic<float *> slots[36]; // F(2×2, 3×3) uses the first 16
};

PackedWeights *packedWeights(std::atomic<float *> *cache) {
  return reinterpret_cast<PackedWeights *>(qopt_rt::cachedPacking(cache, [] {
    return static_cast<float *>(std::calloc(1, sizeof(PackedWeights)));
  }));
}

struct GemmJob {
  int64_t f, t, c;
  const float *u;        // [positions][F][C], or null when all are packed
  PackedWeights *packed; // or null (no cache: U packed on each call)
  const float *v;        // the B operands, vStride apart
  int64_t vStride;
  float *m;
};

void gemmPositions(void *ctx, int64_t begin, int64_t end) {
  const GemmJob &j = *static_cast<const GemmJob *>(ctx);
  for (int64_t xi = begin; xi < end; ++xi)
    sgemm(j.f, j.t, j.c, j.u ? j.u + xi * j.f * j.c : nullptr, j.c, 1,
          j.v + xi * j.vStride, j.vStride / j.c, 1, j.m + xi * j.f * j.t, j.t,
          1, /*accumulate=*/false, j.packed ? &j.packed->slots[xi] : nullptr);
}

/// QOPT_CONV_WINOGRAD: "0" never; "all" F(2×2, 3×3) and "all4"
/// F(4×4, 3×3) for every shape they can compute (for tests on small
/// shapes); otherwise where it pays, with the larger tiles where the
/// products keep enough columns.
enum class WinogradMode { Off, Profitable, All2, All4 };

WinogradMode winogradMode() {
  static const WinogradMode mode = [] {
    const char *env = std::getenv("QOPT_CONV_WINOGRAD");
    if (env && std::strcmp(env, "0") == 0)
      return WinogradMode::Off;
    if (env && std::strcmp(env, "all") == 0)
      return WinogradMode::All2;
    if (env && std::strcmp(env, "all4") == 0)
      return WinogradMode::All4;
    return WinogradMode::Profitable;
  }();
  return mode;
}

} // namespace

int qopt_rt::winogradTile(int64_t c, int64_t f, int64_t kh, int64_t kw,
                          int64_t sh, int64_t sw, int64_t dh, int64_t dw,
                          int64_t oh, int64_t ow) {
  if (kh != 3 || kw != 3 || sh != 1 || sw != 1 || dh != 1 || dw != 1 ||
      c < 16 || f < 16 || oh < 2 || ow < 2)
    return 0;
  switch (winogradMode()) {
  case WinogradMode::Off:
    return 0;
  case WinogradMode::All2:
    return 2;
  case WinogradMode::All4:
    return 4;
  case WinogradMode::Profitable:
    break;
  }
  // Below some 16M multiply-adds (direct), the transforms and their three
  // hand-offs to the pool cost about what the products save: fashion_cnn's
  // 1.8M multiply-add convolutions ran some 8 % slower with Winograd
  // (minimum latency over 2000 runs, 1 thread). ResNet-18's are 116M.
  if (9 * c * f * oh * ow < (int64_t(1) << 24))
    return 0;
  // F(4×4, 3×3) needs 2.25 multiply-adds per output and channel pair
  // against F(2×2, 3×3)'s 4, but has a quarter as many tiles: the
  // products' column count. Below 16 (one AVX2 panel), the microkernel
  // would mostly compute padding (ResNet-18's 7×7 planes: 4 tiles).
  return ((oh + 3) / 4) * ((ow + 3) / 4) >= 16 ? 4 : 2;
}

void qopt_rt::conv2dWinograd(const float *in, const float *w, float *out,
                             int64_t c, int64_t h, int64_t wd, int64_t f,
                             int64_t oh, int64_t ow, int64_t pt, int64_t pl,
                             std::atomic<float *> *cache, bool accumulate,
                             const Epilogue *epilogue) {
  const int tile = winogradTile(c, f, 3, 3, 1, 1, 1, 1, oh, ow) == 4 ? 4 : 2;
  const int positions = (tile + 2) * (tile + 2);
  const int64_t th = (oh + tile - 1) / tile, tw = (ow + tile - 1) / tile;
  const int64_t tiles = th * tw;
  // Rows of V long enough for the last tile row's whole-vector stores
  // (a row's stores must not reach the next channel's row: another thread
  // writes it).
  const int64_t tilesPadded = ((th - 1) * tw + (tw + 7) / 8 * 8 + 7) / 8 * 8;
  constexpr int64_t kSlack = 64; // whole-vector reads past the end

  thread_local std::vector<float> vBuffer, mBuffer;
  float *v = grow(vBuffer, positions * c * tilesPadded);
  InputJob input{in,    v,     c,     h,           wd,
                 pt,    pl,    th,    tw,          tiles,
                 tilesPadded, c * tilesPadded, tile};
  // Chunks of some 256 tiles (a tile's transform is ~100 cycles): 4096
  // made the input transform of ResNet-18's 14x14 and 7x7 layers (16 tiles
  // a channel) one or two chunks, serial at 16 threads.
  qopt_rt_parallel_for(c, std::max<int64_t>(1, 256 / tiles),
                       transformChannels, &input);

  // U is only needed until every position's slot holds its packing.
  PackedWeights *packed = cache ? packedWeights(cache) : nullptr;
  bool allPacked = packed != nullptr;
  for (int xi = 0; packed && xi < positions; ++xi)
    allPacked &= packed->slots[xi].load(std::memory_order_acquire) != nullptr;
  std::vector<float> u;
  if (!allPacked)
    u = tile == 4 ? transformWeights4(w, f, c) : transformWeights(w, f, c);

  float *m = grow(mBuffer, positions * f * tiles + kSlack);
  GemmJob gemm{f, tiles, c, u.empty() ? nullptr : u.data(), packed, v,
               c * tilesPadded, m};
  // One position per task: every product runs whole on one thread, so no
  // B panel is packed twice. (Beyond 8 threads this used to run the
  // positions one after another, each product split over the threads; but
  // ResNet-18's products are too small for the GEMM to split (64x196x64),
  // so they ran serially: at 16 threads on the AVX-512 machine its
  // Winograd layers took as long as at 1 thread, QOPT_PROFILE showed.)
  qopt_rt_parallel_for(positions, 1, gemmPositions, &gemm);

  OutputJob output{m,  out, f,          tiles,    th,  tw,
                   oh, ow,  accumulate, epilogue, tile};
  qopt_rt_parallel_for(f, std::max<int64_t>(1, 1024 / (oh * ow)),
                       outputChannels, &output);
}

extern "C" int qopt_rt_conv2d_f32_uses_winograd(int64_t groups, int64_t c,
                                                int64_t f, int64_t kh,
                                                int64_t kw, int64_t oh,
                                                int64_t ow, int64_t sh,
                                                int64_t sw, int64_t dh,
                                                int64_t dw) {
  // Depthwise convolutions take their own path (Conv2D.cpp).
  if (c == 1 && f == 1 && groups > 1)
    return 0;
  return qopt_rt::winogradTile(c, f, kh, kw, sh, sw, dh, dw, oh, ow);
}
