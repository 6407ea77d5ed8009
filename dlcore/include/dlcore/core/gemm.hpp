#pragma once
/// \file
/// Matrix multiplication through BLAS (OpenBLAS). Every dense layer, convolution (via
/// im2col) and recurrent gate computation in dlcore ends up here.

#include "dlcore/core/tensor.hpp"

namespace dl {

/// Whether gemm() reads an operand as it is or transposed.
enum class Op { N, T };

/// Raw GEMM on row-major buffers: \f$ C \leftarrow \alpha\, op(A)\, op(B) + \beta C \f$,
/// op(A) is (M, K), op(B) is (K, N), C is (M, N); lda/ldb/ldc are row strides.
template <class T>
void gemm(Op opA, Op opB, std::size_t M, std::size_t N, std::size_t K, T alpha, const T* A,
          std::size_t lda, const T* B, std::size_t ldb, T beta, T* C, std::size_t ldc);
template <>
void gemm<float>(Op, Op, std::size_t, std::size_t, std::size_t, float, const float*, std::size_t,
                 const float*, std::size_t, float, float*, std::size_t);
template <>
void gemm<double>(Op, Op, std::size_t, std::size_t, std::size_t, double, const double*,
                  std::size_t, const double*, std::size_t, double, double*, std::size_t);

/// Checked GEMM on matrices: \f$ C \leftarrow \alpha\, op(A)\, op(B) + \beta C \f$.
/// With beta == 0, C is resized to (M, N) if needed; with beta != 0 (accumulation, as for
/// parameter gradients) C must already have that shape. Throws ShapeError naming both shapes.
template <class T>
void gemm(const Tensor2<T>& A, const Tensor2<T>& B, Tensor2<T>& C, Op opA = Op::N,
          Op opB = Op::N, T alpha = T(1), T beta = T(0));

/// \f$ A B \f$ as a new matrix (convenience for non-hot code).
template <class T>
Tensor2<T> matmul(const Tensor2<T>& A, const Tensor2<T>& B, Op opA = Op::N, Op opB = Op::N);

/// Number of threads BLAS uses; set it explicitly (chapter programs: --threads).
void set_num_threads(int n);
int num_threads();
/// The OpenBLAS kernel in use (e.g. "Haswell"), for benchmark reports.
std::string blas_core_name();

}  // namespace dl
