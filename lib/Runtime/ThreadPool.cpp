//===- ThreadPool.cpp - the runtime's process-wide worker pool ------------===//
//
// One pool of persistent workers serves every kernel. A parallel_for splits
// [0, n) into contiguous chunks that workers and the calling thread claim
// with an atomic counter. Workers spin briefly after a job before sleeping:
// a model runs many short kernels back to back, and waking a sleeping
// thread costs more than most of them.
//
// QOPT_CHUNKS_PER_THREAD=K (default 1) splits a job into up to K chunks
// per thread (where it has that many grains): a chunk that runs late (its
// thread preempted, or sharing a core with another busy hyperthread) then
// holds up the job by a fraction of a thread's share, while the others
// take the remaining chunks. The
// kernels compute the same values however [0, n) is split (the results do
// not depend on the thread count), so this changes no result. Waiting
// threads spin on `pause` (which leaves the core's resources to a sibling
// hyperthread), yielding the CPU only now and then, and only as many
// sleeping workers are woken as the job has chunks for.
//
// The counter carries the job's generation and chunk count with the next
// chunk index, so a worker that is still looking for work of a finished job
// cannot claim a chunk of the next one before that job is fully published
// (it did: the caller then reset `remaining` over the straggler's decrement
// and waited forever, seen with 16 threads and many short generated loops).
//
//===----------------------------------------------------------------------===//

#include "Profile.h"
#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace {

/// A spin-wait hint: `pause` on x86 (some 10 to 140 cycles, and the core's
/// issue slots go to its sibling hyperthread meanwhile).
inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

/// Spins `spin` of a wait: pause, and every 64th time after the first few
/// hundred, give the CPU up (a machine with more busy threads than cores
/// needs the waiting thread's core for the worker it waits for).
inline void spinWait(int spin) {
  if (spin > 256 && spin % 64 == 0)
    std::this_thread::yield();
  else
    cpuRelax();
}

/// QOPT_CHUNKS_PER_THREAD (default 1): how many chunks per thread a job
/// is split into at most.
int chunksPerThread() {
  static const int n = [] {
    const char *env = std::getenv("QOPT_CHUNKS_PER_THREAD");
    int v = env ? std::atoi(env) : 0;
    return v > 0 ? std::min(v, 64) : 1;
  }();
  return n;
}

