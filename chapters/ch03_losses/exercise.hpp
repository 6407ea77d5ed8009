#pragma once
/// \file
/// Chapter 3 exercise: the gradient of the Huber loss.
/// Statement: @ref ch03_losses "Chapter 3, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch03_losses_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <dlcore/core/tensor.hpp>

namespace ch03 {

/// The gradient of the mean Huber loss with threshold delta > 0,
///   L = 1/(N D) sum_ij h(pred_ij - target_ij),
///   h(e) = e^2 / 2 for |e| <= delta, delta (|e| - delta / 2) otherwise,
/// with respect to pred: a matrix of pred's shape (N, D). pred and target have the same shape.
dl::Tensor2<double> huber_gradient(const dl::Tensor2<double>& pred,
                                   const dl::Tensor2<double>& target, double delta);

}  // namespace ch03
