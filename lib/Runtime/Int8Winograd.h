//===- Int8Winograd.h - exact int8 3×3 convolutions as Winograd -*- C++ -*-===//

#ifndef QOPT_LIB_RUNTIME_INT8WINOGRAD_H
#define QOPT_LIB_RUNTIME_INT8WINOGRAD_H

#include "Int8Kernels.h"

#include <atomic>
#include <cstdint>

namespace qopt_rt {

/// Whether the int8 Winograd F(2×2, 3×3) computes a convolution of one
/// group with these sizes and zero points: 3×3 kernel, stride and dilation
/// 1, every transformed value within int16 and the exact result times 4
/// within int32 (|y| < 2^29, from the zero points' largest differences and
/// C), and, unless QOPT_CONV_WINOGRAD_INT8=all, enough multiply-adds for
/// the transforms to pay. QOPT_CONV_WINOGRAD_INT8=0 turns it off.
bool int8WinogradApplies(int64_t c, int64_t f, int64_t kh, int64_t kw,
                         int64_t sh, int64_t sw, int64_t dh, int64_t dw,
                         int64_t oh, int64_t ow, int32_t inZp, int32_t wZp);

/// int_conv2d of one image and group, in[C, H, W] with padding pt (top)
/// and pl (left) holding inZp (bottom and right follow from OH = H + pt +
/// pb − 2 and OW likewise), w[F, C, 3, 3]: bit for bit the int32 sums of
/// the direct form. Without `requant`, out[F, OH, OW] (+)= them (wrapping);
/// with it, they go through the Requant epilogue into requant->out instead
/// (rows being channels, row stride OH·OW). With `cache`, the transformed,
/// packed weights are built on the first call and kept in the slot.
void conv2dWinogradS8(const int8_t *in, const int8_t *w, int64_t c, int64_t h,
                      int64_t wd, int64_t f, int64_t oh, int64_t ow,
                      int64_t pt, int64_t pl, int32_t inZp, int32_t wZp,
                      std::atomic<int32_t *> *cache, int32_t *out,
                      bool accumulate, const Requant *requant);

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_INT8WINOGRAD_H
