//===- ScratchBuffer.h - per-thread buffers that only grow ------*- C++ -*-===//
//
// The kernels' temporaries (padded planes, packed panels, int32 tiles) live
// in buffers that only grow and are kept for later calls: a model runs the
// same kernels call after call, and allocating per call showed in the
// profiles. malloc, not std::vector: regrowing a vector zeroes its new part
// (a memset as costly as the small packings it feeds).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_RUNTIME_SCRATCHBUFFER_H
#define QOPT_LIB_RUNTIME_SCRATCHBUFFER_H

#include <cstdint>
#include <cstdlib>

namespace qopt_rt {

/// `buffer` (of `capacity` elements) grown to at least `size` elements;
/// the contents are not kept.
template <typename T> T *grow(T *&buffer, int64_t &capacity, int64_t size) {
  if (size > capacity) {
    std::free(buffer);
    buffer = static_cast<T *>(std::malloc(size * sizeof(T)));
    capacity = size;
  }
  return buffer;
}

/// A buffer of at least `size` elements of this thread, one per `Site` (a
/// type naming the call site, e.g. a local struct), kept for later calls.
template <typename T, typename Site> T *threadScratch(int64_t size) {
  thread_local T *buffer = nullptr;
  thread_local int64_t capacity = 0;
  return grow(buffer, capacity, size);
}

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_SCRATCHBUFFER_H
