#pragma once
/// \file
/// Chapter 7 exercise: per-class precision, recall and F1 from a confusion matrix.
/// Statement: @ref ch07_fashion_mlp "Chapter 7, exercises". Edit exercise.cpp; the tests
/// (tests/exercises/ch07_fashion_mlp_test.cpp) check your answer when built with
/// -DDLBOOK_EXERCISES=mine.

#include <cstdint>
#include <vector>

#include <xtensor/xtensor.hpp>

namespace ch07 {

struct Scores {
  std::vector<double> precision, recall, f1;  ///< one entry per class
};

/// C(i, j) counts examples of true class i predicted as class j (K x K).
/// precision_k = C_kk / (column k sum), recall_k = C_kk / (row k sum),
/// F1_k = 2 P R / (P + R); define each as 0 when its denominator is 0.
Scores per_class_scores(const xt::xtensor<std::int64_t, 2>& C);

}  // namespace ch07
