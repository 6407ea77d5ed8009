// Exercises 8.1 and 8.2: reference solution.
#include "exercise.hpp"

#include <cmath>

namespace ch08 {

std::vector<double> dropout_forward(const std::vector<double>& x, const std::vector<int>& keep,
                                    double p) {
  std::vector<double> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = keep[i] ? x[i] / (1 - p) : 0.0;  // x k / (1-p)
  return y;
}

std::vector<double> dropout_backward(const std::vector<double>& dy, const std::vector<int>& keep,
                                     double p) {
  return dropout_forward(dy, keep, p);  // the same linear map: dy k / (1-p)
}

double l2_penalty(const std::vector<double>& w, double lambda, std::vector<double>& grad) {
  grad.resize(w.size());
  double s = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    s += w[i] * w[i];
    grad[i] = lambda * w[i];  // d/dw (lambda/2) w^2
  }
  return 0.5 * lambda * s;
}

double l1_penalty(const std::vector<double>& w, double lambda, std::vector<double>& grad) {
  grad.resize(w.size());
  double s = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    s += std::abs(w[i]);
    grad[i] = w[i] > 0 ? lambda : w[i] < 0 ? -lambda : 0.0;  // lambda sign(w)
  }
  return lambda * s;
}

}  // namespace ch08
