//===- MemRefCopy.cpp - memref.copy between strided buffers ---------------===//
//
// memref.copy between non-contiguous buffers lowers to a call of
// `memrefCopy(elementSize, src, dst)` with unranked memref descriptors (the
// name and ABI are MLIR's, see mlir/ExecutionEngine/CRunnerUtils.h). The
// runtime provides it so that compiled models need nothing of LLVM's.
//
//===----------------------------------------------------------------------===//

#include "Profile.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace {
// MLIR's ranked descriptor: allocated, aligned, offset, sizes[r], strides[r].
struct RankedHeader {
  char *allocated;
  char *aligned;
  int64_t offset;
  int64_t sizesAndStrides[];
};
struct Unranked {
  int64_t rank;
  RankedHeader *descriptor;
};
} // namespace

extern "C" void memrefCopy(int64_t elementSize, Unranked *src, Unranked *dst) {
  int64_t rank = src->rank;
  const RankedHeader *s = src->descriptor;
  const RankedHeader *d = dst->descriptor;
  const int64_t *sizes = s->sizesAndStrides;
  qopt_rt::ProfileScope profile(
      "memref copy", 0, [&](char *buffer, size_t size) {
        int used = std::snprintf(buffer, size, "%lld bytes x",
                                 static_cast<long long>(elementSize));
        for (int64_t i = 0; i < rank && used > 0 && size_t(used) < size; ++i)
          used += std::snprintf(buffer + used, size - used, " %lld",
                                static_cast<long long>(sizes[i]));
      });
  const int64_t *srcStrides = s->sizesAndStrides + rank;
  const int64_t *dstStrides = d->sizesAndStrides + rank;
  const char *from = s->aligned + s->offset * elementSize;
  char *to = d->aligned + d->offset * elementSize;
  if (rank == 0) {
    std::memcpy(to, from, elementSize);
    return;
  }
  for (int64_t i = 0; i < rank; ++i)
    if (sizes[i] == 0)
      return;
  // Odometer over all indices; the innermost dimension is copied as a run
  // when both sides are contiguous along it.
  std::vector<int64_t> index(rank, 0);
  int64_t inner = rank - 1;
  bool innerContiguous = srcStrides[inner] == 1 && dstStrides[inner] == 1;
  for (;;) {
    int64_t srcOff = 0, dstOff = 0;
    for (int64_t i = 0; i < inner; ++i) {
      srcOff += index[i] * srcStrides[i];
      dstOff += index[i] * dstStrides[i];
    }
    if (innerContiguous) {
      std::memcpy(to + dstOff * elementSize, from + srcOff * elementSize,
                  sizes[inner] * elementSize);
    } else {
      for (int64_t j = 0; j < sizes[inner]; ++j)
        std::memcpy(to + (dstOff + j * dstStrides[inner]) * elementSize,
                    from + (srcOff + j * srcStrides[inner]) * elementSize,
                    elementSize);
    }
    int64_t dim = inner - 1;
    while (dim >= 0 && ++index[dim] == sizes[dim])
      index[dim--] = 0;
    if (dim < 0)
      return;
  }
}
