#pragma once
/// \file
/// Chapter 2 exercise: leaky ReLU, forward and backward, as free functions on tensors.
/// Statement: @ref ch02_activations "Chapter 2, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch02_activations_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine. The chapter program compares your functions with dl::LeakyReLU.

#include <dlcore/core/tensor.hpp>

namespace ch02 {

/// Leaky ReLU, elementwise: \f$ y = x \f$ where \f$ x > 0 \f$, else \f$ \alpha x \f$.
/// Shapes: x (N, D) -> y (N, D).
dl::Tensor2<double> leaky_relu_forward(const dl::Tensor2<double>& x, double alpha);

/// Its backward pass: given \f$ dy = \partial L / \partial y \f$ and the forward input x,
/// return \f$ dx = \partial L / \partial x \f$: \f$ dy \f$ where \f$ x > 0 \f$, else
/// \f$ \alpha\, dy \f$ (at the kink x = 0 use \f$ \alpha \f$, as the library does).
/// Shapes: dy (N, D), x (N, D) -> dx (N, D); dy is not modified. If dy and x differ in
/// shape, throw dl::ShapeError naming both shapes.
dl::Tensor2<double> leaky_relu_backward(const dl::Tensor2<double>& dy, const dl::Tensor2<double>& x,
                                        double alpha);

}  // namespace ch02
