// Chapter 24: the machine's limits, measured. Peak FLOP/s from independent FMA chains held
// in registers; memory bandwidth from a STREAM-like triad. Text: docs/ch24_performance.md
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include <xsimd/xsimd.hpp>

#include <dlcore/core/error.hpp>
#include <dlcore/core/parallel.hpp>
#include <dlcore/core/timer.hpp>

#include "perf.hpp"

namespace ch24 {
namespace {

using batch = xsimd::batch<float>;

//! [fma_peak]
// kChains independent chains acc_r <- acc_r * a + b, each FMA waiting only on its own chain's
// last one: with kChains > (FMA latency x FMA pipes) every pipe starts an FMA every cycle.
// Returns FLOPs done; `sink` keeps the compiler from dropping the work.
double fma_chains(double seconds, float& sink) {
  batch acc[kChains];
  for (int r = 0; r < kChains; ++r) acc[r] = batch(1.0f + 0.001f * float(r));
  const batch a(0.999999f), b(0.000001f);  // acc stays near 1: no overflow, no denormals
  constexpr long kInner = 1 << 16;
  long iterations = 0;
  dl::Stopwatch sw;
  do {
    for (long it = 0; it < kInner; ++it)
      for (int r = 0; r < kChains; ++r) acc[r] = xsimd::fma(acc[r], a, b);
    iterations += kInner;
  } while (sw.seconds() < seconds);
  batch total = acc[0];
  for (int r = 1; r < kChains; ++r) total += acc[r];
  sink += xsimd::hadd(total);
  return 2.0 * double(iterations) * kChains * double(batch::size);
}
//! [fma_peak]

}  // namespace

Peak measure_peak(int threads, double seconds) {
  if (threads < 1) throw dl::ValueError("ch24::measure_peak: threads must be >= 1");
  Peak p;
  p.threads = threads;
  p.flops_per_cycle = kFmaPipes * double(batch::size) * 2.0;
  for (int trial = 0; trial < 3; ++trial) {
    std::vector<double> flops(std::size_t(threads), 0.0);
    std::vector<float> sinks(std::size_t(threads), 0.0f);
    std::vector<std::thread> pool;
    dl::Stopwatch sw;
    for (int t = 1; t < threads; ++t)
      pool.emplace_back([&, t] { flops[std::size_t(t)] = fma_chains(seconds / 3, sinks[std::size_t(t)]); });
    flops[0] = fma_chains(seconds / 3, sinks[0]);
    for (auto& th : pool) th.join();
    const double elapsed = sw.seconds();
    double total = 0;
    for (double f : flops) total += f;
    p.gflops = std::max(p.gflops, total / elapsed / 1e9);
    volatile float keep = sinks[0];
    (void)keep;
  }
  p.clock_ghz = p.gflops / threads / p.flops_per_cycle;
  return p;
}

double fma_latency_seconds(double seconds) {
  batch acc(1.0f);
  const batch a(0.999999f), b(0.000001f);
  constexpr long kInner = 1 << 16;
  long iterations = 0;
  double best = 1e300;
  for (int trial = 0; trial < 3; ++trial) {
    iterations = 0;
    dl::Stopwatch sw;
    do {
      for (long it = 0; it < kInner; ++it) acc = xsimd::fma(acc, a, b);  // each waits on the last
      iterations += kInner;
    } while (sw.seconds() < seconds / 3);
    best = std::min(best, sw.seconds() / double(iterations));
  }
  volatile float keep = xsimd::hadd(acc);
  (void)keep;
  return best;
}

//! [triad]
double measure_triad(std::size_t n, int threads, double seconds) {
  if (threads < 1 || n == 0) throw dl::ValueError("ch24::measure_triad: need threads >= 1 and n > 0");
  std::vector<float> a(n), b(n), c(n);
  const float s = 3.0f;
  auto pass = [&](auto body) {
    dl::parallel_for(n, [&](std::size_t begin, std::size_t end, std::size_t) { body(begin, end); },
                     std::size_t(threads));
  };
  pass([&](std::size_t lo, std::size_t hi) {  // first touch by the thread that will use it
    for (std::size_t i = lo; i < hi; ++i) a[i] = 0, b[i] = 1, c[i] = 2;
  });
  double best = 1e300, total = 0;
  for (int rep = 0; rep < 3 || total < seconds; ++rep) {
    dl::Stopwatch sw;
    pass([&](std::size_t lo, std::size_t hi) {
      float* __restrict A = a.data();
      const float* __restrict B = b.data();
      const float* __restrict C = c.data();
      for (std::size_t i = lo; i < hi; ++i) A[i] = B[i] + s * C[i];  // 2 loads, 1 store
    });
    const double t = sw.seconds();
    best = std::min(best, t);
    total += t;
  }
  volatile float keep = a[n / 2];
  (void)keep;
  return 12.0 * double(n) / best / 1e9;
}
//! [triad]

}  // namespace ch24
