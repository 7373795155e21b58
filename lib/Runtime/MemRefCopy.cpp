//===- MemRefCopy.cpp - memref.copy between strided buffers ---------------===//
//
// memref.copy between non-contiguous buffers lowers to a call of
// `memrefCopy(elementSize, src, dst)` with unranked memref descriptors (the
// name and ABI are MLIR's, see mlir/ExecutionEngine/CRunnerUtils.h). The
// runtime provides it so that compiled models need nothing of LLVM's.
//
//===----------------------------------------------------------------------===//

#include "Profile.h"
#include "qopt/Runtime/Runtime.h"

#include <algorithm>
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

struct CopyJob {
  int64_t elementSize, rank;
  const int64_t *sizes, *srcStrides, *dstStrides;
  const char *from;
  char *to;
};

/// Rows [begin, end) of a copy: a row is the innermost dimension at one
/// index of the outer ones, copied as a run when both sides are contiguous
/// along it.
void copyRows(void *ctx, int64_t begin, int64_t end) {
  const CopyJob &j = *static_cast<const CopyJob *>(ctx);
  const int64_t inner = j.rank - 1;
  // The outer index of row `begin`, then an odometer. (A chunk is some
  // 64 KB of copying: one small allocation does not show.)
  std::vector<int64_t> idx(inner, 0);
  for (int64_t i = inner - 1, r = begin; i >= 0; --i) {
    idx[i] = r % j.sizes[i];
    r /= j.sizes[i];
  }
  const bool contiguous = j.srcStrides[inner] == 1 && j.dstStrides[inner] == 1;
  const int64_t e = j.elementSize;
  for (int64_t row = begin; row < end; ++row) {
    int64_t srcOff = 0, dstOff = 0;
    for (int64_t i = 0; i < inner; ++i) {
      srcOff += idx[i] * j.srcStrides[i];
      dstOff += idx[i] * j.dstStrides[i];
    }
    if (contiguous) {
      std::memcpy(j.to + dstOff * e, j.from + srcOff * e, j.sizes[inner] * e);
    } else {
      for (int64_t k = 0; k < j.sizes[inner]; ++k)
        std::memcpy(j.to + (dstOff + k * j.dstStrides[inner]) * e,
                    j.from + (srcOff + k * j.srcStrides[inner]) * e, e);
    }
    for (int64_t dim = inner - 1; dim >= 0 && ++idx[dim] == j.sizes[dim]; --dim)
      idx[dim] = 0;
  }
}

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
  CopyJob job{elementSize, rank, sizes, srcStrides, dstStrides, from, to};
  int64_t rows = 1;
  for (int64_t i = 0; i + 1 < rank; ++i)
    rows *= sizes[i];
  // Big copies (ResNet-18's max-pool input into its padded buffer: 3.2 MB,
  // 0.4 ms on one core) go over the pool, some 64 KB per chunk.
  int64_t rowBytes = sizes[rank - 1] * elementSize;
  int64_t grain = std::max<int64_t>(1, (int64_t(1) << 16) / rowBytes);
  if (rows * rowBytes >= (int64_t(1) << 18) && rows > grain)
    qopt_rt_parallel_for(rows, grain, copyRows, &job);
  else
    copyRows(&job, 0, rows);
}
