// Exercise 24.1, reference solution.
#include "exercise.hpp"

#include <algorithm>
#include <stdexcept>

namespace ch24 {

//! [solution]
void tiled_matmul(const float* A, const float* B, float* C, std::size_t M, std::size_t N,
                  std::size_t K, std::size_t tile) {
  if (tile == 0) throw std::invalid_argument("tiled_matmul: tile must be >= 1");
  std::fill(C, C + M * N, 0.0f);
  for (std::size_t i0 = 0; i0 < M; i0 += tile)
    for (std::size_t k0 = 0; k0 < K; k0 += tile)
      for (std::size_t j0 = 0; j0 < N; j0 += tile) {
        const std::size_t i1 = std::min(i0 + tile, M), k1 = std::min(k0 + tile, K),
                          j1 = std::min(j0 + tile, N);  // the last tiles may be short
        for (std::size_t i = i0; i < i1; ++i)
          for (std::size_t k = k0; k < k1; ++k) {
            const float a = A[i * K + k];
            for (std::size_t j = j0; j < j1; ++j) C[i * N + j] += a * B[k * N + j];
          }
      }
}
//! [solution]

}  // namespace ch24
