//===- Depthwise.cpp - 3×3 depthwise f32 convolution planes on AVX2 -------===//
//
// MobileNetV2's depthwise convolutions are all 3×3, stride 1 or 2. The
// general depthwise loop (Conv2D.cpp) walks the taps at run time with 2 to
// 4 accumulators, reloading each input row once per output row it feeds,
// and applies the epilogue in a second pass over the plane; on 7- to
// 28-wide planes it ran at 2 to 6 GMAC/s. Here the taps are unrolled, the
// nine weights stay in registers, each loaded input vector feeds every
// output row of the block that uses it (stride 1: R output rows read R + 2
// input rows instead of 3R), up to 6 independent accumulators cover the
// FMA latency, and each finished vector gets the epilogue before its one
// store.
//
// Blocks are R rows × 8·V columns: V = 2 and R = 3 on planes wider than 8
// (6 accumulators + 9 weights + the loaded vector: AVX2's 16 registers),
// V = 1 and R = 6 on narrower ones (7×7). Lanes past the plane's width are
// computed from what follows the row in the padded plane and not stored.
//
// Each output is the sum over ky, then kx, of one FMA per tap from zero:
// depthwiseBlock's order, so the results are the same bit for bit.
//
//===----------------------------------------------------------------------===//

#include "Depthwise.h"

#include "EpilogueAVX2.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

using namespace qopt_rt;

namespace {

struct Plane {
  const float *in;
  int64_t pitch; // of the rows of `in`
  int64_t odd;   // stride 2: offset of a row's odd columns (see splitColumns)
  float *out;
  int64_t oh, ow;
  const Epilogue *e;
  float bias;
  bool fast;
  bool simple; // biasAndClamps(*e)
  int64_t channel;
};

/// shuffle_ps of two loads lo, hi picks (lo0 lo2 hi0 hi2 | lo4 lo6 hi4
/// hi6) (or the odd lanes); permuting its 64-bit pairs (0, 2, 1, 3) puts
/// them in order.
__attribute__((target("avx2,fma"), always_inline)) inline __m256
inOrder(__m256 m) {
  return _mm256_castpd_ps(
      _mm256_permute4x64_pd(_mm256_castps_pd(m), _MM_SHUFFLE(3, 1, 2, 0)));
}

/// A vector store kept as one: the empty asm hides the loop from clang's
/// idiom recognition, which turns loops of stores of zeros or copies into
/// memset/memcpy calls (their call cost dominates 1- to 16-float runs).
__attribute__((target("avx2,fma"), always_inline)) inline void
store8(float *dst, __m256 v) {
  __asm__("" : "+r"(dst));
  _mm256_storeu_ps(dst, v);
}
__attribute__((always_inline)) inline void store1(float *dst, float v) {
  __asm__("" : "+r"(dst));
  *dst = v;
}

/// Output rows [y, y + R) × columns [x, x + 8·V), of which `cols` exist.
template <int S, int R, int V>
__attribute__((target("avx2,fma"), always_inline)) inline void
block(const Plane &p, const __m256 (&w)[9], int64_t y, int64_t x,
      int64_t cols) {
  __m256 acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v)
      acc[r][v] = _mm256_setzero_ps();
      // Input row i feeds output row r through tap row ky = i - S·r; rows are
      // visited in order, so each output's taps come ky by ky, kx by kx.
      // One tap vector at a time (9 weights and 6 accumulators leave one
      // register for it).
      // Fully unrolled: which taps feed which rows is then known statically.
#pragma clang loop unroll(full)
  for (int i = 0; i < (R - 1) * S + 3; ++i) {
    const float *row = p.in + (y * S + i) * p.pitch + x;
#pragma clang loop unroll(full)
    for (int v = 0; v < V; ++v)
#pragma clang loop unroll(full)
      for (int kx = 0; kx < 3; ++kx) {
        // Stride 2: even columns kx = 0, 2 (the second one lane on), odd
        // columns kx = 1, each a plain load of the split row.
        const float *tap = S == 1 ? row + v * 8 + kx
                                  : row + v * 8 + (kx == 1 ? p.odd : kx / 2);
        __m256 t = _mm256_loadu_ps(tap);
#pragma clang loop unroll(full)
        for (int r = 0; r < R; ++r) {
          int ky = i - S * r;
          if (ky >= 0 && ky <= 2)
            acc[r][v] = _mm256_fmadd_ps(w[ky * 3 + kx], t, acc[r][v]);
        }
      }
  }
  // Unrolled too, so that acc stays in registers (indexed by a loop
  // counter, it went through the stack).
#pragma clang loop unroll(full)
  for (int r = 0; r < R; ++r) {
    float *out = p.out + (y + r) * p.ow + x;
    // A partial block (the last of its row: every block of a 7- or
    // 14-wide plane) is stored whole too, its extra lanes landing in the
    // next rows, which are stored after it (rows go down, blocks right to
    // left): plain stores rather than AVX2's masked ones, which are slow
    // (microcoded) on AMD. Only where they would pass the plane's end (its
    // last row, or the last few of a plane narrower than 8) are just the
    // valid lanes stored, then the epilogue's loop applied to them (which
    // computes what its vector steps do).
    if (cols == 8 * V || (y + r) * p.ow + x + 8 * V <= p.oh * p.ow) {
#pragma clang loop unroll(full)
      for (int v = 0; v < V; ++v) {
        __m256 value = acc[r][v];
        if (p.simple)
          value = biasClamps8(value, _mm256_set1_ps(p.bias),
                              _mm256_set1_ps(p.e->lo), _mm256_set1_ps(p.e->hi));
        else if (p.e)
          value = finish8(*p.e, p.fast, p.bias, out + v * 8, value);
        _mm256_storeu_ps(out + v * 8, value);
      }
      continue;
    }
    alignas(32) float t[8 * V];
    for (int v = 0; v < V; ++v)
      _mm256_store_ps(t + v * 8, acc[r][v]);
    for (int64_t j = 0; j < cols; ++j)
      out[j] = t[j];
    if (p.e)
      applyEpilogue(*p.e, p.channel, out, cols, 1);
  }
}

