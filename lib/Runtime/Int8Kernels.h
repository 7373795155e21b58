//===- Int8Kernels.h - the runtime's int8 matrix product -------*- C++ -*-===//
//
// Integer matrix products of 8-bit storage values with zero points, exact in
// int32 (wrapping, as docs/Numerics.md specifies for int_matmul and
// int_conv2d). Operands are packed as 16-bit differences x - zp, two
// consecutive k values side by side, so that one vpmaddwd (or vpdpwssd
// with VNNI) multiplies and pairs them into int32 lanes without the int16
// saturation of vpmaddubsw: |x - zp| <= 32767 for every zero point the
// callers accept, a pair of products is at most 2^31 and vpmaddwd wraps
// that single case, which is the wrapped sum the spec asks for.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_RUNTIME_INT8KERNELS_H
#define QOPT_LIB_RUNTIME_INT8KERNELS_H

#include <atomic>
#include <cstdint>

namespace qopt_rt {

/// c[0:mr, 0:nr] = Apanel · Bpanel over kp k-pairs, overwriting the dense
/// mr×nr tile c (row stride nr). Apanel is [kp][mr] int32 words (two int16
/// each), Bpanel [kp][nr][2] int16.
using IgemmTileFn = void (*)(int64_t kp, const int32_t *a, const int16_t *b,
                             int32_t *c);

/// One row of the Requant epilogue for the common case, in vector code:
/// dst[j] = clamp(round_half_up((wrap32(src[j] + bias))·m, s) + outZp,
/// qmin, qmax) for s in [32, 62] and |outZp| < 2^30, where the rounded
/// value is the high half of the 64-bit product shifted by s - 32 (exact:
/// floor(v / 2^s) = floor(floor(v / 2^32) / 2^(s-32)), and bit s-1 of v is
/// bit s-33 of the high half, or bit 31 of the low half for s = 32), so
/// that everything but the multiply stays in 32-bit lanes. With `lut`
/// (pointing at entry y = 0 of Requant's table), the second stage follows
/// in the same lanes: dst[j] = clamp(lut[y] + add, lo2, hi2), where the
/// caller guarantees lut[y] + add fits int32.
using RequantRowFn = void (*)(const int32_t *src, int64_t cols, uint32_t bias,
                              int64_t m, int64_t s, int64_t outZp,
                              int64_t qmin, int64_t qmax, const int32_t *lut,
                              int32_t add, int64_t lo2, int64_t hi2,
                              int8_t *dst);

/// The same for parameters per column (Requant::perColumn), on `rows` rows
/// of a tile (row stride srcStride) into dst (row stride dstStride,
/// contiguous along the row): bias, m, s and add are read at the columns
/// (bias and add may be null: 0), once per tile; every s in [32, 62].
/// With tS in [1, 32], lut[y] is round_half_up((y - tZp)·tM, tS) and is
/// computed so (no gather).
using RequantColsFn = void (*)(const int32_t *src, int64_t rows,
                               int64_t srcStride, int64_t cols,
                               const int32_t *bias, const int32_t *m,
                               const int32_t *s, int64_t outZp, int64_t qmin,
                               int64_t qmax, const int32_t *lut,
                               const int32_t *add, int64_t lo2, int64_t hi2,
                               int64_t tZp, int64_t tM, int64_t tS,
                               int8_t *dst, int64_t dstStride);

/// RequantRowFn over `rows` rows of a tile at once (row stride srcStride;
/// dst row stride dstStride, contiguous along the row), with the row's
/// bias, m, s and add read from arrays (each may be null: 0, m0, s0, 0);
/// every row's s in [32, 62]. One call per tile instead of per row: the
/// per-call setup was a third of the time of the per-row calls.
using RequantRowsFn = void (*)(const int32_t *src, int64_t rows,
                               int64_t srcStride, int64_t cols,
                               const int32_t *bias, const int64_t *m,
                               int64_t m0, const int64_t *s, int64_t s0,
                               int64_t outZp, int64_t qmin, int64_t qmax,
                               const int32_t *lut, const int32_t *add,
                               int64_t lo2, int64_t hi2, int8_t *dst,
                               int64_t dstStride);

/// All of a row-major A (unit column stride, row stride rsa) packed as
/// Int8Gemm.cpp's packA does: panel q holds rows [q·mr, q·mr + mr) as
/// [kp][mr] int32 words, each two int16 differences x - zp (k = 2p, 2p + 1);
/// rows past m and the odd k's partner are 0.
using PackAFn = void (*)(const int8_t *a, int64_t rsa, int32_t zp, int64_t m,
                         int64_t k, int32_t *out);

struct IgemmKernel {
  IgemmTileFn fn;
  int mr, nr;
  const char *isa;
  /// Null for the generic kernel (Int8Gemm.cpp's portable loop is used).
  RequantRowFn requantRow;
  RequantColsFn requantCols = nullptr;
  RequantRowsFn requantRows = nullptr;
  /// Vector packing of contiguous rows of A (null: the portable loop).
  PackAFn packRows = nullptr;
};

/// The best int8 kernel for this CPU, chosen once. QOPT_ISA restricts the
/// choice as for the f32 kernels: generic, avx2, avxvnni (AVX2 + AVX-VNNI),
/// avx512 (AVX-512BW), avx512vnni.
const IgemmKernel &selectIgemmKernel();

/// The requantization of docs/Numerics.md `rescale` applied to each int32
/// result before it is stored, rows being channels: for row i,
///   acc = wrap32(c + bias[i]) (bias optional),
///   v = (acc - accZp)·m[i], y = round_half_up(v, s[i]) + outZp,
///   out = min(max(y, qmin), qmax) as int8,
/// with m, s per row (arrays of int64) or, when `multiplier` is null, m0 and
/// s0 for every row. The int32 tile is requantized while still in cache, so
/// no int32 tensor is written.
///
/// Optionally a second stage follows on each int8 result y of row i (the
/// integer ops that come after the rescale in the same loop, e.g. the
/// int_add of a linear layer's int8 bias, read back by the compiler as the
/// sum of a function of y and a function of the channel):
///   out = min(max(lut[y + 128] + rowAdd[i], lo2), hi2)
/// with `lut` 256 int32 values and `rowAdd` one int32 per row (or null: 0),
/// lut[y + 128] + rowAdd[i] within int32.
struct Requant {
  const int32_t *bias;
  const int64_t *multiplier, *shift;
  int64_t m0, s0;
  int64_t accZp, outZp, qmin, qmax;
  int8_t *out;
  int64_t rso, cso;
  const int32_t *lut = nullptr;
  const int32_t *rowAdd = nullptr;
  int64_t lo2 = -128, hi2 = 127;
  /// Parameters per column instead of per row (a linear layer's channels
  /// are C's columns): bias, m32, s32 and rowAdd are then indexed by the
  /// column (m32, s32 int32 arrays, or null: m0, s0; multiplier and shift
  /// unused); colShiftsVector: every s is in [32, 62] (the vector code's
  /// precondition, checked once per call).
  bool perColumn = false;
  const int32_t *m32 = nullptr, *s32 = nullptr;
  bool colShiftsVector = false;
  /// lut as a rescale of y (RequantColsFn), tS = 0: none.
  int64_t tZp = 0, tM = 0, tS = 0;

