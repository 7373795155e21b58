//===- DirectConv.h - small-plane convolutions without im2col ---*- C++ -*-===//

#ifndef QOPT_LIB_RUNTIME_DIRECTCONV_H
#define QOPT_LIB_RUNTIME_DIRECTCONV_H

#include "Microkernels.h"

#include <atomic>
#include <cstdint>

namespace qopt_rt {

/// The largest input (C·H·W floats) of the small-plane convolutions
/// (DirectConv.cpp, ChannelConv.cpp): every block of output channels reads
/// all of it again, so it must stay in cache (64 KB).
constexpr int64_t kSmallPlaneMaxInput = 16384;

/// Whether Conv2D.cpp sends a convolution of one group with these sizes
/// to the depthwise or Winograd kernels before it looks at the small-plane
/// ones (for the tests' path queries).
bool takesDepthwiseOrWinograd(int64_t groups, int64_t c, int64_t f,
                              int64_t kh, int64_t kw, int64_t oh, int64_t ow,
                              int64_t sh, int64_t sw, int64_t dh, int64_t dw);

/// The small-plane kernels' instruction set: 0 when the variable named
/// `offVariable` is "0" or no AVX kernel was chosen, 1 AVX2, 2 AVX-512, 3
/// AVX-512 emulated in AVX2 code (QOPT_ISA=avx512emu): the f32 GEMM
/// kernel's choice (selectSgemmKernel), so that QOPT_ISA restricts them
/// too.
int smallPlaneIsa(const char *offVariable);

/// w[F][depth] (one row of weights per output channel) as [F / block]
/// [depth][block], the last block zero-padded: the weights of `block`
/// output channels side by side for each (c, ky, kx), as the small-plane
/// kernels multiply them (DirectConv's broadcast rows, ChannelConv's
/// vector lanes). Allocated with malloc.
float *packFilterBlocks(const float *w, int64_t f, int64_t depth,
                        int64_t block);

/// Whether a convolution of one group with these sizes runs as a direct
/// convolution over stride-phase planes (DirectConv.cpp): an AVX2 or
/// AVX-512 kernel, inputs of at most 16384 floats (C·H·W: the kernel
/// reads all of it once per block of output channels), output planes at
/// most 32 wide, not 1×1 stride 1 (which
/// needs no patches at all), strides of at most 64 phases, and at least half of the vector lanes of each
/// output row's tiles in use. QOPT_CONV_DIRECT=0 turns it off.
bool usesDirectConv(int64_t c, int64_t h, int64_t wd, int64_t f, int64_t kh,
                    int64_t kw, int64_t oh, int64_t ow, int64_t sh, int64_t sw);

/// out[F, OH, OW] (+)= conv(in[C, H, W], w[F, C, KH, KW]) for one image and
/// group. Each output is one chain of fused multiply-adds over (c, ky, kx)
/// in order, so the result does not depend on the thread count (it differs
/// from the implicit GEMM's, which splits K into 256-deep slabs, by
/// rounding). With `cache`, the weights are packed on the first call and
/// kept in the slot (which then holds this path's packing). The epilogue
/// (only with !accumulate) has the output channels as rows.
void conv2dDirect(const float *in, const float *w, float *out, int64_t c,
                  int64_t h, int64_t wd, int64_t f, int64_t kh, int64_t kw,
                  int64_t oh, int64_t ow, int64_t sh, int64_t sw, int64_t dh,
                  int64_t dw, int64_t pt, int64_t pl, int64_t pb, int64_t pr,
                  std::atomic<float *> *cache, bool accumulate,
                  const Epilogue *epilogue);

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_DIRECTCONV_H
