//===- VectorMoves.h - Short vector copies that stay inline -----*- C++ -*-===//
//
// The convolution kernels move short runs of floats (padding rows, 7- to
// 112-float plane rows, transform tiles). Written as plain loops, clang
// turns them into memcpy/memset calls whose call cost dominates such short
// runs; these helpers keep them as 8-float vector moves. They are
// templates so that they are only instantiated inlined into each
// target_clones body (a plain function taking or returning V8 would need
// the AVX calling convention in the baseline clone).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_RUNTIME_VECTORMOVES_H
#define QOPT_LIB_RUNTIME_VECTORMOVES_H

#include <cstdint>
#include <cstring>

namespace qopt_rt::vec {

typedef float V8 __attribute__((vector_size(32)));

/// Eight floats from p (unaligned).
template <typename T = float>
__attribute__((always_inline)) inline V8 load8(const T *p) {
  V8 v;
  std::memcpy(&v, p, sizeof(V8));
  return v;
}

/// Stores eight lanes; the address goes through an empty asm so that loops
/// of these stay vector moves.
template <typename T = float>
__attribute__((always_inline)) inline void store8(T *dst, V8 v) {
  __asm__("" : "+r"(dst));
  std::memcpy(dst, &v, sizeof(V8));
}

/// dst[0, n) = src[0, n) with inline vector moves.
template <typename T = float>
__attribute__((always_inline)) inline void copyFloats(T *dst, const T *src,
                                                      int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    store8(dst + i, load8(src + i));
  for (; i < n; ++i) {
    __asm__("" : "+r"(dst));
    dst[i] = src[i];
  }
}

/// dst[0, n) = 0 with inline vector moves.
template <typename T = float>
__attribute__((always_inline)) inline void zeroFloats(T *dst, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    store8(dst + i, V8{});
  for (; i < n; ++i) {
    __asm__("" : "+r"(dst));
    dst[i] = 0.0f;
  }
}

} // namespace qopt_rt::vec

#endif // QOPT_LIB_RUNTIME_VECTORMOVES_H
