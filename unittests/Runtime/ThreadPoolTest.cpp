//===- ThreadPoolTest.cpp - the runtime's worker pool ---------------------===//
//
// qopt_rt_parallel_for must run every index of [0, n) exactly once, as
// contiguous ranges, whatever the thread count, grain and timing: jobs
// back to back (workers still spinning from the previous one pick up the
// next without the mutex), jobs after a pause long enough for the workers
// to fall asleep, thread counts changed between jobs, and calls from
// inside a task (run serially on that thread).
//
//===----------------------------------------------------------------------===//

#include "qopt/Runtime/Runtime.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace {

struct Coverage {
  std::vector<std::atomic<int>> hits;
  std::atomic<int> badRanges{0};
  int64_t n;
  explicit Coverage(int64_t n) : hits(n), n(n) {}
};

void countRange(void *ctx, int64_t begin, int64_t end) {
  auto &c = *static_cast<Coverage *>(ctx);
  if (begin < 0 || end > c.n || begin >= end)
    c.badRanges.fetch_add(1);
  for (int64_t i = std::max<int64_t>(begin, 0); i < std::min(end, c.n); ++i)
    c.hits[i].fetch_add(1, std::memory_order_relaxed);
}

/// Runs one job and checks that each index ran once.
void expectEachOnce(int64_t n, int64_t grain) {
  Coverage c(n);
  qopt_rt_parallel_for(n, grain, countRange, &c);
  EXPECT_EQ(c.badRanges.load(), 0) << "n " << n << " grain " << grain;
  for (int64_t i = 0; i < n; ++i)
    ASSERT_EQ(c.hits[i].load(), 1) << "index " << i << " of " << n
                                   << ", grain " << grain;
}

TEST(ThreadPool, EveryIndexOnceBackToBack) {
  for (int threads : {1, 2, 3, 8}) {
    qopt_rt_set_num_threads(threads);
    for (int job = 0; job < 500; ++job)
      for (int64_t n : {1, 2, 7, 100, 4099})
        expectEachOnce(n, job % 3 == 0 ? 1 : job % 3 == 1 ? 5 : 1000);
  }
}

TEST(ThreadPool, JobsAfterWorkersSleep) {
  qopt_rt_set_num_threads(4);
  for (int job = 0; job < 4; ++job) {
    expectEachOnce(1000, 1);
    // Longer than the workers' spin before they sleep on the condition
    // variable (some milliseconds).
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
  }
}

TEST(ThreadPool, ThreadCountChangesBetweenJobs) {
  for (int round = 0; round < 20; ++round) {
    qopt_rt_set_num_threads(1 + round % 5);
    EXPECT_EQ(qopt_rt_get_num_threads(), 1 + round % 5);
    expectEachOnce(257, 1);
  }
}

struct Nested {
  Coverage inner{64};
  std::atomic<int> outerHits{0};
};

void outerTask(void *ctx, int64_t begin, int64_t end) {
  auto &n = *static_cast<Nested *>(ctx);
  for (int64_t i = begin; i < end; ++i) {
    n.outerHits.fetch_add(1);
    // Runs serially on this thread: each outer index covers the inner
    // range once.
    qopt_rt_parallel_for(64, 1, countRange, &n.inner);
  }
}

TEST(ThreadPool, CallsFromInsideATaskRunSerially) {
  qopt_rt_set_num_threads(4);
  Nested n;
  qopt_rt_parallel_for(16, 1, outerTask, &n);
  EXPECT_EQ(n.outerHits.load(), 16);
  EXPECT_EQ(n.inner.badRanges.load(), 0);
  for (int64_t i = 0; i < 64; ++i)
    EXPECT_EQ(n.inner.hits[i].load(), 16);
}

TEST(ThreadPool, EmptyAndNegativeRangesRunNothing) {
  qopt_rt_set_num_threads(3);
  Coverage c(1);
  qopt_rt_parallel_for(0, 1, countRange, &c);
  qopt_rt_parallel_for(-5, 1, countRange, &c);
  EXPECT_EQ(c.hits[0].load(), 0);
  EXPECT_EQ(c.badRanges.load(), 0);
}

} // namespace
