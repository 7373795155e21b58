// Times qopt's f32 convolution kernel on ResNet-18's convolution shapes,
// one image, through the runtime's C ABI: per layer, the minimum and median
// over RUNS calls after 3 warm-up calls (which also pack the weights into
// the cache slot). The path each layer takes is the runtime's choice, so
// the same binary under different QOPT_CONV_* settings compares the paths
// (docs/Runtime.md). Built against the static runtime library with no
// other dependency, so that it can be carried to another machine:
//
//   clang++-22 -O2 -std=c++17 -static benchmarks/conv_layers.cpp \
//     -Iinclude build/lib/libqopt_runtime.a -lpthread -o conv_layers
//   ./conv_layers [THREADS] [RUNS] [SUBSTRING: only layers whose name has it]
#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace {
struct Layer {
  const char *name;
  int64_t c, h, f, k, s, p;
};
const Layer kLayers[] = {
    {"stem 3->64 7x7/2 224", 3, 224, 64, 7, 2, 3},
    {"64->64 3x3/1 56", 64, 56, 64, 3, 1, 1},
    {"64->128 3x3/2 56", 64, 56, 128, 3, 2, 1},
    {"64->128 1x1/2 56", 64, 56, 128, 1, 2, 0},
    {"128->128 3x3/1 28", 128, 28, 128, 3, 1, 1},
    {"128->256 3x3/2 28", 128, 28, 256, 3, 2, 1},
    {"128->256 1x1/2 28", 128, 28, 256, 1, 2, 0},
    {"256->256 3x3/1 14", 256, 14, 256, 3, 1, 1},
    {"256->512 3x3/2 14", 256, 14, 512, 3, 2, 1},
    {"256->512 1x1/2 14", 256, 14, 512, 1, 2, 0},
    {"512->512 3x3/1 7", 512, 7, 512, 3, 1, 1},
    // fashion_cnn (examples/models): the small planes of ChannelConv.cpp.
    {"fashion 1->16 3x3/1 28", 1, 28, 16, 3, 1, 1},
    {"fashion 16->16 3x3/1 14", 16, 14, 16, 3, 1, 1},
    {"fashion 16->32 3x3/2 14", 16, 14, 32, 3, 2, 1},
    {"fashion 16->32 1x1/2 14", 16, 14, 32, 1, 2, 0},
    {"fashion 32->32 3x3/1 7", 32, 7, 32, 3, 1, 1},
    {"fashion 32->64 3x3/2 7", 32, 7, 64, 3, 2, 1},
    {"fashion 32->64 1x1/2 7", 32, 7, 64, 1, 2, 0},
    {"fashion 64->64 3x3/1 4", 64, 4, 64, 3, 1, 1},
};
} // namespace

int main(int argc, char **argv) {
  int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  int runs = argc > 2 ? std::atoi(argv[2]) : 30;
  qopt_rt_set_num_threads(threads);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::printf("isa %s, %d threads, %d runs\n", qopt_rt_isa(), threads, runs);
  std::printf("| layer | min us | median us | GMAC/s at min |\n|---|---:|---:|---:|\n");
  const char *only = argc > 3 ? argv[3] : "";
  for (const Layer &l : kLayers) {
    if (!std::strstr(l.name, only))
      continue;
    int64_t oh = (l.h + 2 * l.p - l.k) / l.s + 1;
    std::vector<float> in(l.c * l.h * l.h), w(l.f * l.c * l.k * l.k),
        out(l.f * oh * oh);
    for (float &v : in)
      v = dist(rng);
    for (float &v : w)
      v = dist(rng);
    std::atomic<float *> cache{nullptr};
    std::vector<double> times;
    for (int r = 0; r < runs + 3; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      qopt_rt_conv2d_nchw_f32(int64_t(in.data()), int64_t(w.data()),
                              int64_t(out.data()), 1, 1, l.c, l.h, l.h, l.f,
                              l.k, l.k, oh, oh, l.s, l.s, 1, 1, l.p, l.p, l.p,
                              l.p, int64_t(&cache), 0);
      auto t1 = std::chrono::steady_clock::now();
      if (r >= 3)
        times.push_back(std::chrono::duration<double, std::micro>(t1 - t0)
                            .count());
    }
    std::sort(times.begin(), times.end());
    double macs = double(l.f) * l.c * l.k * l.k * oh * oh;
    std::printf("| %s | %.1f | %.1f | %.1f |\n", l.name, times[0],
                times[times.size() / 2], macs / times[0] / 1e3);
    std::free(cache.load());
  }
}
