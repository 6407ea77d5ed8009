#pragma once
/// \file
/// One GEMM split between the parallel workers: how the Transformer block (Chapter 20) uses
/// both cores on its projections while every product runs single-threaded inside a worker,
/// as the recurrent layers do (no OpenBLAS thread pool spinning against the workers).

#include <cstddef>

#include "dlcore/core/gemm.hpp"

namespace dl {

/// Below this many floating-point operations parallel_gemm stays on the calling thread: about
/// the cost of starting a thread on an idle machine (tens of microseconds).
constexpr double kMinParallelGemmFlops = 4e6;

/// \f$ C \leftarrow \alpha\, op(A)\, op(B) + \beta C \f$ as gemm(), with the rows of C (or its
/// columns, when C has more of them) cut into parallel_workers() contiguous blocks, one per
/// worker. Every element of C is computed by one worker, so the result does not depend on
/// timing, only on the thread count.
template <class T>
void parallel_gemm(Op opA, Op opB, std::size_t M, std::size_t N, std::size_t K, T alpha,
                   const T* A, std::size_t lda, const T* B, std::size_t ldb, T beta, T* C,
                   std::size_t ldc);

}  // namespace dl
