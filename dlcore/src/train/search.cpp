#include "dlcore/train/search.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl {

double log_uniform(Rng& rng, double lo, double hi) {
  if (!(lo > 0) || !(hi > lo))
    throw ValueError(fmt::format("log_uniform: needs 0 < lo < hi, got lo {} and hi {}", lo, hi));
  return lo * std::pow(hi / lo, rng.uniform());  // e^{ln lo + u (ln hi - ln lo)}
}

std::size_t log_uniform_int(Rng& rng, std::size_t lo, std::size_t hi) {
  if (lo < 1 || hi < lo)
    throw ValueError(fmt::format("log_uniform_int: needs 1 <= lo <= hi, got lo {} and hi {}", lo,
                                 hi));
  const double v = std::floor(log_uniform(rng, double(lo), double(hi) + 1.0));
  return std::clamp(std::size_t(v), lo, hi);  // clamp: rounding at the top end
}

}  // namespace dl
