#pragma once
/// \file
/// Chapter 13 exercise: parameter counts of convolutional and dense layers.
/// Statement: @ref ch13_lenet5 "Chapter 13, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch13_lenet5_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <cstddef>

namespace ch13 {

/// Weights and biases of a convolution with `c_in` input channels, `c_out` filters of
/// size k x k, and one bias per filter.
std::size_t conv_params(std::size_t c_in, std::size_t c_out, std::size_t k);

/// Weights and biases of a dense layer from `d_in` to `d_out` features.
std::size_t dense_params(std::size_t d_in, std::size_t d_out);

}  // namespace ch13
