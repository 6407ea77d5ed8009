// Exercise 6.1 -- reference solution.
#include "exercise.hpp"

#include <cmath>

namespace ch06 {

void rmsprop_step(double* w, const double* g, double* s, std::size_t n, double lr, double rho,
                  double eps) {
  for (std::size_t i = 0; i < n; ++i) {
    s[i] = rho * s[i] + (1 - rho) * g[i] * g[i];   // leaky average of g^2
    w[i] -= lr * g[i] / (std::sqrt(s[i]) + eps);    // a step scaled by the recent gradient size
  }
}

}  // namespace ch06
