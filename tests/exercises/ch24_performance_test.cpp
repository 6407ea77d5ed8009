// Exercise 24.1: a blocked (tiled) matrix product, checked against the triple loop.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "exercise.hpp"

namespace {

// C = A B by the definition, in double, and the largest |sum_k A B| term bound per element.
std::vector<double> reference(const std::vector<float>& A, const std::vector<float>& B,
                              std::size_t M, std::size_t N, std::size_t K) {
  std::vector<double> C(M * N, 0.0);
  for (std::size_t i = 0; i < M; ++i)
    for (std::size_t j = 0; j < N; ++j)
      for (std::size_t k = 0; k < K; ++k) C[i * N + j] += double(A[i * K + k]) * B[k * N + j];
  return C;
}

// Fill A and B with small integers (exact in float): any summation order gives the same C.
void check_sizes(std::size_t M, std::size_t N, std::size_t K, std::size_t tile) {
  std::vector<float> A(M * K), B(K * N);
  for (std::size_t i = 0; i < A.size(); ++i) A[i] = float(int(i * 7 % 11) - 5);
  for (std::size_t i = 0; i < B.size(); ++i) B[i] = float(int(i * 5 % 13) - 6);
  std::vector<float> C(M * N, std::numeric_limits<float>::quiet_NaN());  // no stale values survive
  ch24::tiled_matmul(A.data(), B.data(), C.data(), M, N, K, tile);
  const std::vector<double> R = reference(A, B, M, N, K);
  INFO("M " << M << ", N " << N << ", K " << K << ", tile " << tile);
  for (std::size_t i = 0; i < M * N; ++i) {
    INFO("element " << i);
    REQUIRE(double(C[i]) == R[i]);
  }
}

}  // namespace

TEST_CASE("Exercise 24.1: tiled product on sizes that are multiples of the tile", "[ch24][exercise]") {
  check_sizes(32, 32, 32, 8);
  check_sizes(16, 48, 32, 16);
}

TEST_CASE("Exercise 24.1: tiled product on odd sizes, 1xN and Nx1 (short edge tiles)", "[ch24][exercise]") {
  check_sizes(37, 29, 53, 8);
  check_sizes(1, 45, 17, 8);   // one row
  check_sizes(45, 1, 17, 8);   // one column
  check_sizes(5, 7, 3, 64);    // a tile larger than the matrices
  check_sizes(13, 11, 1, 4);   // K = 1: an outer product
}

TEST_CASE("Exercise 24.1: C is overwritten, not accumulated into", "[ch24][exercise]") {
  const std::vector<float> A = {1, 2, 3, 4}, B = {5, 6, 7, 8};  // 2x2 each
  std::vector<float> C(4, 100.0f);
  ch24::tiled_matmul(A.data(), B.data(), C.data(), 2, 2, 2, 1);
  CHECK(C == std::vector<float>{19, 22, 43, 50});
}

TEST_CASE("Exercise 24.1: a tile of 0 is refused", "[ch24][exercise]") {
  std::vector<float> A(4, 1.0f), B(4, 1.0f), C(4, 0.0f);
  CHECK_THROWS_AS(ch24::tiled_matmul(A.data(), B.data(), C.data(), 2, 2, 2, 0), std::invalid_argument);
}
