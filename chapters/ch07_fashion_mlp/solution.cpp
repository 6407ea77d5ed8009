// Exercise 7.1 -- reference solution.
#include "exercise.hpp"

namespace ch07 {

Scores per_class_scores(const xt::xtensor<std::int64_t, 2>& C) {
  const std::size_t K = C.shape(0);
  Scores s;
  for (std::size_t k = 0; k < K; ++k) {
    std::int64_t predicted_k = 0, truly_k = 0;
    for (std::size_t i = 0; i < K; ++i) {
      predicted_k += C(i, k);  // column sum: everything predicted as k
      truly_k += C(k, i);      // row sum: everything that is k
    }
    const double p = predicted_k ? double(C(k, k)) / double(predicted_k) : 0.0;
    const double r = truly_k ? double(C(k, k)) / double(truly_k) : 0.0;
    s.precision.push_back(p);
    s.recall.push_back(r);
    s.f1.push_back(p + r > 0 ? 2 * p * r / (p + r) : 0.0);
  }
  return s;
}

}  // namespace ch07
