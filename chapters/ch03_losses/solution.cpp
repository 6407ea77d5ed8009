// Exercise 3.1 -- reference solution.
#include "exercise.hpp"

namespace ch03 {

dl::Tensor2<double> huber_gradient(const dl::Tensor2<double>& pred,
                                   const dl::Tensor2<double>& target, double delta) {
  const double n = double(pred.size());
  dl::Tensor2<double> grad = pred - target;  // e
  for (double& g : grad) {
    if (g > delta) g = delta;               // linear region: the pull is capped at delta
    else if (g < -delta) g = -delta;
    g /= n;                                 // the mean over N D elements
  }
  return grad;
}

}  // namespace ch03
