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

/// How many workers parallel_for(n, f) would use: parallel_threads(), at most n.
std::size_t parallel_workers(std::size_t n);

/// Threads for parallel_for and parallel_chunks. By default (0) they follow num_threads(),
/// the BLAS thread count. A CNN can do better with `set_parallel_threads(2)` and
/// `set_num_threads(1)`: the convolutions split their batches over two cores while the small
/// dense-layer GEMMs stay single-threaded, so OpenBLAS never wakes (or spins) its own thread
/// pool; on a machine shared with other jobs a pool thread waiting for its turn on a core
/// holds up every GEMM it is part of.
void set_parallel_threads(int n);
/// The threads parallel_for and parallel_chunks use (at least 1).
int parallel_threads();

/// Below this many elements an elementwise loop (ReLU, dropout's mask, pooling, copies)
/// stays on one thread. The first activations of a CNN (128 x 32 x 28 x 28 = 3.2M values) are
/// far above it; a dense layer's (128 x 512) are below. Lower (65,536) measured worse for the
/// MLP of Chapter 7, whose products run on OpenBLAS's two threads: a pool worker woken for a
/// ReLU competes with OpenBLAS's thread, which spins for a while after each product.
constexpr std::size_t kMinParallelElements = std::size_t(1) << 18;
/// The same where BLAS is single-threaded: the pool's workers have the cores to themselves
/// and spin between calls, and a hand-over costs a microsecond or two (Chapter 24, "Third
/// round"), so loops of a quarter of a megabyte already pay.
constexpr std::size_t kMinParallelElementsOwnCores = std::size_t(1) << 16;

/// parallel_for over [0, n) when `elements`, the values the loop touches, reaches
/// kMinParallelElements (kMinParallelElementsOwnCores where BLAS runs on one thread); one
/// plain call f(0, n, 0) otherwise. For memory-bound loops whose iterations are independent,
/// so the result does not depend on the split.
void parallel_for_elements(std::size_t n, std::size_t elements,
                           const std::function<void(std::size_t begin, std::size_t end,
                                                    std::size_t worker)>& f);

/// The work of parallel_chunks, cut into fixed chunks: chunk c covers
/// [n c / chunks, n (c + 1) / chunks).
struct ParallelPlan {
  std::size_t workers = 1;  ///< threads that run at once
  std::size_t chunks = 1;   ///< pieces of the range, taken by whichever worker is free
};

/// Below this many floating-point operations a call stays on one thread. The workers are kept
/// between calls (a pool that sleeps, not spins), so handing work over costs microseconds,
/// not the tens of microseconds of starting a thread: LeNet-5's convolutions (20-80 MFLOP per
/// batch of 128) now use both cores; with a thread per call (and a threshold of 1e8) they
/// did not, and its epoch took 3.4 s instead of 2.2 s.
constexpr double kMinParallelFlops = 1e7;

/// The plan parallel_chunks(n, f, flops) follows: parallel_workers(n) workers and 4 chunks
/// per worker, so that a worker the operating system delays (on a busy machine) holds up at
/// most a quarter of its share; one worker (and one chunk) when `flops`, the caller's
/// estimate of the work, is below kMinParallelFlops.
ParallelPlan parallel_plan(std::size_t n, double flops = 1e300);

/// Like parallel_for, but the workers take the plan's chunks one at a time as they become
/// free: `f(begin, end, chunk, worker)`. Which worker runs which chunk varies; what a chunk
/// covers does not, so sums kept per chunk and added in chunk order are reproducible for a
/// fixed thread count.
void parallel_chunks(std::size_t n,
                     const std::function<void(std::size_t begin, std::size_t end,
                                              std::size_t chunk, std::size_t worker)>& f,
                     double flops = 1e300);

}  // namespace dl
