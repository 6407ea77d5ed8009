#include "dlcore/core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "dlcore/core/error.hpp"
#include "dlcore/core/gemm.hpp"

namespace dl {

namespace {

// Worker threads kept between calls: starting and joining a std::thread costs tens of
// microseconds, and a training step of a CNN makes dozens of parallel calls (every
// convolution, activation and pooling layer, forward and backward). Between calls a worker
// spins for a while, then sleeps on a condition variable: the next call of a step usually
// comes sooner than a futex wake-up would (LeNet-5's epoch: 1.95-2.03 s without the spin,
// 1.56-1.86 s with it). How long: 50 microseconds while BLAS runs threads of its own (a
// worker that spun longer would hold a core OpenBLAS's threads need), 2 ms when BLAS is
// single-threaded and the pool's threads have the cores to themselves (the CNN chapters):
// then a worker also stays awake across a step's serial stretches (the dense layers, the
// optimiser). The calling thread, once its own share is done, spins the same way before it
// sleeps. Seed CNN, batch 32, 400 steps: 9,750 context switches before, 240-270 after
// (Chapter 24, "Third round").
class WorkerPool {
 public:
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(m_);
      stop_ = true;
    }
    start_.notify_all();
    for (auto& t : threads_) t.join();
  }

  // Runs body(1), ..., body(workers - 1) on pool threads and body(0) on the caller; returns
  // when all have finished. False (nothing run) when the pool is busy with another call: a
  // parallel call made from inside a worker, or from a second thread of the program.
  // long_spin: BLAS is single-threaded, the workers may spin long (see above).
  bool run(std::size_t workers, const std::function<void(std::size_t)>& body, bool long_spin) {
    if (busy_.exchange(true)) return false;
    std::size_t g;
    {
      std::lock_guard<std::mutex> lock(m_);
      while (threads_.size() + 1 < workers) {
        const std::size_t w = threads_.size() + 1;
        threads_.emplace_back([this, w] { loop(w); });
      }
      body_ = &body;
      workers_ = workers;
      pending_.store(workers - 1, std::memory_order_relaxed);
      g = ++generation_;
    }
    // published after the lock is released: a spinning worker that sees it takes the lock
    // at once instead of sleeping on it until this thread lets go
    spin_.store(long_spin ? kSpinLong : kSpinShort, std::memory_order_relaxed);
    posted_.store(g, std::memory_order_release);
    start_.notify_all();
    body(0);
    // the workers usually finish within microseconds of this thread: spin before sleeping
    const auto until = std::chrono::steady_clock::now() + spin_.load(std::memory_order_relaxed);
    while (pending_.load(std::memory_order_acquire) != 0 && std::chrono::steady_clock::now() < until)
      spin_pause();
    {
      std::unique_lock<std::mutex> lock(m_);
      done_.wait(lock, [this] { return pending_.load(std::memory_order_relaxed) == 0; });
      body_ = nullptr;
    }
    busy_ = false;
    return true;
  }

 private:
  void loop(std::size_t w) {
    std::size_t seen = 0;
    std::unique_lock<std::mutex> lock(m_);
    for (;;) {
      if (!stop_ && generation_ == seen) {  // a spin first: in a training step the next call
        lock.unlock();                      // often comes sooner than a futex would wake us
        const auto until = std::chrono::steady_clock::now() + spin_.load(std::memory_order_relaxed);
        while (posted_.load(std::memory_order_acquire) == seen &&
               std::chrono::steady_clock::now() < until)
          spin_pause();
        lock.lock();
      }
      start_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      if (w >= workers_) continue;  // this call needs fewer threads than the pool has
      const auto* body = body_;
      lock.unlock();
      (*body)(w);  // body catches its own exceptions (run_workers)
      lock.lock();
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) done_.notify_one();
    }
  }

  std::mutex m_;
  std::condition_variable start_, done_;
  std::vector<std::thread> threads_;
  const std::function<void(std::size_t)>* body_ = nullptr;
  std::size_t workers_ = 0, generation_ = 0;
  std::atomic<std::size_t> pending_{0};  // workers still running the current call
  bool stop_ = false;
  std::atomic<bool> busy_{false};
  std::atomic<std::size_t> posted_{0};  // generation_, readable without the lock
  static constexpr std::chrono::microseconds kSpinShort{50}, kSpinLong{2000};
  std::atomic<std::chrono::microseconds> spin_{kSpinShort};  // set by each call
  static void spin_pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
};

WorkerPool& worker_pool() {
  static WorkerPool pool;
  return pool;
}

// Run `body(worker)` on `workers` threads (worker 0 on the caller) with BLAS single-threaded,
// then restore BLAS's thread count and rethrow the first worker's exception, if any.
void run_workers(std::size_t workers, const std::function<void(std::size_t)>& body) {
  const int blas_threads = num_threads();
  if (blas_threads != 1) set_num_threads(1);  // each worker's GEMMs stay on its own core
  std::vector<std::exception_ptr> errors(workers);
  const std::function<void(std::size_t)> run = [&](std::size_t w) {
    try {
      body(w);
    } catch (...) {
      errors[w] = std::current_exception();
    }
  };
  if (!worker_pool().run(workers, run, blas_threads == 1)) {  // the pool is busy (a nested call): own threads
    std::vector<std::thread> threads;
    for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(run, w);
    run(0);
    for (auto& t : threads) t.join();
  }
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
  if (elements < (num_threads() == 1 ? kMinParallelElementsOwnCores : kMinParallelElements)) {
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
