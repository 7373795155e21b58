//===- ScratchBuffer.h - per-thread buffers that only grow ------*- C++ -*-===//
//
// The kernels' temporaries (padded planes, packed panels, int32 tiles) live
// in buffers that only grow and are kept for later calls: a model runs the
// same kernels call after call, and allocating per call showed in the
// profiles. Not std::vector: regrowing a vector also copies the old
// contents, which no caller keeps.
//
// A new buffer is zeroed (calloc: free for fresh pages). The kernels
// compute some lanes they never store from whatever follows their data in
// these buffers (a row's last vector, a split row's half past its columns,
// the slack after a plane). Recycled heap memory can hold old pointers,
// whose upper halves read as floats are denormals, and on the AVX-512
// machine a multiply-add with a denormal input took some 300 times as long
// as one without (a microcode assist). Zeroed once, the bytes a site never
// writes stay zero and those it does hold its own earlier values. (A test
// that filled the heap with pointer-like values before MobileNetV2's
// layers showed no difference either way there; this is a guard, not a
// measured speed-up.)
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_RUNTIME_SCRATCHBUFFER_H
#define QOPT_LIB_RUNTIME_SCRATCHBUFFER_H

#include <cstdint>
#include <cstdlib>

namespace qopt_rt {

/// `buffer` (of `capacity` elements) grown to at least `size` elements,
/// zeroed when new; the contents are not kept.
template <typename T> T *grow(T *&buffer, int64_t &capacity, int64_t size) {
  if (size > capacity) {
    std::free(buffer);
    buffer = static_cast<T *>(std::calloc(size, sizeof(T)));
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
