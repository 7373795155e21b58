//===- Pointwise.h - 1×1 stride-1 f32 convolutions --------------*- C++ -*-===//

#ifndef QOPT_LIB_RUNTIME_POINTWISE_H
#define QOPT_LIB_RUNTIME_POINTWISE_H

#include "Microkernels.h"

namespace qopt_rt {

/// y[F, HW] (+)= w[F, C] · x[C, HW] for one image and group of a 1×1
/// stride-1 unpadded NCHW convolution, then `epilogue` (or none): blocks
/// of x copied into panels with plain vector moves, and the epilogue
/// applied to each MR×NR tile in registers (6×16 on AVX2, 8×32 on
/// AVX-512: Pointwise.cpp). The sums are
/// those of qopt_rt::sgemm bit for bit (same K slabs, same order).
/// `aCache` as sgemm's (same packed layout). Returns false, computing
/// nothing, where this ISA has no such kernel (the caller then uses sgemm).
bool pointwiseConv(int64_t f, int64_t hw, int64_t c, const float *w,
                   const float *x, float *y, bool accumulate,
                   std::atomic<float *> *aCache, const Epilogue *epilogue);

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_POINTWISE_H
