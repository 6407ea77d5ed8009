#pragma once
/// \file
/// Chapter 4 exercise: the backward pass of a 2-layer MLP, by hand.
/// Statement: @ref ch04_backprop "Chapter 4, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch04_backprop_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <dlcore/core/tensor.hpp>

namespace ch04 {

/// The hidden units' activation function f.
enum class Hidden { tanh, relu };

/// The four gradients of the loss, each shaped like its parameter.
struct MlpGrads {
  dl::Tensor2<double> dW1;  ///< (D, H)
  dl::Tensor1<double> db1;  ///< (H)
  dl::Tensor2<double> dW2;  ///< (H, K)
  dl::Tensor1<double> db2;  ///< (K)
};

/// For the mini-batch X (N, D) with labels y (N) in [0, K), the network
///   Z1 = X W1 + 1 b1^T,  A1 = f(Z1),  Z2 = A1 W2 + 1 b2^T,  P = softmax(Z2) (row by row)
/// and the mean cross-entropy loss L = -(1/N) sum_i log P(i, y_i), return dL/dW1, dL/db1,
/// dL/dW2 and dL/db2. Shapes: W1 (D, H), b1 (H), W2 (H, K), b2 (K).
MlpGrads mlp2_backward(const dl::Tensor2<double>& X, const dl::Tensor2<double>& W1,
                       const dl::Tensor1<double>& b1, const dl::Tensor2<double>& W2,
                       const dl::Tensor1<double>& b2, const dl::Labels& y, Hidden f);

}  // namespace ch04
