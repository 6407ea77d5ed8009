// Exercises 11.1 and 11.2: reference solutions.
#include <cmath>
#include <string>

#include <dlcore/core/error.hpp>

#include "exercise.hpp"

namespace ch11 {

double log_uniform(dl::Rng& rng, double lo, double hi) {
  if (!(lo > 0) || !(hi > lo))
    throw dl::ValueError("log_uniform: needs 0 < lo < hi, got lo " + std::to_string(lo) +
                         " and hi " + std::to_string(hi));
  return lo * std::pow(hi / lo, rng.uniform());  // ln v uniform in [ln lo, ln hi)
}

std::vector<std::size_t> fold_indices(std::size_t n, std::size_t k, std::size_t fold) {
  if (k < 1 || k > n || fold >= k)
    throw dl::ValueError("fold_indices: needs 1 <= k <= n and fold < k, got n " +
                         std::to_string(n) + ", k " + std::to_string(k) + ", fold " +
                         std::to_string(fold));
  const std::size_t base = n / k, extra = n % k;  // the first `extra` folds get base + 1
  const std::size_t begin = fold * base + std::min(fold, extra);
  const std::size_t size = base + (fold < extra ? 1 : 0);
  std::vector<std::size_t> idx(size);
  for (std::size_t i = 0; i < size; ++i) idx[i] = begin + i;
  return idx;
}

}  // namespace ch11
