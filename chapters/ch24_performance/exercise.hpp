#pragma once
/// \file
/// Chapter 24 exercise: a blocked (tiled) matrix product.
/// Statement: @ref ch24_performance "Chapter 24, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch24_performance_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <cstddef>

namespace ch24 {

/// C (M, N) = A (M, K) B (K, N), row-major floats, computed tile by tile: for each tile of
/// `tile` rows of C, `tile` terms of the sum and `tile` columns of C, add that tile's part
/// of the product into C (i-k-j order inside a tile). Any M, N, K (including 0 and sizes
/// that are not multiples of `tile`, or smaller than it). C is overwritten, not accumulated
/// into. Throws std::invalid_argument when `tile` is 0.
void tiled_matmul(const float* A, const float* B, float* C, std::size_t M, std::size_t N,
                  std::size_t K, std::size_t tile);

}  // namespace ch24
