#pragma once
/// \file
/// Chapter 10 exercises: batch normalisation of a feature matrix (N, D) in training mode,
/// forward and backward, written out by hand. Statement: @ref ch10_batchnorm
/// "Chapter 10, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch10_batchnorm_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <xtensor/xtensor.hpp>

namespace ch10 {

/// What the forward pass computes and keeps for the backward pass.
struct BnForward {
  xt::xtensor<double, 2> y;     ///< gamma * xhat + beta, (N, D)
  xt::xtensor<double, 2> xhat;  ///< (x - mean) / sqrt(var + eps), (N, D)
  xt::xtensor<double, 1> mean;  ///< batch mean per feature, (D)
  xt::xtensor<double, 1> var;   ///< BIASED batch variance per feature (divide by N), (D)
};

/// Exercise 10.1: training-mode batch normalisation of x (N, D), feature by feature, with
/// scale gamma (D) and shift beta (D).
BnForward batchnorm_forward(const xt::xtensor<double, 2>& x, const xt::xtensor<double, 1>& gamma,
                            const xt::xtensor<double, 1>& beta, double eps = 1e-5);

/// The gradients of the loss with respect to the three inputs of the forward pass.
struct BnGrads {
  xt::xtensor<double, 2> dx;      ///< (N, D)
  xt::xtensor<double, 1> dgamma;  ///< (D)
  xt::xtensor<double, 1> dbeta;   ///< (D)
};

/// Exercise 10.2: the backward pass, given the upstream gradient dy (N, D) and what the
/// forward pass returned: dx = gamma / (N sigma) (N dy - sum dy - xhat sum(dy xhat)),
/// with sigma = sqrt(var + eps) and the sums over the batch (per feature).
BnGrads batchnorm_backward(const xt::xtensor<double, 2>& dy, const BnForward& fwd,
                           const xt::xtensor<double, 1>& gamma, double eps = 1e-5);

}  // namespace ch10
