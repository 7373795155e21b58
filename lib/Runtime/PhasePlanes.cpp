//===- PhasePlanes.cpp - small-plane convolutions with contiguous patches -===//
//
// The implicit GEMM of Conv2D.cpp gathers each row of the im2col matrix from
// the input one output row at a time. On the small planes of small CNNs (4
// to 28 columns) those runs are a few floats long, and gathering them cost
// as much as the products (fashion_cnn, one thread: 37 % packing against
// 34 % microkernel).
//
// Here the padded input is first split into its stride phases: phase
// (py, px) of a channel holds the padded rows py, py + sh, ... and columns
// px, px + sw, ... (for stride 1 it is the padded plane itself). Output
// (y, x) reads, for tap (ky, kx), phase ((ky·dh) mod sh, (kx·dw) mod sw) at
// row y + ky·dh div sh and column x + kx·dw div sw. The outputs are
// computed on a "wide" grid as wide as a phase plane (PW columns instead of
// OW: column j = y·PW + x), which makes each im2col row one contiguous run
// of a phase plane: row (c, ky, kx) starts at a fixed offset and column j
// is at offset + j. Packing a panel is then whole-vector copies. The PW − OW
// extra columns of each output row are computed and dropped when the wide
// result is copied into the output; the path is taken only where they add
// few NR-column panels (usesPhasePlanes).
//
// The products are the implicit GEMM's, summed in the same order by the
// same microkernel, so the result is bit-identical to that path's.
//
//===----------------------------------------------------------------------===//

#include "PhasePlanes.h"
#include "VectorMoves.h"
#include "Winograd.h"
#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

using namespace qopt_rt::vec;

struct Geometry {
  int64_t c, h, w, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl;
  int64_t ph, pw;    // the padded plane
  int64_t rows, cols; // of one phase plane: ceil(ph / sh) × ceil(pw / sw)
  int64_t wide;       // columns of the wide grid: (oh − 1)·cols + ow

  int64_t phaseSize() const { return rows * cols; }
  /// Whether some tap reads phase (py, px) (a 1×1 stride-2 convolution
  /// reads one of its four).
  bool read(int64_t py, int64_t px) const {
    bool row = false, col = false;
    for (int64_t ky = 0; ky < kh; ++ky)
      row |= ky * dh % sh == py;
    for (int64_t kx = 0; kx < kw; ++kx)
      col |= kx * dw % sw == px;
    return row && col;
  }
  /// Offset of phase (py, px) of channel ci in the phase buffer.
  int64_t phase(int64_t ci, int64_t py, int64_t px) const {
    return ((ci * sh + py) * sw + px) * phaseSize();
  }
};

Geometry geometry(int64_t c, int64_t h, int64_t w, int64_t kh, int64_t kw,
                  int64_t oh, int64_t ow, int64_t sh, int64_t sw, int64_t dh,
                  int64_t dw, int64_t pt, int64_t pl, int64_t pb,
                  int64_t pr) {
  Geometry g{};
  g.c = c, g.h = h, g.w = w, g.kh = kh, g.kw = kw, g.oh = oh, g.ow = ow;
  g.sh = sh, g.sw = sw, g.dh = dh, g.dw = dw, g.pt = pt, g.pl = pl;
  g.ph = h + pt + pb;
  g.pw = w + pl + pr;
  g.rows = (g.ph + sh - 1) / sh;
  g.cols = (g.pw + sw - 1) / sw;
  g.wide = (oh - 1) * g.cols + ow;
  return g;
}

bool enabled() {
  static const bool on = [] {
    const char *env = std::getenv("QOPT_CONV_PHASE_PLANES");
    return !(env && std::strcmp(env, "0") == 0);
  }();
  return on;
}

struct SplitJob {
  const Geometry *g;
  const float *in; // C×H×W
  float *planes;
};

