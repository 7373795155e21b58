// Times qopt's f32 convolution kernel on ResNet-18's, MobileNetV2's and
// the fashion CNN's convolution shapes, one image, through the runtime's C ABI: per layer,
// the minimum and median over RUNS calls after 3 warm-up calls (which also
// pack the weights into the cache slot). The path each layer takes is the
// runtime's choice, so the same binary under different QOPT_CONV_*
// settings compares the paths (docs/Runtime.md). The first rows time a
// parallel loop of one task per thread, empty and of 10 µs each: the
// pool's own cost per call. Built against the static runtime library with no other
// dependency, so that it can be carried to another machine:
//
//   clang++-22 -O2 -std=c++17 -static benchmarks/conv_layers.cpp \
//     -Iinclude build/lib/libqopt_runtime.a -lpthread -o conv_layers
//   ./conv_layers [THREADS] [RUNS] [SUBSTRING: only layers whose name has
//                  it, e.g. "r18", "mbv2" or "fashion"] [seq]
//
// With `seq`, each run calls the selected layers one after another, as a
// model does (each layer's weights and data then come from wherever the
// other layers left them, not from the previous call of the same layer),
// and the table gives each layer's minimum and median over the runs.
#include "qopt/Runtime/Runtime.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

namespace {
struct Layer {
  const char *name;
  int64_t c, h, f, k, s, p;
  int64_t groups = 1; // = c: depthwise
  // Nonzero: the fused expansion c->f 1x1 (bias, ReLU6) and 3x3 depthwise
  // (stride s, bias, ReLU6) call, qopt_rt_conv2d_nchw_f32_expand_depthwise.
  bool expandDepthwise = false;
};
const Layer kLayers[] = {
    {"r18 stem 3->64 7x7/2 224", 3, 224, 64, 7, 2, 3},
    {"r18 64->64 3x3/1 56", 64, 56, 64, 3, 1, 1},
    {"r18 64->128 3x3/2 56", 64, 56, 128, 3, 2, 1},
    {"r18 64->128 1x1/2 56", 64, 56, 128, 1, 2, 0},
    {"r18 128->128 3x3/1 28", 128, 28, 128, 3, 1, 1},
    {"r18 128->256 3x3/2 28", 128, 28, 256, 3, 2, 1},
    {"r18 128->256 1x1/2 28", 128, 28, 256, 1, 2, 0},
    {"r18 256->256 3x3/1 14", 256, 14, 256, 3, 1, 1},
    {"r18 256->512 3x3/2 14", 256, 14, 512, 3, 2, 1},
    {"r18 256->512 1x1/2 14", 256, 14, 512, 1, 2, 0},
    {"r18 512->512 3x3/1 7", 512, 7, 512, 3, 1, 1},
    // MobileNetV2: the stem, one layer of each (shape, kind) of its
    // inverted residual blocks.
    {"mbv2 stem 3->32 3x3/2 224", 3, 224, 32, 3, 2, 1},
    {"mbv2 dw 32 3x3/1 112", 32, 112, 32, 3, 1, 1, 32},
    {"mbv2 16->96 1x1 112", 16, 112, 96, 1, 1, 0},
    {"mbv2 dw 96 3x3/2 112", 96, 112, 96, 3, 2, 1, 96},
    {"mbv2 24->144 1x1 56", 24, 56, 144, 1, 1, 0},
    // The expansion + depthwise pairs MobileNetV2's large planes fuse
    // (QOPT_EXPAND_DEPTHWISE decides whether they are fused).
    {"mbv2 fused 16->96 + dw/2 112", 16, 112, 96, 3, 2, 1, 1, true},
    {"mbv2 fused 24->144 + dw/1 56", 24, 56, 144, 3, 1, 1, 1, true},
    {"mbv2 fused 24->144 + dw/2 56", 24, 56, 144, 3, 2, 1, 1, true},
    {"mbv2 fused 32->192 + dw/1 28", 32, 28, 192, 3, 1, 1, 1, true},
    {"mbv2 dw 144 3x3/1 56", 144, 56, 144, 3, 1, 1, 144},
    {"mbv2 144->24 1x1 56", 144, 56, 24, 1, 1, 0},
    {"mbv2 32->192 1x1 28", 32, 28, 192, 1, 1, 0},
    {"mbv2 dw 192 3x3/1 28", 192, 28, 192, 3, 1, 1, 192},
    {"mbv2 192->32 1x1 28", 192, 28, 32, 1, 1, 0},
    {"mbv2 64->384 1x1 14", 64, 14, 384, 1, 1, 0},
    {"mbv2 dw 384 3x3/1 14", 384, 14, 384, 3, 1, 1, 384},
    {"mbv2 384->64 1x1 14", 384, 14, 64, 1, 1, 0},
    {"mbv2 96->576 1x1 14", 96, 14, 576, 1, 1, 0},
    {"mbv2 dw 576 3x3/1 14", 576, 14, 576, 3, 1, 1, 576},
    {"mbv2 576->96 1x1 14", 576, 14, 96, 1, 1, 0},
    {"mbv2 160->960 1x1 7", 160, 7, 960, 1, 1, 0},
    {"mbv2 dw 960 3x3/1 7", 960, 7, 960, 3, 1, 1, 960},
    {"mbv2 960->160 1x1 7", 960, 7, 160, 1, 1, 0},
    {"mbv2 320->1280 1x1 7", 320, 7, 1280, 1, 1, 0},
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

/// One table row: the minimum and median of `times` (µs, warm-up calls
/// left out) and the rate at the minimum.
void printRow(const char *name, double macs, std::vector<double> times) {
  std::sort(times.begin(), times.end());
  std::printf("| %s | %.1f | %.1f | %.1f |\n", name, times[0],
              times[times.size() / 2], macs / times[0] / 1e3);
}

template <typename F> void timeRows(const char *name, double macs, int runs,
                                    F call) {
  std::vector<double> times;
  for (int r = 0; r < runs + 3; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    call();
    auto t1 = std::chrono::steady_clock::now();
    if (r >= 3)
      times.push_back(
          std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  printRow(name, macs, std::move(times));
}

void nothing(void *, int64_t, int64_t) {}

/// A task of 10 µs of one core's time: the call's time above 10 µs is what
/// the pool adds (the workers' late starts and the wait for the last).
void tenMicroseconds(void *, int64_t, int64_t) {
  auto end = std::chrono::steady_clock::now() + std::chrono::microseconds(10);
  while (std::chrono::steady_clock::now() < end) {
  }
}
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
  timeRows("pool: empty loop, one task per thread", 0, runs, [&] {
    qopt_rt_parallel_for(threads, 1, nothing, nullptr);
  });
  timeRows("pool: 10 us per task, one task per thread", 0, runs, [&] {
    qopt_rt_parallel_for(threads, 1, tenMicroseconds, nullptr);
  });
  // Each selected layer's buffers and call.
  struct Bench {
    const Layer *layer;
    std::vector<float> in, w, out, w2, bias;
    std::atomic<float *> cache{nullptr}, cache2{nullptr};
    int64_t oh;
    std::vector<double> times;
    void call() {
      const Layer &l = *layer;
      int64_t cg = l.c / l.groups, fg = l.f / l.groups;
      auto t0 = std::chrono::steady_clock::now();
      if (l.expandDepthwise) {
        const int64_t flags =
            QOPT_RT_EPI_BIAS | QOPT_RT_EPI_MIN | QOPT_RT_EPI_MAX;
        qopt_rt_conv2d_nchw_f32_expand_depthwise(
            int64_t(in.data()), 1, l.c, l.h, l.h, int64_t(w.data()), l.f,
            int64_t(&cache), int64_t(bias.data()), 0.0f, 0.0f, 6.0f, flags,
            int64_t(w2.data()), oh, oh, l.s, l.p, l.p, l.p, l.p,
            int64_t(&cache2), int64_t(bias.data()), 0.0f, 0.0f, 6.0f, flags,
            int64_t(out.data()));
      } else
      qopt_rt_conv2d_nchw_f32(int64_t(in.data()), int64_t(w.data()),
                              int64_t(out.data()), 1, l.groups, cg, l.h, l.h,
                              fg, l.k, l.k, oh, oh, l.s, l.s, 1, 1, l.p, l.p,
                              l.p, l.p, int64_t(&cache), 0);
      auto t1 = std::chrono::steady_clock::now();
      times.push_back(
          std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
  };
  std::vector<Bench> benches(sizeof(kLayers) / sizeof(kLayers[0]));
  std::vector<Bench *> selected;
  for (size_t i = 0; i < benches.size(); ++i) {
    const Layer &l = kLayers[i];
    if (!std::strstr(l.name, only))
      continue;
    Bench &b = benches[i];
    b.layer = &l;
    b.oh = (l.h + 2 * l.p - l.k) / l.s + 1;
    b.in.resize(l.c * l.h * l.h);
    b.w.resize(l.expandDepthwise ? l.f * l.c : l.f * (l.c / l.groups) * l.k * l.k);
    b.w2.resize(l.f * 9);
    b.bias.resize(l.f);
    b.out.resize(l.f * b.oh * b.oh);
    for (float &v : b.in)
      v = dist(rng);
    for (float &v : b.w)
      v = dist(rng);
    for (float &v : b.w2)
      v = dist(rng);
    for (float &v : b.bias)
      v = dist(rng);
    selected.push_back(&b);
  }
  bool sequence = argc > 4 && !std::strcmp(argv[4], "seq");
  if (sequence) {
    for (int r = 0; r < runs + 3; ++r)
      for (Bench *b : selected)
        b->call();
  } else {
    for (Bench *b : selected)
      for (int r = 0; r < runs + 3; ++r)
        b->call();
  }
  for (Bench *b : selected) {
    const Layer &l = *b->layer;
    double macs =
        l.expandDepthwise
            ? double(l.f) * l.c * l.h * l.h + double(l.f) * 9 * b->oh * b->oh
            : double(l.f) * (l.c / l.groups) * l.k * l.k * b->oh * b->oh;
    printRow(l.name, macs, {b->times.begin() + 3, b->times.end()});
    std::free(b->cache.load());
    std::free(b->cache2.load());
  }
}
