// Exercise 2.1 -- reference solution.
#include "exercise.hpp"

#include <dlcore/core/check.hpp>

namespace ch02 {

dl::Tensor2<double> leaky_relu_forward(const dl::Tensor2<double>& x, double alpha) {
  return xt::where(x > 0.0, x, alpha * x);  // x where x > 0, else alpha x
}

dl::Tensor2<double> leaky_relu_backward(const dl::Tensor2<double>& dy, const dl::Tensor2<double>& x,
                                        double alpha) {
  dl::check_same_shape("leaky_relu_backward", "gradient dy", dy, "input x", x);
  return xt::where(x > 0.0, dy, alpha * dy);  // dy * (x > 0 ? 1 : alpha)
}

}  // namespace ch02