/// Rows [y, y + R) of the plane, all columns, right to left (see block).
template <int S, int R, int V>
__attribute__((target("avx2,fma"), always_inline)) inline void
rowBlock(const Plane &p, const __m256 (&w)[9], int64_t y) {
  // The columns: 16-wide blocks while more than 8 remain, then 8-wide.
  int64_t wide = V == 2 ? std::max<int64_t>(0, (p.ow - 1) / 16) : 0;
  if (V == 2 && p.ow - wide * 16 > 8)
    ++wide;
  for (int64_t x = (p.ow - 1) / 8 * 8; x >= wide * 16; x -= 8)
    block<S, R, 1>(p, w, y, x, std::min<int64_t>(8, p.ow - x));
  if constexpr (V == 2)
    for (int64_t x = (wide - 1) * 16; x >= 0; x -= 16)
      block<S, R, 2>(p, w, y, x, std::min<int64_t>(16, p.ow - x));
}

/// All rows: blocks of kRows, then the remaining 1 to kRows - 1.
template <int S, int kRows, int V>
__attribute__((target("avx2,fma"))) void
plane(const Plane &p, const __m256 (&w)[9], int64_t oh) {
  int64_t y = 0;
  for (; y + kRows <= oh; y += kRows)
    rowBlock<S, kRows, V>(p, w, y);
  switch (oh - y) {
  case 5:
    if constexpr (kRows > 5)
      rowBlock<S, 5, V>(p, w, y);
    break;
  case 4:
    if constexpr (kRows > 4)
      rowBlock<S, 4, V>(p, w, y);
    break;
  case 3:
    if constexpr (kRows > 3)
      rowBlock<S, 3, V>(p, w, y);
    break;
  case 2:
    rowBlock<S, 2, V>(p, w, y);
    break;
  case 1:
    rowBlock<S, 1, V>(p, w, y);
    break;
  default:
    break;
  }
}

