#pragma once
/// \file
/// Splitting a batch between threads: how Conv2D uses both cores on many small GEMMs.

#include <cstddef>
#include <functional>

namespace dl {

/// Run `f(begin, end, worker)` on `workers` contiguous parts of [0, n) at once, one thread
/// each (worker 0 on the calling thread), with BLAS single-threaded meanwhile: each part's
/// GEMMs then run on its own core instead of every small GEMM being split in two.
/// `workers` defaults to num_threads() (the BLAS thread count the program chose) and is
/// never more than n. Results are reproducible for a fixed thread count. An exception in a
/// worker is rethrown here after all workers finished.
void parallel_for(std::size_t n,
                  const std::function<void(std::size_t begin, std::size_t end, std::size_t worker)>& f,
                  std::size_t workers = 0);

/// How many workers parallel_for(n, f) would use.
std::size_t parallel_workers(std::size_t n);

}  // namespace dl
