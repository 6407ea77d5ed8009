#pragma once
/// \file
/// Chapter 8 exercises: inverted dropout (8.1) and the L2 and L1 penalties (8.2).
/// Statement: @ref ch08_regularization "Chapter 8, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch08_regularization_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <vector>

namespace ch08 {

/// Exercise 8.1, forward: \f$ y_i = x_i\, k_i / (1-p) \f$ with the keep-mask k (1 keeps,
/// 0 drops) and drop probability p.
std::vector<double> dropout_forward(const std::vector<double>& x, const std::vector<int>& keep,
                                    double p);
/// Exercise 8.1, backward: \f$ dx_i = dy_i\, k_i / (1-p) \f$.
std::vector<double> dropout_backward(const std::vector<double>& dy, const std::vector<int>& keep,
                                     double p);

/// Exercise 8.2: returns \f$ \tfrac{\lambda}{2}\sum_i w_i^2 \f$ and sets grad to its gradient
/// \f$ \lambda w \f$ (same size as w).
double l2_penalty(const std::vector<double>& w, double lambda, std::vector<double>& grad);
/// Exercise 8.2: returns \f$ \lambda\sum_i |w_i| \f$ and sets grad to the subgradient
/// \f$ \lambda\,\mathrm{sign}(w) \f$ with sign(0) = 0.
double l1_penalty(const std::vector<double>& w, double lambda, std::vector<double>& grad);

}  // namespace ch08
