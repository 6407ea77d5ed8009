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
// Chains independent chains acc_r <- acc_r * a + b, each FMA waiting only on its own chain's
// last one: with Chains > (FMA latency x FMA pipes) every pipe starts an FMA every cycle.
// One window of kWindow rounds; `acc` stays in registers across windows.
constexpr long kWindow = 1 << 15;
template <int Chains>
void fma_window(batch (&acc)[Chains], const batch& a, const batch& b) {
  for (long it = 0; it < kWindow; ++it)
    for (int r = 0; r < Chains; ++r) acc[r] = xsimd::fma(acc[r], a, b);
}
// The latency probe's single chain. An empty asm that "may change" the register keeps the
// compiler from shortening the chain (it turns a lone broadcast chain into scalar code) and
// from keeping it in memory between rounds.
// Kept out of line so that its register stays a local of its own.
template <>
[[gnu::noinline]] void fma_window<1>(batch (&acc)[1], const batch& a, const batch& b) {
  auto reg = acc[0].data;
  const auto ar = a.data, br = b.data;
  for (long it = 0; it < kWindow; ++it) {
    reg = xsimd::fma(batch(reg), batch(ar), batch(br)).data;
    asm volatile("" : "+v"(reg));
  }
  acc[0] = batch(reg);
}
//! [fma_peak]

// A barrier for the threads of one measurement: every window starts and ends together, so a
// window's time counts only the moments when all threads ran at once.
class SpinBarrier {
 public:
  explicit SpinBarrier(int n) : n_(n) {}
  void wait() {
    const int gen = gen_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == n_) {
      arrived_.store(0, std::memory_order_relaxed);
      gen_.fetch_add(1, std::memory_order_acq_rel);
    } else {
      while (gen_.load(std::memory_order_acquire) == gen) std::this_thread::yield();
    }
  }

 private:
  const int n_;
  std::atomic<int> arrived_{0}, gen_{0};
};

// `threads` threads run windows of Chains FMA chains in lockstep for about `seconds`.
// Returns the best window's FLOP/s (all threads) and, through `per_fma`, the best window's
// seconds per FMA of one chain (its latency, when Chains = 1).
template <int Chains>
double fma_rate(int threads, double seconds, double* per_fma = nullptr) {
  SpinBarrier barrier(threads);
  std::atomic<bool> stop{false};
  double best = 0, best_window = 1e300;
  std::vector<float> sinks(std::size_t(threads), 0.0f);
  auto body = [&](int t) {
    batch acc[Chains];
    for (int r = 0; r < Chains; ++r) acc[r] = batch(1.0f + 0.001f * float(r + t));
    const batch a(0.999999f), b(0.000001f);  // acc stays near 1: no overflow, no denormals
    dl::Stopwatch total;
    for (;;) {
      barrier.wait();
      if (stop.load()) break;
      dl::Stopwatch sw;
      fma_window<Chains>(acc, a, b);
      barrier.wait();
      if (t == 0) {  // thread 0 keeps the books
        const double dt = sw.seconds();
        best_window = std::min(best_window, dt);
        if (total.seconds() > seconds) stop.store(true);
      }
    }
    batch sum = acc[0];
    for (int r = 1; r < Chains; ++r) sum += acc[r];
    sinks[std::size_t(t)] = xsimd::hadd(sum);  // the work has a visible result
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(body, t);
  body(0);
  for (auto& th : pool) th.join();
  volatile float keep = sinks[0];
  (void)keep;
  const double flops = 2.0 * double(kWindow) * Chains * double(batch::size) * threads;
  best = flops / best_window;
  if (per_fma) *per_fma = best_window / double(kWindow);
  return best;
}

}  // namespace

Peak measure_peak(int threads, double seconds) {
  if (threads < 1) throw dl::ValueError("ch24::measure_peak: threads must be >= 1");
  Peak p;
  p.threads = threads;
  p.flops_per_cycle = kFmaPipes * double(batch::size) * 2.0;
  p.gflops = fma_rate<kChains>(threads, seconds) / 1e9;
  p.clock_ghz = p.gflops / threads / p.flops_per_cycle;
  return p;
}

double fma_latency_seconds(double seconds) {
  double per_fma = 0;
  fma_rate<1>(1, seconds, &per_fma);  // one chain: each FMA waits for the last
  return per_fma;
}

//! [triad]
double measure_triad(std::size_t n, int threads, double seconds, bool wall) {
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
    const Timer sw(threads == 1 && !wall);
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
