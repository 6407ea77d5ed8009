// Exercises 8.1 and 8.2 -- your answers go here (see exercise.hpp and docs/ch08_regularization.md).
#include "exercise.hpp"

namespace ch08 {

std::vector<double> dropout_forward(const std::vector<double>& x, const std::vector<int>& keep,
                                    double p) {
  (void)keep;
  (void)p;
  // TODO: drop the elements whose keep[i] is 0 and scale the others by 1 / (1 - p).
  return x;
}

std::vector<double> dropout_backward(const std::vector<double>& dy, const std::vector<int>& keep,
                                     double p) {
  (void)keep;
  (void)p;
  // TODO: the gradient flows only through the kept elements, scaled like the forward.
  return dy;
}

double l2_penalty(const std::vector<double>& w, double lambda, std::vector<double>& grad) {
  (void)lambda;
  grad.assign(w.size(), 0.0);
  // TODO: the value (lambda/2) sum w^2 and its gradient.
  return 0.0;
}

double l1_penalty(const std::vector<double>& w, double lambda, std::vector<double>& grad) {
  (void)lambda;
  grad.assign(w.size(), 0.0);
  // TODO: the value lambda sum |w| and its subgradient, with sign(0) = 0.
  return 0.0;
}

}  // namespace ch08
