//===- Profile.h - per-kernel timing of a model's runtime calls -*- C++ -*-===//
//
// QOPT_PROFILE=FILE (or `-` for standard error) makes the runtime time every
// call a compiled model makes into it (convolutions, matrix products,
// parallel loops, memref copies) and append, when the library is unloaded
// or the process exits, one table per library: each call site's shape,
// calls, total and minimum time and, for the contractions, the rate in
// multiply-adds per second. It exists for machines with no profiler (the
// AVX-512 host this project measures on has no perf) and for users asking
// where a model's time goes. Off, each entry point pays one load of a
// static flag.
//
// Only the outermost call is timed: a kernel's own helpers and the calls
// made from the pool's tasks are inside its time.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_RUNTIME_PROFILE_H
#define QOPT_LIB_RUNTIME_PROFILE_H

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace qopt_rt {

/// Whether QOPT_PROFILE is set (read once).
bool profiling();

/// Whether this thread runs a chunk of a parallel_for (ThreadPool.cpp):
/// the calls it makes are inside that job's time.
bool insideParallelTask();

/// Adds one call of `kernel` with shape `shape` (the key with `code`, a
/// loop body's address for parallel loops, else null) that took `ns`.
void recordProfile(const char *kernel, const char *shape, const void *code,
                   int64_t macs, int64_t ns);

/// Times the enclosing entry point. `describe(char *buffer, size_t size)`
/// writes the call's shape; it runs only while profiling.
class ProfileScope {
public:
  template <typename Describe>
  ProfileScope(const char *kernel, int64_t macs, Describe describe,
               const void *code = nullptr)
      : kernel(kernel), code(code), macs(macs) {
    if (!profiling() || depth++ != 0 || insideParallelTask())
      return;
    describe(shape, sizeof(shape));
    start = std::chrono::steady_clock::now();
    active = true;
  }
  ~ProfileScope() {
    if (!profiling())
      return;
    --depth;
    if (!active)
      return;
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    recordProfile(kernel, shape, code, macs, ns);
  }
  ProfileScope(const ProfileScope &) = delete;
  ProfileScope &operator=(const ProfileScope &) = delete;

private:
  static thread_local int depth;
  const char *kernel;
  const void *code;
  int64_t macs;
  bool active = false;
  char shape[96];
  std::chrono::steady_clock::time_point start;
};

/// The profile scope of a 2-D convolution entry point (whose `c` and `f`
/// count the channels of one group).
#define QOPT_PROFILE_CONV(kernel)                                              \
  ::qopt_rt::ProfileScope qoptProfile(                                         \
      kernel, n * groups * f * oh * ow * c * kh * kw,                          \
      [&](char *buffer, size_t size) {                                         \
        std::snprintf(                                                         \
            buffer, size, "%lldx%lldx%lldx%lld -> %lldx%lldx%lld, %lldx%lld/%lld%s", \
            (long long)n, (long long)(c * groups), (long long)h,               \
            (long long)wd, (long long)(f * groups), (long long)oh,             \
            (long long)ow, (long long)kh, (long long)kw, (long long)sh,        \
            groups == 1 ? "" : c == 1 ? " depthwise" : " grouped");            \
      })

/// The profile scope of a matrix product entry point: `batch` products of
/// m x k and k x n.
#define QOPT_PROFILE_GEMM(kernel, batch)                                       \
  ::qopt_rt::ProfileScope qoptProfile(                                         \
      kernel, (batch)*m *n *k, [&](char *buffer, size_t size) {                \
        std::snprintf(buffer, size, "%lld x %lldx%lldx%lld",                   \
                      (long long)(batch), (long long)m, (long long)n,          \
                      (long long)k);                                           \
      })

} // namespace qopt_rt

#endif // QOPT_LIB_RUNTIME_PROFILE_H