__attribute__((target("avx2,fma"))) void
run(const Plane &p, int64_t oh, int64_t stride, const float *weights) {
  __m256 w[9];
  for (int i = 0; i < 9; ++i)
    w[i] = _mm256_broadcast_ss(weights + i);
  if (stride == 1)
    p.ow > 8 ? plane<1, 3, 2>(p, w, oh) : plane<1, 6, 1>(p, w, oh);
  else
    p.ow > 8 ? plane<2, 3, 2>(p, w, oh) : plane<2, 6, 1>(p, w, oh);
}

/// The plane with its zero padding, in a per-thread buffer (grown as
/// needed, kept for later calls) with at least 32 floats of slack after it
/// for the blocks' extra lanes. Rows are copied 8 floats at a time, the
/// last vector running past the row's end into the next row (overwritten
/// when that row is copied) or the bottom padding (zeroed last); only the
/// input's last row, whose end may be the end of the tensor, has a scalar
/// tail. (Conv2D.cpp's padPlane copies the tail of every row with scalar
/// moves: on 14-wide planes that cost as much as the convolution.)
__attribute__((target("avx2,fma"))) const float *
padPlane(const float *in, int64_t h, int64_t w, int64_t pt, int64_t pl,
         int64_t pb, int64_t pr) {
  thread_local float *buffer = nullptr;
  thread_local int64_t capacity = 0;
  const int64_t pw = w + pl + pr, size = (h + pt + pb) * pw + 64;
  if (size > capacity) {
    std::free(buffer);
    capacity = size;
    buffer = static_cast<float *>(std::malloc(size * sizeof(float)));
  }
  const __m256 zero = _mm256_setzero_ps();
  for (int64_t i = 0; i < pt * pw; i += 8)
    store8(buffer + i, zero); // may run into row pt: copied next
  for (int64_t y = 0; y < h; ++y) {
    float *row = buffer + (y + pt) * pw;
    const float *src = in + y * w;
    for (int64_t i = 0; i < pl; ++i)
      store1(row + i, 0.0f);
    int64_t i = 0;
    int64_t vectorEnd = y + 1 < h ? w : w / 8 * 8;
    for (; i < vectorEnd; i += 8)
      store8(row + pl + i, _mm256_loadu_ps(src + i));
    for (; i < w; ++i)
      store1(row + pl + i, src[i]);
    for (int64_t k = 0; k < pr; ++k)
      store1(row + pl + w + k, 0.0f);
  }
  float *bottom = buffer + (h + pt) * pw;
  for (int64_t i = 0; i < pb * pw; i += 8)
    store8(bottom + i, zero); // may run into the slack
  return buffer;
}

/// Stride 2: each padded row's even columns, then its odd ones, in rows
/// of 2·half floats (half ≥ (pitch + 1) / 2 + 8: a block's loads stay in
/// its half). The taps kx = 0, 1, 2 of eight outputs are then plain loads
/// (even from x, odd from x, even from x + 1) instead of two loads and two
/// shuffles each, for every tap of every output row.
__attribute__((target("avx2,fma"))) const float *
splitColumns(const float *padded, int64_t rows, int64_t pitch, int64_t half) {
  thread_local float *buffer = nullptr;
  thread_local int64_t capacity = 0;
  const int64_t size = rows * 2 * half;
  if (size > capacity) {
    std::free(buffer);
    capacity = size;
    buffer = static_cast<float *>(std::malloc(size * sizeof(float)));
  }
  for (int64_t y = 0; y < rows; ++y) {
    const float *src = padded + y * pitch;
    float *even = buffer + y * 2 * half, *odd = even + half;
    // Reads up to 15 floats past the row (the next row, or the slack).
    for (int64_t i = 0; i < pitch; i += 16) {
      __m256 lo = _mm256_loadu_ps(src + i), hi = _mm256_loadu_ps(src + i + 8);
      store8(even + i / 2,
             inOrder(_mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0))));
      store8(odd + i / 2,
             inOrder(_mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1))));
    }
  }
  return buffer;
}

