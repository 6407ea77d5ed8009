#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "dlcore/core/packed_gemm.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/core/rng.hpp"

using namespace dl;

namespace {

// C = alpha op(A) op(B) + beta C in double, the plain way: the reference for packed_sgemm.
std::vector<double> reference(Op opA, Op opB, std::size_t M, std::size_t N, std::size_t K,
                              double alpha, const std::vector<float>& A, std::size_t lda,
                              const std::vector<float>& B, std::size_t ldb, double beta,
                              const std::vector<float>& C, std::size_t ldc) {
  std::vector<double> out(M * ldc);
  for (std::size_t i = 0; i < M; ++i)
    for (std::size_t j = 0; j < N; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < K; ++k)
        s += double(opA == Op::N ? A[i * lda + k] : A[k * lda + i]) *
             double(opB == Op::N ? B[k * ldb + j] : B[j * ldb + k]);
      out[i * ldc + j] = alpha * s + (beta == 0 ? 0.0 : beta * double(C[i * ldc + j]));
    }
  return out;
}

// packed_sgemm against the reference on random operands, with row strides larger than the
// rows (lda = cols + 3, ...) so that a kernel reading past a row's end would be caught.
void check(Op opA, Op opB, std::size_t M, std::size_t N, std::size_t K, float alpha, float beta) {
  Rng rng(M * 10007 + N * 101 + K);
  const std::size_t lda = (opA == Op::N ? K : M) + 3, ldb = (opB == Op::N ? N : K) + 5, ldc = N + 2;
  std::vector<float> A((opA == Op::N ? M : K) * lda), B((opB == Op::N ? K : N) * ldb), C(M * ldc);
  for (auto& v : A) v = float(rng.uniform(-1, 1));
  for (auto& v : B) v = float(rng.uniform(-1, 1));
  for (auto& v : C) v = beta == 0 ? std::numeric_limits<float>::quiet_NaN() : float(rng.uniform(-1, 1));
  const auto want = reference(opA, opB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  const std::vector<float> before = C;
  packed_sgemm(opA, opB, M, N, K, alpha, A.data(), lda, B.data(), ldb, beta, C.data(), ldc);
  INFO("op(A) " << (opA == Op::N ? "N" : "T") << ", op(B) " << (opB == Op::N ? "N" : "T")
                << ", M " << M << ", N " << N << ", K " << K << ", alpha " << alpha << ", beta " << beta);
  double worst = 0;
  for (std::size_t i = 0; i < M; ++i) {
    for (std::size_t j = 0; j < N; ++j)  // float sums of K terms of size <= 1: error ~ K eps
      worst = std::max(worst, std::abs(double(C[i * ldc + j]) - want[i * ldc + j]) / (1.0 + std::sqrt(double(K))));
    for (std::size_t j = N; j < ldc; ++j)  // the padding between rows of C is not touched
      REQUIRE((std::isnan(before[i * ldc + j]) ? std::isnan(C[i * ldc + j]) : C[i * ldc + j] == before[i * ldc + j]));
  }
  CHECK(worst < 2e-6);
}

}  // namespace

TEST_CASE("packed_sgemm equals the plain product for every transpose and edge shape",
          "[gemm][packed]") {
  const std::size_t mr = packed_sgemm_mr(), nr = packed_sgemm_nr();
  // sizes around the micro-tile and the in-place thresholds (64 rows or columns of C), the
  // cache block of terms (384) and a convolution's shapes
  const std::vector<std::size_t> Ms = {1, mr - 1, mr, mr + 1, 32, 63, 64, 65, 150};
  const std::vector<std::size_t> Ns = {1, nr - 1, nr, nr + 1, 64, 65, 121, 200};
  const std::vector<std::size_t> Ks = {1, 9, 150, 385, 800};
  for (Op opA : {Op::N, Op::T})
    for (Op opB : {Op::N, Op::T})
      for (std::size_t M : Ms)
        for (std::size_t N : Ns)
          for (std::size_t K : Ks)
            if (M * N * K <= 4000000 || (M == 150 && N == 200 && K == 385)) check(opA, opB, M, N, K, 1.0f, 1.0f);
}

