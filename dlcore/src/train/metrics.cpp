#include "dlcore/train/metrics.hpp"

#include "dlcore/core/error.hpp"

namespace dl {

double accuracy(const Labels& predicted, const Labels& truth) {
  if (predicted.size() != truth.size())
    throw ShapeError("accuracy: " + std::to_string(predicted.size()) + " predictions for " +
                     std::to_string(truth.size()) + " labels");
  if (truth.size() == 0) return 0.0;
  std::size_t hits = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) hits += predicted(i) == truth(i);
  return double(hits) / double(truth.size());
}

xt::xtensor<std::int64_t, 2> confusion_matrix(const Labels& predicted, const Labels& truth,
                                              std::size_t K) {
  if (predicted.size() != truth.size())
    throw ShapeError("confusion_matrix: " + std::to_string(predicted.size()) +
                     " predictions for " + std::to_string(truth.size()) + " labels");
  xt::xtensor<std::int64_t, 2> C = xt::zeros<std::int64_t>({K, K});
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const auto t = std::size_t(truth(i)), p = std::size_t(predicted(i));
    if (t >= K || p >= K)
      throw ValueError("confusion_matrix: class index outside [0, " + std::to_string(K) + ")");
    ++C(t, p);
  }
  return C;
}

ClassReport class_report(const xt::xtensor<std::int64_t, 2>& C) {
  const std::size_t K = C.shape(0);
  ClassReport r;
  std::int64_t correct = 0, total = 0;
  for (std::size_t k = 0; k < K; ++k) {
    std::int64_t col = 0, row = 0;
    for (std::size_t i = 0; i < K; ++i) {
      col += C(i, k);  // predicted as k
      row += C(k, i);  // truly k
    }
    const double p = col ? double(C(k, k)) / double(col) : 0.0;
    const double rc = row ? double(C(k, k)) / double(row) : 0.0;
    r.precision.push_back(p);
    r.recall.push_back(rc);
    r.f1.push_back(p + rc > 0 ? 2 * p * rc / (p + rc) : 0.0);
    r.support.push_back(row);
    correct += C(k, k);
    total += row;
  }
  for (std::size_t k = 0; k < K; ++k) {
    r.macro_precision += r.precision[k] / double(K);
    r.macro_recall += r.recall[k] / double(K);
    r.macro_f1 += r.f1[k] / double(K);
  }
  r.accuracy = total ? double(correct) / double(total) : 0.0;
  return r;
}

}  // namespace dl
