// Exercises 9.1 and 9.2: reference solution.
#include "exercise.hpp"

#include <cmath>

namespace ch09 {

double xavier_std(std::size_t fan_in, std::size_t fan_out) {
  return std::sqrt(2.0 / double(fan_in + fan_out));  // Var = 2 / (n_in + n_out)
}

double he_std(std::size_t fan_in) {
  return std::sqrt(2.0 / double(fan_in));  // Var = 2 / n_in
}

double clip_by_global_norm(std::vector<std::vector<double>>& grads, double max_norm) {
  double s = 0;
  for (const auto& g : grads)
    for (double v : g) s += v * v;
  const double norm = std::sqrt(s);
  const double coef = max_norm / (norm + 1e-6);
  if (coef < 1)
    for (auto& g : grads)
      for (double& v : g) v *= coef;
  return norm;
}

}  // namespace ch09
