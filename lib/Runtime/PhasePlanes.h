//===- PhasePlanes.h - small-plane convolutions with contiguous patches -*-===//

#ifndef QOPT_LIB_RUNTIME_PHASEPLANES_H
#define QOPT_LIB_RUNTIME_PHASEPLANES_H

#include "Microkernels.h"

#include <atomic>
#include <cstdint>

namespace qopt_rt {

/// Whether a convolution of one group with these sizes takes the
/// phase-plane path (see PhasePlanes.cpp): output planes at most 32 wide,
/// a kernel larger than 1×1 or a stride above 1 (1×1 stride-1 needs no
/// patches at all), and at most 1/8 more NR-column panels than the plain
/// implicit GEMM computes. QOPT_CONV_PHASE_PLANES=0 turns it off.
bool usesPhasePlanes(int64_t c, int64_t h, int64_t wd, int64_t kh, int64_t kw,
                     int64_t oh, int64_t ow, int64_t sh, int64_t sw,
                     int64_t dh, int64_t dw, int64_t pt, int64_t pl,
                     int64_t pb, int64_t pr);

/// out[F, OH, OW] = conv(in[C, H, W], w[F, C, KH, KW]) for one image and
/// group, through the phase planes. Bit-identical to the implicit GEMM of
/// Conv2D.cpp: the same products summed in the same order. `cache` holds
/// the GEMM's packed weights (the same packing as that path's); the
/// epilogue (only with !accumulate) has the output channels as rows.
void conv2dPhasePlanes(const float *in, const float *w, float *out, int64_t c,
                       int64_t h, int64_t wd, int64_t f, int64_t kh,
                       int64_t kw, int64_t oh, int64_t ow, int64_t sh,
                       int64_t sw, int64_t dh, int64_t dw, int64_t pt,
                       int64_t pl, int64_t pb, int64_t pr,
                       std::atomic<float *> *cache,
                       const Epilogue *epilogue);

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_PHASEPLANES_H
