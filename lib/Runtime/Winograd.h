//===- Winograd.h - 3×3 stride-1 convolutions as Winograd -------*- C++ -*-===//

#ifndef QOPT_LIB_RUNTIME_WINOGRAD_H
#define QOPT_LIB_RUNTIME_WINOGRAD_H

#include "Microkernels.h"

#include <atomic>
#include <cstdint>

namespace qopt_rt {

/// The tile size m of the Winograd F(m×m, 3×3) that computes a
/// convolution of one group with these sizes, 0 for none: 3×3 kernels,
/// stride and dilation 1, at least 16 input and output channels, and
/// enough work for the transforms to pay; m = 4 where that leaves at least
/// 16 tiles, else 2. QOPT_CONV_WINOGRAD=0 turns it off (for comparisons),
/// =all (m = 2) and =all4 (m = 4) take every such shape however small (for
/// tests).
int winogradTile(int64_t c, int64_t f, int64_t kh, int64_t kw, int64_t sh,
                 int64_t sw, int64_t dh, int64_t dw, int64_t oh, int64_t ow);

/// out[F, OH, OW] (+)= conv(in[C, H, W], w[F, C, 3, 3]) for one image and
/// group, zero padding pt (top) and pl (left); the bottom and right padding
/// follow from OH = H + pt + pb − 2 and OW likewise. With `cache`, the
/// transformed and packed weights are built on the first call and kept in
/// the slot (which then holds Winograd's packing, not the GEMM's). The
/// epilogue (only with !accumulate) is applied to each finished channel
/// plane, rows of the epilogue being output channels.
void conv2dWinograd(const float *in, const float *w, float *out, int64_t c,
                    int64_t h, int64_t wd, int64_t f, int64_t oh, int64_t ow,
                    int64_t pt, int64_t pl, std::atomic<float *> *cache,
                    bool accumulate, const Epilogue *epilogue);

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_WINOGRAD_H
