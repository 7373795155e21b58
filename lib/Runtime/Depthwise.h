//===- Depthwise.h - 3×3 depthwise f32 convolution planes -------*- C++ -*-===//

#ifndef QOPT_LIB_RUNTIME_DEPTHWISE_H
#define QOPT_LIB_RUNTIME_DEPTHWISE_H

#include "Microkernels.h"

#include <atomic>

namespace qopt_rt {

/// One channel of a 3×3 depthwise convolution, stride 1 or 2, dilation 1:
/// out[y, x] = Σ_{ky,kx} w[ky·3 + kx] · in[y·s + ky − pt, x·s + kx − pl]
/// (0 in the padding) for the h×w plane `in`, overwriting the oh×ow plane
/// `out`, then `epilogue` (or none) with `channel` its row. The sums are
/// summed in the order of Conv2D.cpp's depthwiseBlock (ky, then kx, one FMA
/// each), so the results are that kernel's bit for bit. Returns false,
/// computing nothing, where this ISA has no such kernel.
bool depthwise3x3(const float *in, int64_t h, int64_t w, int64_t pt, int64_t pl,
                  int64_t pb, int64_t pr, int64_t oh, int64_t ow,
                  int64_t stride, const float *weights, float *out,
                  const Epilogue *epilogue, int64_t channel);

/// depthwise3x3 from an input already padded: `rows` rows of `pitch`
/// floats (each its left padding, the input row, its right padding, any
/// columns after that), output row y reading padded rows y·s to y·s + 2;
/// at least 64 readable floats after the last row. The same bits as
/// depthwise3x3 on the unpadded rows.
bool depthwise3x3Padded(const float *padded, int64_t rows, int64_t pitch,
                        int64_t oh, int64_t ow, int64_t stride,
                        const float *weights, float *out,
                        const Epilogue *epilogue, int64_t channel);

/// depthwise3x3Padded at stride 2 from padded rows already split by column
/// parity: each row 2·half floats, the padded row's even columns from 0
/// and its odd ones from `half` (half ≥ (padded width + 1) / 2 + the
/// ISA's lanes, 8 or 16: the columns past a half's valid part are read,
/// their values unused); at least 64 readable floats after the last row.
bool depthwise3x3Split(const float *split, int64_t half, int64_t oh,
                       int64_t ow, const float *weights,
                       float *out, const Epilogue *epilogue, int64_t channel);

/// The 3×3 depthwise convolution (stride 1 or 2, dilation 1) of all
/// `channels` planes of `n` images, kLanes channels at a time in the vector
/// lanes (DepthwiseBlocked.inc), split over the pool by channel blocks.
/// `weights` is [channels][9]; packed for the lanes once into `slot` where
/// there is one. The same bits as depthwise3x3 plane by plane. Returns
/// false, computing nothing, where this kernel is not the faster one (or
/// QOPT_DEPTHWISE_BLOCKED=0, or this ISA has none).
bool depthwise3x3Blocked(const float *in, int64_t n, int64_t channels,
                         int64_t h, int64_t w, int64_t pt, int64_t pl,
                         int64_t pb, int64_t pr, int64_t oh, int64_t ow,
                         int64_t stride, const float *weights, float *out,
                         const Epilogue *epilogue, std::atomic<float *> *slot);

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_DEPTHWISE_H