/// Stride 2 with a left padding of 0 or 1: padPlane and splitColumns in
/// one pass, each input row's 16-float loads de-interleaved straight into
/// the even and odd halves of its split row (with a left padding of 1, an
/// input column i is padded column i + 1: even inputs go to the odd half).
/// Vectors run past the row into the next one (past a half's valid part,
/// which the padding written after them ends); the input's last row, whose
/// end may be the tensor's, has a scalar tail.
__attribute__((target("avx2,fma"))) const float *
padSplit(const float *in, int64_t h, int64_t w, int64_t pt, int64_t pl,
         int64_t pb, int64_t pr, int64_t half) {
  thread_local float *buffer = nullptr;
  thread_local int64_t capacity = 0;
  // + 8: the zeroing of the padding rows ends on a whole vector.
  const int64_t rowSize = 2 * half, size = (h + pt + pb) * rowSize + 8;
  if (size > capacity) {
    std::free(buffer);
    capacity = size;
    buffer = static_cast<float *>(std::malloc(size * sizeof(float)));
  }
  const __m256 zero = _mm256_setzero_ps();
  for (int64_t i = 0; i < pt * rowSize; i += 8)
    store8(buffer + i, zero);
  for (int64_t y = 0; y < h; ++y) {
    float *even = buffer + (y + pt) * rowSize, *odd = even + half;
    const float *src = in + y * w;
    int64_t i = 0, vectorEnd = y + 1 < h ? w : w / 16 * 16;
    // Where input columns i, i + 2, ... and i + 1, i + 3, ... go.
    float *toEven = pl ? odd : even, *toOdd = pl ? even + 1 : odd;
    if (pl)
      store1(even, 0.0f);
    for (; i < vectorEnd; i += 16) {
      __m256 lo = _mm256_loadu_ps(src + i), hi = _mm256_loadu_ps(src + i + 8);
      store8(toEven + i / 2,
             inOrder(_mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0))));
      store8(toOdd + i / 2,
             inOrder(_mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1))));
    }
    for (; i < w; ++i) {
      int64_t c = pl + i;
      store1((c & 1 ? odd : even) + c / 2, src[i]);
    }
    for (int64_t c = pl + w; c < pl + w + pr; ++c)
      store1((c & 1 ? odd : even) + c / 2, 0.0f);
  }
  float *bottom = buffer + (h + pt) * rowSize;
  for (int64_t i = 0; i < pb * rowSize; i += 8)
    store8(bottom + i, zero);
  return buffer;
}

bool haveAVX2Kernels() {
  static const bool avx2 = std::strcmp(selectSgemmKernel().isa, "avx2") == 0;
  return avx2;
}

} // namespace

bool qopt_rt::depthwise3x3(const float *in, int64_t h, int64_t w, int64_t pt,
                           int64_t pl, int64_t pb, int64_t pr, int64_t oh,
                           int64_t ow, int64_t stride, const float *weights,
                           float *out, const Epilogue *epilogue,
                           int64_t channel) {
  if (!haveAVX2Kernels() || (stride != 1 && stride != 2))
    return false;
  Plane p{nullptr,  w + pl + pr, 0,     out,   oh,     ow,
          epilogue, 0.0f,        false, false, channel};
  if (stride == 2) {
    int64_t half = (p.pitch + 1) / 2 + 8;
    p.in = pl <= 1 ? padSplit(in, h, w, pt, pl, pb, pr, half)
                   : splitColumns(padPlane(in, h, w, pt, pl, pb, pr),
                                  h + pt + pb, p.pitch, half);
    p.pitch = 2 * half;
    p.odd = half;
  } else {
    p.in = padPlane(in, h, w, pt, pl, pb, pr);
  }
  if (epilogue) {
    p.bias =
        epilogue->flags & 1 ? epilogue->bias[channel] : epilogue->biasScalar;
    p.fast = fastClamps(epilogue->flags, epilogue->lo, epilogue->hi);
    p.simple = biasAndClamps(*epilogue);
  }
  run(p, oh, stride, weights);
  return true;
}