/// Writes the phase planes that taps read of channels [begin, end), zeros
/// included (the padding, and the rows and columns past the padded plane
/// when its size is not a multiple of the stride).
QOPT_RT_VECTORIZED void splitChannels(void *ctx, int64_t begin, int64_t end) {
  const SplitJob &j = *static_cast<const SplitJob *>(ctx);
  const Geometry &g = *j.g;
  for (int64_t ci = begin; ci < end; ++ci)
    for (int64_t py = 0; py < g.sh; ++py)
      for (int64_t px = 0; px < g.sw; ++px) {
        if (!g.read(py, px))
          continue;
        float *dst = j.planes + g.phase(ci, py, px);
        // Phase columns [first, last) hold input columns; the rest is 0.
        int64_t first = std::max<int64_t>(0, (g.pl - px + g.sw - 1) / g.sw);
        int64_t last = std::min<int64_t>(
            g.cols, std::max<int64_t>(0, (g.pl + g.w - px + g.sw - 1) / g.sw));
        last = std::max(last, first);
        for (int64_t i = 0; i < g.rows; ++i, dst += g.cols) {
          int64_t r = i * g.sh + py - g.pt; // input row
          if (r < 0 || r >= g.h || first == last) {
            zeroFloats(dst, g.cols);
            continue;
          }
          const float *src = j.in + (ci * g.h + r) * g.w + first * g.sw + px -
                             g.pl;
          zeroFloats(dst, first);
          if (g.sw == 1)
            copyFloats(dst + first, src, last - first);
          else
            for (int64_t t = 0; t < last - first; ++t)
              dst[first + t] = src[t * g.sw];
          zeroFloats(dst + last, g.cols - last);
        }
      }
}

struct WidePatches {
  const float *planes;
  const int64_t *offsets; // of each im2col row's run in `planes`
};

/// qopt_rt::PackBFn of the wide im2col matrix: row k, columns [j0, j0+nc)
/// are planes[offsets[k] + j0 ...], copied a panel at a time.
template <int kNR>
__attribute__((always_inline)) inline void
packWideImpl(const WidePatches &p, int64_t k0, int64_t kc, int64_t j0,
             int64_t nc, float *dst) {
  for (int64_t q = 0; q < nc; q += kNR, dst += kc * kNR) {
    int64_t cols = std::min<int64_t>(kNR, nc - q);
    for (int64_t k = 0; k < kc; ++k) {
      const float *src = p.planes + p.offsets[k0 + k] + j0 + q;
      float *out = dst + k * kNR;
      if (cols == kNR) {
        std::memcpy(out, src, kNR * sizeof(float)); // fixed size: moves
        continue;
      }
      int64_t t = 0;
      for (; t < cols; ++t)
        out[t] = src[t];
      for (; t < kNR; ++t)
        out[t] = 0.0f;
    }
  }
}

QOPT_RT_VECTORIZED void packWide(const void *ctx, int64_t k0, int64_t kc,
                                 int64_t j0, int64_t nc, int nr, float *dst) {
  const WidePatches &p = *static_cast<const WidePatches *>(ctx);
  if (nr == 16)
    packWideImpl<16>(p, k0, kc, j0, nc, dst);
  else if (nr == 32)
    packWideImpl<32>(p, k0, kc, j0, nc, dst);
  else if (nr == 8)
    packWideImpl<8>(p, k0, kc, j0, nc, dst);
  else
    __builtin_trap(); // no kernel has another NR
}

/// Copies the valid columns of the wide result into the output planes and
/// applies the epilogue to each finished plane (rows: output channels).
QOPT_RT_VECTORIZED void compact(const Geometry &g, int64_t f,
                                const float *wide, float *out,
                                const qopt_rt::Epilogue *epilogue) {
  int64_t plane = g.oh * g.ow;
  for (int64_t fi = 0; fi < f; ++fi) {
    float *o = out + fi * plane;
    const float *src = wide + fi * g.wide;
    for (int64_t y = 0; y < g.oh; ++y)
      copyFloats(o + y * g.ow, src + y * g.cols, g.ow);
    if (epilogue)
      qopt_rt::applyEpilogue(*epilogue, fi, o, plane, 1);
  }
}

