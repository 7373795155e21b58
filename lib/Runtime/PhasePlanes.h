//===- PhasePlanes.h - a convolution input split by stride phase -*- C++ -*-===//
//
// The layout the direct convolutions of small planes read (DirectConv.cpp,
// Int8DirectConv.cpp): phase (py, px) of a plane holds the padded rows py,
// py + sh, ... and columns px, px + sw, ... (for stride 1, the padded plane
// itself). Output (y, x) reads, for tap (ky, kx), phase ((ky·dh) mod sh,
// (kx·dw) mod sw) at row y + ky·dh div sh, column x + kx·dw div sw: for
// every tap the inputs of consecutive outputs of a row are consecutive
// elements of one phase row, at a fixed offset per tap.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_RUNTIME_PHASEPLANES_H
#define QOPT_LIB_RUNTIME_PHASEPLANES_H

#include <algorithm>
#include <cstdint>

namespace qopt_rt {

struct PhasePlanes {
  int64_t planes; // input planes (channels, or channel pairs for int8)
  int64_t h, w, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl;
  int64_t rows, cols; // of one phase: ceil(padded h / sh) × ceil(padded w / sw)
  /// Bit py·sw + px: some tap reads phase (py, px) (a 1×1 stride-2
  /// convolution reads one of its four).
  uint64_t readPhases = 0;

  /// At most 64 phases (sh·sw <= 64).
  static PhasePlanes of(int64_t planes, int64_t h, int64_t w, int64_t kh,
                        int64_t kw, int64_t oh, int64_t ow, int64_t sh,
                        int64_t sw, int64_t dh, int64_t dw, int64_t pt,
                        int64_t pl, int64_t pb, int64_t pr) {
    PhasePlanes g{};
    g.planes = planes, g.h = h, g.w = w, g.kh = kh, g.kw = kw, g.oh = oh;
    g.ow = ow, g.sh = sh, g.sw = sw, g.dh = dh, g.dw = dw, g.pt = pt;
    g.pl = pl;
    g.rows = (h + pt + pb + sh - 1) / sh;
    g.cols = (w + pl + pr + sw - 1) / sw;
    for (int64_t ky = 0; ky < kh; ++ky)
      for (int64_t kx = 0; kx < kw; ++kx)
        g.readPhases |= uint64_t(1) << (ky * dh % sh * sw + kx * dw % sw);
    return g;
  }

  int64_t phaseSize() const { return rows * cols; }
  /// Elements of all phases of all planes.
  int64_t size() const { return planes * sh * sw * phaseSize(); }
  /// Offset of phase (py, px) of plane p.
  int64_t phase(int64_t p, int64_t py, int64_t px) const {
    return ((p * sh + py) * sw + px) * phaseSize();
  }
  bool reads(int64_t py, int64_t px) const {
    return readPhases >> (py * sw + px) & 1;
  }
  /// The columns [first, last) of phase column px that hold input columns
  /// (the others are padding).
  void inputColumns(int64_t px, int64_t &first, int64_t &last) const {
    first = std::max<int64_t>(0, (pl - px + sw - 1) / sw);
    last = std::min<int64_t>(
        cols, std::max<int64_t>(0, (pl + w - px + sw - 1) / sw));
    last = std::max(last, first);
  }
  /// The offset of each tap k = (p·KH + ky)·KW + kx, p < planes: those of
  /// plane 0, then the same plus p planes' phases. (The divisions once per
  /// kernel tap, not per tap of every plane: they cost 5 % of fashion_cnn.)
  void tapOffsets(int64_t *offsets) const {
    int64_t taps = kh * kw;
    for (int64_t ky = 0, k = 0; ky < kh; ++ky)
      for (int64_t kx = 0; kx < kw; ++kx, ++k) {
        int64_t r = ky * dh, q = kx * dw;
        offsets[k] = phase(0, r % sh, q % sw) + r / sh * cols + q / sw;
      }
    int64_t planeStride = sh * sw * phaseSize();
    for (int64_t p = 1; p < planes; ++p)
      for (int64_t k = 0; k < taps; ++k)
        offsets[p * taps + k] = offsets[k] + p * planeStride;
  }
};

/// One row of a phase plane to fill: row `row` of phase (py, px) of plane
/// p, at `offset` in the phase buffer. `y` is the input row it holds, or -1
/// for a row of padding; phase columns [first, last) hold input columns
/// from input column `x` on (every `sw`-th), the others are padding.
struct PhaseRow {
  int64_t p, py, px, row, offset, y, first, last, x;
};

/// Calls fill(PhaseRow) for every row of the phases that taps read, of
/// planes [begin, end): the loops of the phase splits of both direct
/// convolutions, which differ only in how they fill a row. Always inlined
/// (the lambda too), so that it is compiled into each target_clones body of
/// its callers.
template <typename Fill>
__attribute__((always_inline)) inline void forEachPhaseRow(const PhasePlanes &g, int64_t begin, int64_t end,
                            Fill fill) {
  for (int64_t py = 0; py < g.sh; ++py)
    for (int64_t px = 0; px < g.sw; ++px) {
      if (!g.reads(py, px))
        continue;
      PhaseRow r{};
      r.py = py, r.px = px;
      g.inputColumns(px, r.first, r.last);
      r.x = r.first * g.sw + px - g.pl;
      for (r.p = begin; r.p < end; ++r.p)
        for (r.row = 0; r.row < g.rows; ++r.row) {
          r.offset = g.phase(r.p, py, px) + r.row * g.cols;
          int64_t y = r.row * g.sh + py - g.pt;
          r.y = y < 0 || y >= g.h || r.first == r.last ? -1 : y;
          fill(r);
        }
    }
}

/// Whether tiles `width` outputs wide put outputs in at least half of the
/// lanes of a row `ow` wide.
inline bool enoughLanes(int64_t ow, int64_t width) {
  int64_t tiles = (ow + width - 1) / width;
  return 2 * ow >= tiles * width;
}

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_PHASEPLANES_H
