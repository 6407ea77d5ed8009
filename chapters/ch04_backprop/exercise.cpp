// Exercise 4.1 -- your answer goes here (see exercise.hpp and docs/ch04_backprop.md).
#include "exercise.hpp"

namespace ch04 {

MlpGrads mlp2_backward(const dl::Tensor2<double>& X, const dl::Tensor2<double>& W1,
                       const dl::Tensor1<double>& b1, const dl::Tensor2<double>& W2,
                       const dl::Tensor1<double>& b2, const dl::Labels& y, Hidden f) {
  MlpGrads g;
  g.dW1 = xt::zeros<double>(W1.shape());
  g.db1 = xt::zeros<double>(b1.shape());
  g.dW2 = xt::zeros<double>(W2.shape());
  g.db2 = xt::zeros<double>(b2.shape());
  // TODO: the forward pass (keep Z1, A1 and P), then the backward pass:
  // G2 = dL/dZ2, then dW2 and db2, then dL/dA1, G1 = dL/dZ1, then dW1 and db1.
  return g;
}

}  // namespace ch04
