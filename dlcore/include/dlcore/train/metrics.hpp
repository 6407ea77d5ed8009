#pragma once
/// \file
/// Classification metrics: accuracy, confusion matrix, per-class precision, recall and F1.
/// Definitions: @ref ch07_fashion_mlp "Chapter 7".

#include <cstdint>
#include <vector>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// Fraction of predictions equal to the labels.
double accuracy(const Labels& predicted, const Labels& truth);

/// C[i][j] = number of examples of true class i predicted as j. Shape (K, K).
xt::xtensor<std::int64_t, 2> confusion_matrix(const Labels& predicted, const Labels& truth,
                                              std::size_t K);

/// Per-class scores from a confusion matrix:
/// precision_k = C_kk / sum_i C_ik, recall_k = C_kk / sum_j C_kj, F1 = 2PR/(P+R)
/// (0 where a denominator is 0).
struct ClassReport {
  std::vector<double> precision, recall, f1;
  std::vector<std::int64_t> support;  ///< true examples per class
  double macro_precision = 0, macro_recall = 0, macro_f1 = 0, accuracy = 0;
};
ClassReport class_report(const xt::xtensor<std::int64_t, 2>& confusion);

}  // namespace dl