  /// The rescale of every entry point: bias (or null), m0, s0 for every
  /// row, the zero points and clamps, int8 out with its strides; the
  /// per-row arrays, the second stage and the per-column form are set on
  /// the result where an entry point has them.
  static Requant rescale(const int32_t *bias, int64_t m0, int64_t s0,
                         int64_t accZp, int64_t outZp, int64_t qmin,
                         int64_t qmax, int8_t *out, int64_t rso, int64_t cso) {
    return Requant{bias,  nullptr, nullptr, m0,  s0,  accZp,
                   outZp, qmin,    qmax,    out, rso, cso};
  }
};

/// The Requant epilogue (rows being channels, not perColumn) on `rows`
/// int32 rows of `cols` results (row stride srcStride) that are rows i0 ..
/// i0 + rows - 1, columns j0 .. j0 + cols - 1, of the output: the kernel's
/// vector code where its conditions hold, the portable loop otherwise (for
/// kernels that produce their int32 sums elsewhere: Int8Winograd.cpp).
void requantRows(const Requant &q, int64_t i0, int64_t rows,
                 const int32_t *src, int64_t srcStride, int64_t cols,
                 int64_t j0);

/// C[m, n] (+)= Σ_k (A[m, k] - aZp)·(B[k, n] - bZp) on int8 A and B (element
/// strides), int32 C, wrapping. aZp and bZp must lie in [-32640, 32639]
/// (so that every difference fits int16). With `aCache`, A is constant and
/// packed once into a buffer that *aCache then holds (its zero point must
/// not change between calls either); with `bCache`, B is, its column
/// panels packed once. With `requant`, C is not written:
/// each int32 tile is requantized into requant->out instead (rows being
/// channels), while still in cache; `accumulate` is then ignored.
void igemm(int64_t m, int64_t n, int64_t k, const int8_t *a, int64_t rsa,
           int64_t csa, int32_t aZp, const int8_t *b, int64_t rsb, int64_t csb,
           int32_t bZp, int32_t *c, int64_t rsc, int64_t csc, bool accumulate,
           std::atomic<int32_t *> *aCache = nullptr,
           const Requant *requant = nullptr,
           std::atomic<int16_t *> *bCache = nullptr);

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_INT8KERNELS_H
