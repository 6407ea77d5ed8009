#include "dlcore/core/parallel_gemm.hpp"

#include "dlcore/core/parallel.hpp"

namespace dl {

template <class T>
void parallel_gemm(Op opA, Op opB, std::size_t M, std::size_t N, std::size_t K, T alpha,
                   const T* A, std::size_t lda, const T* B, std::size_t ldb, T beta, T* C,
                   std::size_t ldc) {
  const double flops = 2.0 * double(M) * double(N) * double(K);
  if (flops < kMinParallelGemmFlops || parallel_threads() == 1 || M == 0 || N == 0) {
    gemm(opA, opB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  if (M >= N) {  // blocks of rows of C: rows of op(A)
    parallel_for(M, [&](std::size_t r0, std::size_t r1, std::size_t) {
      const T* Ar = opA == Op::N ? A + r0 * lda : A + r0;
      gemm(opA, opB, r1 - r0, N, K, alpha, Ar, lda, B, ldb, beta, C + r0 * ldc, ldc);
    });
  } else {  // blocks of columns of C: columns of op(B)
    parallel_for(N, [&](std::size_t c0, std::size_t c1, std::size_t) {
      const T* Bc = opB == Op::N ? B + c0 : B + c0 * ldb;
      gemm(opA, opB, M, c1 - c0, K, alpha, A, lda, Bc, ldb, beta, C + c0, ldc);
    });
  }
}

template void parallel_gemm<float>(Op, Op, std::size_t, std::size_t, std::size_t, float, const float*,
                                   std::size_t, const float*, std::size_t, float, float*, std::size_t);
template void parallel_gemm<double>(Op, Op, std::size_t, std::size_t, std::size_t, double, const double*,
                                    std::size_t, const double*, std::size_t, double, double*, std::size_t);

}  // namespace dl