/// A thread-local buffer of at least `size` elements, kept for later calls.
template <typename T> T *scratch(std::vector<T> &buffer, int64_t size) {
  if (int64_t(buffer.size()) < size)
    buffer.resize(size);
  return buffer.data();
}

int64_t panels(int64_t n, int64_t nr) { return (n + nr - 1) / nr; }

} // namespace

bool qopt_rt::usesPhasePlanes(int64_t c, int64_t h, int64_t wd, int64_t kh,
                              int64_t kw, int64_t oh, int64_t ow, int64_t sh,
                              int64_t sw, int64_t dh, int64_t dw, int64_t pt,
                              int64_t pl, int64_t pb, int64_t pr) {
  if (!enabled() || ow > 32 || oh <= 0 || ow <= 0 || c <= 0)
    return false;
  if (kh == 1 && kw == 1 && sh == 1 && sw == 1)
    return false;
  Geometry g = geometry(c, h, wd, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl, pb,
                        pr);
  int64_t nr = selectSgemmKernel().nr;
  return panels(g.wide, nr) * 8 <= panels(oh * ow, nr) * 9;
}

void qopt_rt::conv2dPhasePlanes(const float *in, const float *w, float *out,
                                int64_t c, int64_t h, int64_t wd, int64_t f,
                                int64_t kh, int64_t kw, int64_t oh, int64_t ow,
                                int64_t sh, int64_t sw, int64_t dh, int64_t dw,
                                int64_t pt, int64_t pl, int64_t pb, int64_t pr,
                                std::atomic<float *> *cache,
                                const Epilogue *epilogue) {
  Geometry g = geometry(c, h, wd, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl, pb,
                        pr);
  thread_local std::vector<float> planeBuffer, wideBuffer;
  thread_local std::vector<int64_t> offsetBuffer;
  float *planes = scratch(planeBuffer, c * sh * sw * g.phaseSize());
  SplitJob split{&g, in, planes};
  // Over the pool only with some 16K floats per thread to copy.
  qopt_rt_parallel_for(c, std::max<int64_t>(1, 16384 / (g.ph * g.pw)),
                       splitChannels, &split);

  int64_t depth = c * kh * kw;
  int64_t *offsets = scratch(offsetBuffer, depth);
  for (int64_t ci = 0, k = 0; ci < c; ++ci)
    for (int64_t ky = 0; ky < kh; ++ky)
      for (int64_t kx = 0; kx < kw; ++kx, ++k) {
        int64_t r = ky * dh, q = kx * dw;
        offsets[k] = g.phase(ci, r % sh, q % sw) + r / sh * g.cols + q / sw;
      }

  float *wide = scratch(wideBuffer, f * g.wide);
  WidePatches patches{planes, offsets};
  sgemmImplicitB(f, g.wide, depth, w, depth, 1, packWide, &patches, wide,
                 g.wide, 1, /*accumulate=*/false, cache, nullptr);
  compact(g, f, wide, out, epilogue);
}

extern "C" int qopt_rt_conv2d_f32_uses_phase_planes(
    int64_t groups, int64_t c, int64_t h, int64_t wd, int64_t f, int64_t kh,
    int64_t kw, int64_t oh, int64_t ow, int64_t sh, int64_t sw, int64_t dh,
    int64_t dw, int64_t pt, int64_t pl, int64_t pb, int64_t pr) {
  // As Conv2D.cpp dispatches: depthwise and Winograd convolutions take
  // their own paths.
  if ((c == 1 && f == 1 && groups > 1) ||
      qopt_rt::winogradTile(c, f, kh, kw, sh, sw, dh, dw, oh, ow))
    return 0;
  return qopt_rt::usesPhasePlanes(c, h, wd, kh, kw, oh, ow, sh, sw, dh, dw,
                                  pt, pl, pb, pr);
}
