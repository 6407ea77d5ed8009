#pragma once
/// \file
/// Chapter 9 exercises: the Xavier and He standard deviations (9.1) and clipping a set of
/// gradients by their global norm (9.2). Statement: @ref ch09_init_and_gradients
/// "Chapter 9, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch09_init_and_gradients_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <cstddef>
#include <vector>

namespace ch09 {

/// Exercise 9.1: the standard deviation of Xavier/Glorot's normal initialisation,
/// \f$ \sqrt{2/(n_{in}+n_{out})} \f$.
double xavier_std(std::size_t fan_in, std::size_t fan_out);
/// Exercise 9.1: the standard deviation of He's normal initialisation, \f$ \sqrt{2/n_{in}} \f$.
double he_std(std::size_t fan_in);

/// Exercise 9.2: the global norm \f$ \|g\| = \sqrt{\sum_p\sum_i g_{p,i}^2} \f$ of all the
/// gradients; if it exceeds max_norm, scale every gradient by max_norm / (||g|| + 1e-6).
/// Returns the norm before clipping.
double clip_by_global_norm(std::vector<std::vector<double>>& grads, double max_norm);

}  // namespace ch09
