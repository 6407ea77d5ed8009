#pragma once
/// \file
/// Chapter 11 exercises: drawing a learning rate for a random search, and the folds of
/// k-fold cross-validation. Statements: @ref ch11_model_selection "Chapter 11, exercises".
/// Edit exercise.cpp; the tests (tests/exercises/ch11_model_selection_test.cpp) check your
/// answers when built with -DDLBOOK_EXERCISES=mine.

#include <cstddef>
#include <vector>

#include <dlcore/core/rng.hpp>

namespace ch11 {

/// Exercise 11.1: a log-uniform draw in [lo, hi) from ONE call of rng.uniform():
/// lo * (hi / lo)^u. Throw dl::ValueError unless 0 < lo < hi.
double log_uniform(dl::Rng& rng, double lo, double hi);

/// Exercise 11.2: the validation indices of fold `fold` (0-based) of k-fold
/// cross-validation over n examples 0..n-1, in order: fold f holds a contiguous block, the
/// first n % k folds one example more than the others, and the k folds together hold every
/// index exactly once. Throw dl::ValueError unless 1 <= k <= n and fold < k.
std::vector<std::size_t> fold_indices(std::size_t n, std::size_t k, std::size_t fold);

}  // namespace ch11
