#pragma once
/// \file
/// dlcore's own single-precision GEMM: packed panels and a register-blocked micro-kernel in
/// xsimd, the kernel @ref ch24_performance "Chapter 24" builds step by step, grown to take
/// transposed operands, strides, alpha and beta. The convolutions use it (Chapter 24,
/// "Convolutions faster than the framework's"): on the small, thin products of a CNN it runs
/// at 0.6-0.8 of the core's FMA peak, where the BLAS kernels the environment selects may not
/// use the widest vectors the CPU has.

#include <cstddef>
#include <type_traits>

#include "dlcore/core/gemm.hpp"

namespace dl {

/// \f$ C \leftarrow \alpha\, op(A)\, op(B) + \beta C \f$ on row-major floats, on the calling
/// thread only (callers split work between threads themselves). op(A) is (M, K), op(B) is
/// (K, N), C is (M, N); lda, ldb, ldc are row strides. With beta == 0, C is not read (it may
/// hold anything, NaN included), as in BLAS.
void packed_sgemm(Op opA, Op opB, std::size_t M, std::size_t N, std::size_t K, float alpha,
                  const float* A, std::size_t lda, const float* B, std::size_t ldb, float beta,
                  float* C, std::size_t ldc);

/// \f$ C \mathrel{+}= \alpha A B^\top \f$ where row i of A is the K floats at A + row[i]
/// (rows may overlap: a convolution's columns read straight from its padded input) and B is
/// (N, K) with row stride ldb. A is read in place, B packed. On the calling thread only.
void packed_sgemm_rows(std::size_t M, std::size_t N, std::size_t K, float alpha, const float* A,
                       const std::size_t* row, const float* B, std::size_t ldb, float* C,
                       std::size_t ldc);

/// The micro-tile: rows of C times columns of C that the micro-kernel keeps in registers.
std::size_t packed_sgemm_mr();
std::size_t packed_sgemm_nr();

/// The GEMM the convolutions call: packed_sgemm for float, BLAS for double (whose products
/// the double-precision gradient checks run through).
template <class T>
void conv_gemm(Op opA, Op opB, std::size_t M, std::size_t N, std::size_t K, T alpha, const T* A,
               std::size_t lda, const T* B, std::size_t ldb, T beta, T* C, std::size_t ldc) {
  if constexpr (std::is_same_v<T, float>)
    packed_sgemm(opA, opB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  else
    gemm<T>(opA, opB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

}  // namespace dl
