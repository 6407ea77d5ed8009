#include "dlcore/core/check.hpp"

namespace dl {

void check_labels(const std::string& who, const Labels& y, std::size_t n, std::size_t K) {
  if (y.size() != n)
    throw ShapeError(who + ": " + std::to_string(y.size()) + " labels for " + std::to_string(n) +
                     " rows");
  for (std::size_t i = 0; i < n; ++i)
    if (y(i) < 0 || std::size_t(y(i)) >= K)
      throw ValueError(who + ": label " + std::to_string(y(i)) + " at row " + std::to_string(i) +
                       " is outside [0, " + std::to_string(K) + ")");
}

void check_tags(const std::string& who, const Tags& tags, std::size_t T, std::size_t N,
                std::size_t K, const Lengths& lengths) {
  if (tags.shape(0) != N || tags.shape(1) != T)
    throw ShapeError(who + ": tags have shape " + shape_str(tags.shape()) + " but expected (N, T) = " +
                     shape_str(std::vector<std::size_t>{N, T}));
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t L = lengths.empty() ? T : lengths[n];
    for (std::size_t t = 0; t < L; ++t)
      if (tags(n, t) < 0 || std::size_t(tags(n, t)) >= K)
        throw ValueError(who + ": tag " + std::to_string(tags(n, t)) + " of sequence " +
                         std::to_string(n) + " at step " + std::to_string(t) + " is outside [0, " +
                         std::to_string(K) + ")");
  }
}

}  // namespace dl
