#pragma once
/// \file
/// Chapter 6 exercise: one step of RMSprop on raw arrays.
/// Statement: @ref ch06_optimizers "Chapter 6, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch06_optimizers_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <cstddef>

namespace ch06 {

/// Exercise 6.1. One RMSprop step (Tieleman & Hinton 2012) on n parameters w with gradients
/// g and running mean squares s (all arrays of n values; s starts at 0 before the first step):
///   s_i <- rho s_i + (1 - rho) g_i^2
///   w_i <- w_i - lr g_i / (sqrt(s_i) + eps)
/// Update w and s in place; g is not modified. These are the formulas of dl::RMSprop (and of
/// torch.optim.RMSprop without momentum), so the same inputs must give the same numbers.
void rmsprop_step(double* w, const double* g, double* s, std::size_t n, double lr, double rho,
                  double eps);

}  // namespace ch06
