#include "dlcore/core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

#include "dlcore/core/error.hpp"
#include "dlcore/core/gemm.hpp"

namespace dl {

namespace {

// Run `body(worker)` on `workers` threads (worker 0 on the caller) with BLAS single-threaded,
// then restore BLAS's thread count and rethrow the first worker's exception, if any.
void run_workers(std::size_t workers, const std::function<void(std::size_t)>& body) {
  const int blas_threads = num_threads();
  if (blas_threads != 1) set_num_threads(1);  // each worker's GEMMs stay on its own core
  std::vector<std::exception_ptr> errors(workers);
  auto run = [&](std::size_t w) {
    try {
      body(w);
    } catch (...) {
      errors[w] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(run, w);
  run(0);
  for (auto& t : threads) t.join();
  if (blas_threads != 1) set_num_threads(blas_threads);
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace

namespace {
std::atomic<int> g_parallel_threads{0};  // 0: follow num_threads()
}  // namespace

void set_parallel_threads(int n) {
  if (n < 0) throw ValueError("set_parallel_threads: need 0 (follow BLAS) or more threads, got " +
                              std::to_string(n));
  g_parallel_threads = n;
}

int parallel_threads() {
  const int n = g_parallel_threads;
  return std::max(1, n > 0 ? n : num_threads());
}

std::size_t parallel_workers(std::size_t n) {
  return std::max<std::size_t>(1, std::min<std::size_t>(n, std::size_t(parallel_threads())));
}

void parallel_for(std::size_t n,
                  const std::function<void(std::size_t, std::size_t, std::size_t)>& f,
                  std::size_t workers) {
  if (n == 0) return;
  if (workers == 0) workers = parallel_workers(n);
  workers = std::min(workers, n);
  if (workers == 1) {
    f(0, n, 0);
    return;
  }
  run_workers(workers, [&](std::size_t w) { f(n * w / workers, n * (w + 1) / workers, w); });
}

void parallel_for_elements(std::size_t n, std::size_t elements,
                           const std::function<void(std::size_t, std::size_t, std::size_t)>& f) {
  if (elements < kMinParallelElements) {
    if (n > 0) f(0, n, 0);
    return;
  }
  parallel_for(n, f);
}

ParallelPlan parallel_plan(std::size_t n, double flops) {
  ParallelPlan p;
  p.workers = flops < kMinParallelFlops ? 1 : parallel_workers(n);
  p.chunks = p.workers == 1 ? 1 : std::min(n, 4 * p.workers);
  return p;
}

void parallel_chunks(std::size_t n,
                     const std::function<void(std::size_t, std::size_t, std::size_t, std::size_t)>& f,
                     double flops) {
  if (n == 0) return;
  const ParallelPlan plan = parallel_plan(n, flops);
  if (plan.workers == 1) {
    f(0, n, 0, 0);
    return;
  }
  std::atomic<std::size_t> next{0};
  run_workers(plan.workers, [&](std::size_t w) {
    for (std::size_t c = next++; c < plan.chunks; c = next++)
      f(n * c / plan.chunks, n * (c + 1) / plan.chunks, c, w);
  });
}

}  // namespace dl
