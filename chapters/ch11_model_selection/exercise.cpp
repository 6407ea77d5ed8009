// Exercises 11.1 and 11.2 -- your answers go here (see exercise.hpp and
// docs/ch11_model_selection.md).
#include "exercise.hpp"

namespace ch11 {

double log_uniform(dl::Rng& rng, double lo, double hi) {
  (void)rng, (void)lo, (void)hi;
  // TODO: draw u = rng.uniform() once and return lo * (hi / lo)^u; check 0 < lo < hi.
  return 0.0;
}

std::vector<std::size_t> fold_indices(std::size_t n, std::size_t k, std::size_t fold) {
  (void)n, (void)k, (void)fold;
  // TODO: the block of indices of this fold; check 1 <= k <= n and fold < k.
  return {};
}

}  // namespace ch11
