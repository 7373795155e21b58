//===- Int8DirectConv.h - small-plane int8 convolutions, no im2col -*-C++-*-===//

#ifndef QOPT_LIB_RUNTIME_INT8DIRECTCONV_H
#define QOPT_LIB_RUNTIME_INT8DIRECTCONV_H

#include "Int8Kernels.h"

#include <atomic>
#include <cstdint>

namespace qopt_rt {

/// Whether an int8 convolution of one group with these sizes runs directly
/// over stride-phase planes (Int8DirectConv.cpp): an AVX2 or AVX-512BW int8
/// kernel, inputs of at most 16384 values (C·H·W: every block of output
/// channels reads all of it), output rows at most 32 wide with at least
/// half of each row's vector lanes in use, not 1×1 stride 1 (no patches to
/// gather), and zero points whose differences fit int16.
/// QOPT_CONV_DIRECT_INT8=0 turns it off.
bool int8DirectConvApplies(int64_t c, int64_t h, int64_t wd, int64_t kh,
                           int64_t kw, int64_t oh, int64_t ow, int64_t sh,
                           int64_t sw, int32_t inZp, int32_t wZp);

/// int_conv2d of one image and group, in[C, H, W] with padding pt, pl, pb,
/// pr holding inZp, w[F, C, KH, KW]: bit for bit the int32 sums of the
/// direct form (exact integer arithmetic, wrapping). Without `requant`,
/// out[F, OH, OW] (+)= them; with it, they go through the Requant epilogue
/// into requant->out instead (rows being channels, row stride OH·OW). With
/// `cache`, the packed weights are built on the first call and kept in the
/// slot.
void conv2dDirectS8(const int8_t *in, const int8_t *w, int64_t c, int64_t h,
                    int64_t wd, int64_t f, int64_t kh, int64_t kw, int64_t oh,
                    int64_t ow, int64_t sh, int64_t sw, int64_t dh, int64_t dw,
                    int64_t pt, int64_t pl, int64_t pb, int64_t pr,
                    int32_t inZp, int32_t wZp, std::atomic<int32_t *> *cache,
                    int32_t *out, bool accumulate, const Requant *requant);

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_INT8DIRECTCONV_H