int defaultThreadCount() {
  if (const char *env = std::getenv("QOPT_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n > 0)
      return n;
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

class Pool {
public:
  ~Pool() { stopWorkers(); }

  void setThreads(int n) {
    std::lock_guard<std::mutex> call(callMutex);
    int wanted = n > 0 ? n : std::max(1u, std::thread::hardware_concurrency());
    if (wanted == threads)
      return;
    stopWorkers();
    threads = wanted;
  }

  /// Stops and joins the workers (they restart on the next parallel_for).
  void shutdown() { stopWorkers(); }

  /// Without callMutex: a kernel may ask from inside a task, while the
  /// parallel_for that runs it holds the mutex.
  int getThreads() { return threads.load(std::memory_order_relaxed); }

  void parallelFor(int64_t n, int64_t grain, qopt_rt_task_fn fn, void *ctx) {
    if (n <= 0)
      return;
    grain = std::max<int64_t>(grain, 1);
    // Nested calls (from inside a task) run serially on their thread.
    if (insideTask) {
      fn(ctx, 0, n);
      return;
    }
    std::lock_guard<std::mutex> call(callMutex);
    const int nthreads = threads.load();
    int64_t chunks = std::min<int64_t>(
        std::min<int64_t>(int64_t(nthreads) * chunksPerThread(), kMaxChunks),
        (n + grain - 1) / grain);
    if (chunks <= 1 || nthreads <= 1) {
      fn(ctx, 0, n);
      return;
    }
    startWorkers();
    job = Job{fn, ctx, n, chunks};
    remaining.store(chunks, std::memory_order_relaxed);
    uint32_t gen = uint32_t(generation.load(std::memory_order_relaxed) + 1);
    claim.store(packClaim(gen, chunks, 0), std::memory_order_release);
    {
      std::lock_guard<std::mutex> lock(mutex);
      generation.fetch_add(1, std::memory_order_release);
    }
    // Workers still spinning see the new generation themselves; of the
    // sleeping ones, wake no more than there are chunks besides the
    // caller's (an extra one would only find none and spin).
    int64_t helpers = std::min<int64_t>(chunks - 1, nthreads - 1);
    if (helpers >= nthreads - 1)
      wake.notify_all();
    else
      for (int64_t i = 0; i < helpers; ++i)
        wake.notify_one();
    runChunks(gen);
    // Wait for the workers' chunks; they are short, so spin first.
    for (int spin = 0; remaining.load(std::memory_order_acquire) != 0; ++spin) {
      if (spin > 32768) {
        std::unique_lock<std::mutex> lock(mutex);
        done.wait(lock, [&] {
          return remaining.load(std::memory_order_acquire) == 0;
        });
        break;
      }
      spinWait(spin);
    }
  }

private:
  struct Job {
    qopt_rt_task_fn fn = nullptr;
    void *ctx = nullptr;
    int64_t n = 0, chunks = 0;
  };

  static constexpr int kMaxChunks = 0xffff;

  /// The claim word: generation (32 bits), chunk count, next chunk index.
  static uint64_t packClaim(uint32_t gen, int64_t chunks, int64_t next) {
    return uint64_t(gen) << 32 | uint64_t(chunks) << 16 | uint64_t(next);
  }

  /// Claims the next chunk of job `gen`; -1 when that job has none left or
  /// is no longer the current one.
  int64_t claimChunk(uint32_t gen) {
    uint64_t v = claim.load(std::memory_order_acquire);
    for (;;) {
      if (uint32_t(v >> 32) != gen)
        return -1;
      int64_t next = int64_t(v & 0xffff), chunks = int64_t((v >> 16) & 0xffff);
      if (next >= chunks)
        return -1;
      if (claim.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel,
                                      std::memory_order_acquire))
        return next;
    }
  }

  void runChunks(uint32_t gen) {
    insideTask = true;
    for (;;) {
      int64_t i = claimChunk(gen);
      if (i < 0)
        break;
      // `job` stays this generation's until every claimed chunk is done.
      int64_t begin = job.n * i / job.chunks;
      int64_t end = job.n * (i + 1) / job.chunks;
      job.fn(job.ctx, begin, end);
      if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mutex);
        done.notify_all();
      }
    }
    insideTask = false;
  }

  void workerLoop() {
    uint64_t seen = generation.load(std::memory_order_acquire);
    for (;;) {
      // Spin a little for the next job before sleeping. A worker that
      // sees the job while spinning goes straight to it: taking the mutex
      // (as wake.wait's check does) made the workers queue on it, each one
      // woken by the previous one's unlock: on the 16-core machine a job of
      // one 10 µs task per thread took 19 µs at 8 threads (now 13), one of
      // 50 µs tasks 67 to 74 µs at 15 threads (now 56), and MobileNetV2,
      // 52 kernel calls, went from 3.0-3.5 ms to 2.5-3.2 at 16 threads.
      for (int spin = 0; spin < 100000 && !stopping.load() &&
                         generation.load(std::memory_order_acquire) == seen;
           ++spin)
        spinWait(spin);
      if (!stopping.load() &&
          generation.load(std::memory_order_acquire) == seen) {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] {
          return stopping.load() ||
                 generation.load(std::memory_order_acquire) != seen;
        });
      }
      if (stopping.load())
        return;
      seen = generation.load(std::memory_order_acquire);
      runChunks(uint32_t(seen));
    }
  }

  void startWorkers() {
    if (!workers.empty())
      return;
    stopping = false;
    for (int i = 1, n = threads.load(); i < n; ++i)
      workers.emplace_back([this] { workerLoop(); });
  }

  void stopWorkers() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    for (std::thread &t : workers)
      t.join();
    workers.clear();
  }

  std::mutex callMutex; // one parallel_for at a time
  std::mutex mutex;
  std::condition_variable wake, done;
  std::vector<std::thread> workers;
  std::atomic<bool> stopping{false};
  std::atomic<uint64_t> generation{0};
  std::atomic<uint64_t> claim{0};
  std::atomic<int64_t> remaining{0};
  Job job;
  std::atomic<int> threads{defaultThreadCount()};

public:
  static thread_local bool insideTask;
};

thread_local bool Pool::insideTask = false;

} // namespace

bool qopt_rt::insideParallelTask() { return Pool::insideTask; }

namespace {

std::atomic<Pool *> created{nullptr};

Pool &pool() {
  static Pool *p = [] {
    Pool *q = new Pool(); // never destroyed: workers may outlive main
    created.store(q);
    return q;
  }();
  return *p;
}

/// A model library that is unloaded (dlclose, or exit) unmaps the code its
/// workers spin in after a job: stop them first.
__attribute__((destructor)) void stopWorkersOnUnload() {
  if (Pool *p = created.load())
    p->shutdown();
}

} // namespace

extern "C" void qopt_rt_set_num_threads(int n) { pool().setThreads(n); }
extern "C" int qopt_rt_get_num_threads(void) { return pool().getThreads(); }
extern "C" void qopt_rt_parallel_for(int64_t n, int64_t grain,
                                     qopt_rt_task_fn fn, void *ctx) {
  qopt_rt::ProfileScope profile(
      "parallel loop", 0,
      [&](char *buffer, size_t size) {
        std::snprintf(buffer, size, "%lld iterations",
                      static_cast<long long>(n));
      },
      reinterpret_cast<const void *>(fn));
  pool().parallelFor(n, grain, fn, ctx);
}
