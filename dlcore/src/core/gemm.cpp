#include "dlcore/core/gemm.hpp"

#include <cblas.h>

#include "dlcore/core/error.hpp"

namespace dl {

namespace {
CBLAS_TRANSPOSE cblas_op(Op op) { return op == Op::N ? CblasNoTrans : CblasTrans; }
}  // namespace

template <>
void gemm<float>(Op opA, Op opB, std::size_t M, std::size_t N, std::size_t K, float alpha,
                 const float* A, std::size_t lda, const float* B, std::size_t ldb, float beta,
                 float* C, std::size_t ldc) {
  if (M == 0 || N == 0) return;
  cblas_sgemm(CblasRowMajor, cblas_op(opA), cblas_op(opB), int(M), int(N), int(K), alpha, A,
              int(lda), B, int(ldb), beta, C, int(ldc));
}

template <>
void gemm<double>(Op opA, Op opB, std::size_t M, std::size_t N, std::size_t K, double alpha,
                  const double* A, std::size_t lda, const double* B, std::size_t ldb,
                  double beta, double* C, std::size_t ldc) {
  if (M == 0 || N == 0) return;
  cblas_dgemm(CblasRowMajor, cblas_op(opA), cblas_op(opB), int(M), int(N), int(K), alpha, A,
              int(lda), B, int(ldb), beta, C, int(ldc));
}

template <class T>
void gemm(const Tensor2<T>& A, const Tensor2<T>& B, Tensor2<T>& C, Op opA, Op opB, T alpha,
          T beta) {
  const std::size_t M = opA == Op::N ? A.shape(0) : A.shape(1);
  const std::size_t K = opA == Op::N ? A.shape(1) : A.shape(0);
  const std::size_t Kb = opB == Op::N ? B.shape(0) : B.shape(1);
  const std::size_t N = opB == Op::N ? B.shape(1) : B.shape(0);
  if (K != Kb)
    throw ShapeError("gemm: inner dimensions differ: op(A) is " + shape_str(std::vector{M, K}) +
                     ", op(B) is " + shape_str(std::vector{Kb, N}));
  if (C.shape(0) != M || C.shape(1) != N) {
    if (beta != T(0))
      throw ShapeError("gemm: accumulating into C of shape " + shape_str(C.shape()) +
                       " but op(A) op(B) has shape " + shape_str(std::vector{M, N}));
    C.resize({M, N});
  }
  gemm<T>(opA, opB, M, N, K, alpha, A.data(), A.shape(1), B.data(), B.shape(1), beta, C.data(),
          N);
}

template <class T>
Tensor2<T> matmul(const Tensor2<T>& A, const Tensor2<T>& B, Op opA, Op opB) {
  Tensor2<T> C;
  gemm<T>(A, B, C, opA, opB);
  return C;
}

template void gemm<float>(const Tensor2<float>&, const Tensor2<float>&, Tensor2<float>&, Op, Op,
                          float, float);
template void gemm<double>(const Tensor2<double>&, const Tensor2<double>&, Tensor2<double>&, Op,
                           Op, double, double);
template Tensor2<float> matmul(const Tensor2<float>&, const Tensor2<float>&, Op, Op);
template Tensor2<double> matmul(const Tensor2<double>&, const Tensor2<double>&, Op, Op);

void set_num_threads(int n) {
  if (n < 1) throw ValueError("set_num_threads: need at least 1 thread, got " + std::to_string(n));
  openblas_set_num_threads(n);
}
int num_threads() { return openblas_get_num_threads(); }
std::string blas_core_name() { return openblas_get_corename(); }

}  // namespace dl
