#pragma once
/// \file
/// Chapter 16 exercise: a classifier on frozen features without any training, the nearest
/// class mean. Statement: @ref ch16_transfer_learning "Chapter 16, exercises". Edit
/// exercise.cpp; the tests (tests/exercises/ch16_transfer_learning_test.cpp) check your
/// answer when built with -DDLBOOK_EXERCISES=mine.

#include <cstddef>

#include <dlcore/core/tensor.hpp>

namespace ch16 {

/// Exercise 16.1: the mean feature vector of each class k, m_k = mean of the rows
/// F_train[i] with y_train[i] = k, and for each row of F_test the class whose mean is
/// nearest in Euclidean distance (the lower class on a tie). F_train (N, D), y_train (N)
/// with values in [0, K), F_test (M, D); returns M labels. Every class has at least one
/// training row.
dl::Labels nearest_class_mean(const dl::Tensor2<float>& F_train, const dl::Labels& y_train,
                              std::size_t K, const dl::Tensor2<float>& F_test);

}  // namespace ch16
