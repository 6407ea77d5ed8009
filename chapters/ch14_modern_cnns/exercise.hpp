#pragma once
/// \file
/// Chapter 14 exercises: a depthwise convolution of one channel, and the cost of a
/// depthwise-separable layer. Statement: @ref ch14_modern_cnns "Chapter 14, exercises".
/// Edit exercise.cpp; the tests (tests/exercises/ch14_modern_cnns_test.cpp) check your
/// answer when built with -DDLBOOK_EXERCISES=mine.

#include <cstddef>

#include <xtensor/xtensor.hpp>

namespace ch14 {

/// Exercise 14.1: one channel of a depthwise convolution (a cross-correlation, as every
/// framework computes it): x (H, W), filter w (k, k), zero padding `pad` on every side,
/// step `stride`; returns y (Ho, Wo) with Ho = (H + 2 pad - k) / stride + 1 and
/// y[h, w'] = sum_{i,j} w[i, j] x[h stride + i - pad, w' stride + j - pad] (0 outside x).
xt::xtensor<double, 2> depthwise_plane(const xt::xtensor<double, 2>& x, const xt::xtensor<double, 2>& w,
                                       std::size_t stride, std::size_t pad);

/// Parameters and multiply-adds of a layer (weights and biases both count as parameters).
struct Cost {
  std::size_t params = 0, madds = 0;
};

/// Exercise 14.2: a depthwise-separable layer from C_in to C_out channels, a k x k
/// depthwise convolution (with bias) followed by a 1x1 pointwise one (with bias), on an
/// H x W output map: its parameters, and its multiply-adds per image (biases cost none).
Cost separable_cost(std::size_t c_in, std::size_t c_out, std::size_t k, std::size_t h, std::size_t w);

}  // namespace ch14
