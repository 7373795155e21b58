//===- ChannelConv.h - small-plane convolutions, channels in lanes -*- C++ -*-===//

#ifndef QOPT_LIB_RUNTIME_CHANNELCONV_H
#define QOPT_LIB_RUNTIME_CHANNELCONV_H

#include "Microkernels.h"

#include <atomic>
#include <cstdint>

namespace qopt_rt {

/// out[F, OH, OW] (+)= conv(in[C, H, W], w[F, C, KH, KW]) for one image and
/// group, with output channels in the vector lanes (ChannelConv.cpp), if
/// this path takes the shape: an AVX2 or AVX-512 kernel, column stride 1
/// or 2, at least 16 products (C·KH·KW) per output, an input of at most 16384
/// floats, not 1×1 stride 1, and at least 3/4 of the computed outputs
/// (tiles of whole rows and vectors) in use. Returns false (and does
/// nothing) otherwise. QOPT_CONV_CHANNEL=0 turns it off.
///
/// Each output is one chain of fused multiply-adds over (c, ky, kx) in
/// order, as conv2dDirect's: the two paths give the same bits. With
/// `cache`, the weights are packed on the first call and kept in the slot.
bool conv2dChannels(const float *in, const float *w, float *out, int64_t c,
                    int64_t h, int64_t wd, int64_t f, int64_t kh, int64_t kw,
                    int64_t oh, int64_t ow, int64_t sh, int64_t sw, int64_t dh,
                    int64_t dw, int64_t pt, int64_t pl, int64_t pb, int64_t pr,
                    std::atomic<float *> *cache, bool accumulate,
                    const Epilogue *epilogue);

/// Whether conv2dChannels takes these sizes (for the uses-direct query).
bool usesChannelConv(int64_t c, int64_t h, int64_t wd, int64_t f, int64_t kh,
                     int64_t kw, int64_t oh, int64_t ow, int64_t sh,
                     int64_t sw);

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_CHANNELCONV_H
