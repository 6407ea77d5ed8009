#pragma once
/// \file
/// Chapter 5 exercises: the mini-batch gradient of softmax regression, and the rate at which
/// gradient descent converges on a quadratic.
/// Statements: @ref ch05_gradient_descent "Chapter 5, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch05_gradient_descent_test.cpp) check your answers when built with
/// -DDLBOOK_EXERCISES=mine.

#include <cstddef>
#include <vector>

#include "dlcore/core/tensor.hpp"

namespace ch05 {

/// The gradient of a linear model's loss with respect to its weights and bias.
struct LinearGradient {
  dl::Tensor2<double> dW;  ///< (D, K), like W
  dl::Tensor1<double> db;  ///< (K), like b
};

/// Exercise 5.1. Softmax regression scores the rows of X (N, D) as Z = X W + 1 b^T with
/// W (D, K) and b (K); its loss on a mini-batch of rows \f$ \mathcal{B} \f$ (indices into X
/// and y, |B| = B) is the mean softmax cross-entropy
///   L_B = -(1/B) sum_{i in B} log softmax(z_i)_{y_i}.
/// Return dL_B/dW and dL_B/db: with P the softmax of the batch's scores and E the one-hot
/// labels, dW = X_B^T (P - E) / B and db = the column sums of (P - E) / B.
LinearGradient minibatch_gradient(const dl::Tensor2<double>& W, const dl::Tensor1<double>& b,
                                  const dl::Tensor2<double>& X, const dl::Labels& y,
                                  const std::vector<std::size_t>& batch);

/// Exercise 5.2. Gradient descent with learning rate eta on a quadratic whose Hessian has the
/// eigenvalues `curvatures` shrinks the distance to the minimum by at most this factor per
/// step: the largest |1 - eta lambda| over the eigenvalues lambda. Below 1 it converges,
/// above 1 it diverges.
double contraction_factor(double eta, const std::vector<double>& curvatures);

}  // namespace ch05
