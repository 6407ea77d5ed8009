// Exercise 6.1 -- your answer goes here (see exercise.hpp and docs/ch06_optimizers.md).
#include "exercise.hpp"

#include <cmath>

namespace ch06 {

void rmsprop_step(double* w, const double* g, double* s, std::size_t n, double lr, double rho,
                  double eps) {
  // TODO: for each i, update the running mean square s[i] from g[i], then step w[i].
}

}  // namespace ch06
