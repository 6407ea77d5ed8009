// Exercise 24.1 -- your answer goes here (see exercise.hpp and docs/ch24_performance.md).
#include "exercise.hpp"

namespace ch24 {

void tiled_matmul(const float* A, const float* B, float* C, std::size_t M, std::size_t N,
                  std::size_t K, std::size_t tile) {
  // TODO: zero C, then loop over tiles (i0, k0, j0) in steps of `tile`, clamping each tile
  // at M, K and N, and add A[i, k] * B[k, j] into C[i, j] inside the tile in i-k-j order.
  (void)A, (void)B, (void)C, (void)M, (void)N, (void)K, (void)tile;
}

}  // namespace ch24
