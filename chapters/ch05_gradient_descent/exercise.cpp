// Exercises 5.1 and 5.2 -- your answers go here (see exercise.hpp and
// docs/ch05_gradient_descent.md).
#include "exercise.hpp"

namespace ch05 {

LinearGradient minibatch_gradient(const dl::Tensor2<double>& W, const dl::Tensor1<double>& b,
                                  const dl::Tensor2<double>& X, const dl::Labels& y,
                                  const std::vector<std::size_t>& batch) {
  LinearGradient g;
  g.dW = xt::zeros<double>(W.shape());
  g.db = xt::zeros<double>(b.shape());
  // TODO: for each row i in `batch`: scores z = X(i, :) W + b, probabilities p = softmax(z),
  // then dW += X(i, :)^T (p - e_{y(i)}) / B and db += (p - e_{y(i)}) / B.
  return g;
}

double contraction_factor(double eta, const std::vector<double>& curvatures) {
  // TODO: the largest |1 - eta * lambda| over the curvatures lambda.
  return 0.0;
}

}  // namespace ch05