TEST_CASE("packed_sgemm: alpha, beta, and beta = 0 never reads C", "[gemm][packed]") {
  for (Op opA : {Op::N, Op::T})
    for (Op opB : {Op::N, Op::T}) {
      check(opA, opB, 33, 70, 40, 0.5f, 0.0f);   // C full of NaN: must not leak into the result
      check(opA, opB, 70, 40, 800, 1.0f, 0.0f);  // the same over several blocks of terms
      check(opA, opB, 70, 33, 40, -2.0f, 0.25f);
      check(opA, opB, 9, 100, 12, 1.0f, 1.0f);
    }
  std::vector<float> C = {1, 2, 3, 4}, A = {1, 1}, B = {1, 1};
  packed_sgemm(Op::N, Op::N, 2, 2, 0, 1.0f, A.data(), 1, B.data(), 2, 3.0f, C.data(), 2);  // K = 0: C = beta C
  CHECK(C == std::vector<float>{3, 6, 9, 12});
}

TEST_CASE("packed_sgemm_rows: rows of A at given, overlapping offsets", "[gemm][packed]") {
  // C += alpha A B^T with row i of A the K floats at A + row[i]: the rows overlap (offsets 0,
  // 1, 2, ... as a convolution's columns do), so no row-major A could hold them. Every tile
  // shape: rows and columns of C that are no multiple of the micro-tile, sums longer than one
  // block of terms.
  Rng rng(17);
  for (std::size_t M : {1, 7, 8, 17, 289})
    for (std::size_t N : {1, 16, 32, 33, 64})
      for (std::size_t K : {1, 31, 400, 900}) {
        std::vector<std::size_t> row(M);
        for (std::size_t i = 0; i < M; ++i) row[i] = (i % 3) + 5 * (i / 3);  // overlapping runs
        std::vector<float> A(row.back() + K), B(N * (K + 3)), C(M * N), want(M * N);
        for (auto& v : A) v = float(rng.uniform(-1, 1));
        for (auto& v : B) v = float(rng.uniform(-1, 1));
        for (auto& v : C) v = float(rng.uniform(-1, 1));
        const std::size_t ldb = K + 3;
        for (std::size_t i = 0; i < M; ++i)
          for (std::size_t j = 0; j < N; ++j) {
            double s = 0;
            for (std::size_t k = 0; k < K; ++k) s += double(A[row[i] + k]) * double(B[j * ldb + k]);
            want[i * N + j] = float(C[i * N + j] + 0.5 * s);
          }
        packed_sgemm_rows(M, N, K, 0.5f, A.data(), row.data(), B.data(), ldb, C.data(), N);
        INFO("M " << M << " N " << N << " K " << K);
        for (std::size_t q = 0; q < C.size(); ++q)
          REQUIRE(C[q] == Approx(want[q]).margin(1e-4 * std::sqrt(double(K))));
      }
}

TEST_CASE("parallel_chunks: every chunk once, on the kept worker threads, repeatedly",
          "[parallel]") {
  set_parallel_threads(2);
  for (int round = 0; round < 200; ++round) {  // the pool's threads are reused call after call
    std::vector<int> seen(37, 0);
    parallel_chunks(37, [&](std::size_t b, std::size_t e, std::size_t, std::size_t) {
      for (std::size_t i = b; i < e; ++i) ++seen[i];
    });
    REQUIRE(seen == std::vector<int>(37, 1));
  }
  // a parallel call inside a worker (the pool is busy) runs on threads of its own
  std::vector<int> inner(8, 0);
  parallel_for(2, [&](std::size_t b, std::size_t e, std::size_t) {
    for (std::size_t i = b; i < e; ++i)
      parallel_for(4, [&](std::size_t b2, std::size_t e2, std::size_t) {
        for (std::size_t j = b2; j < e2; ++j) inner[i * 4 + j] += 1;
      });
  });
  CHECK(inner == std::vector<int>(8, 1));
  // an exception in a worker reaches the caller, and the pool still works afterwards
  REQUIRE_THROWS_WITH(parallel_for(2, [&](std::size_t b, std::size_t, std::size_t) {
                        if (b > 0) throw std::runtime_error("worker 1 failed");
                      }),
                      "worker 1 failed");
  std::vector<int> after(10, 0);
  parallel_for(10, [&](std::size_t b, std::size_t e, std::size_t) {
    for (std::size_t i = b; i < e; ++i) after[i] = 1;
  });
  CHECK(after == std::vector<int>(10, 1));
  set_parallel_threads(0);
}
