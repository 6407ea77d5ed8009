// Exercise 1.1 -- reference solution.
#include "exercise.hpp"

namespace ch01 {

void perceptron_update(dl::Perceptron<double>& p, const dl::Tensor1<double>& x, int y, double eta) {
  double score = p.b;
  for (std::size_t j = 0; j < x.size(); ++j) score += p.w(j) * x(j);  // w.x + b
  const int yhat = score > 0 ? 1 : 0;                                  // the step activation
  const double delta = eta * double(y - yhat);                         // 0 when x is right
  for (std::size_t j = 0; j < x.size(); ++j) p.w(j) += delta * x(j);   // w += eta (y - yhat) x
  p.b += delta;                                                        // b += eta (y - yhat)
}

}  // namespace ch01
