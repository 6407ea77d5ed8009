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

}  // namespace dl
