// Exercise 4.1 -- reference solution: the chain rule in matrix form, one line per step.
#include <dlcore/core/gemm.hpp>
#include <dlcore/layers/activations.hpp>

#include "exercise.hpp"

namespace ch04 {

MlpGrads mlp2_backward(const dl::Tensor2<double>& X, const dl::Tensor2<double>& W1,
                       const dl::Tensor1<double>& b1, const dl::Tensor2<double>& W2,
                       const dl::Tensor1<double>& b2, const dl::Labels& y, Hidden f) {
  using dl::matmul;
  using dl::Op;
  const std::size_t N = X.shape(0);
  // forward, keeping what backward needs
  const dl::Tensor2<double> Z1 = matmul(X, W1) + b1;                  // (N, H), b1 broadcast over rows
  const dl::Tensor2<double> A1 = f == Hidden::tanh ? dl::Tensor2<double>(xt::tanh(Z1))
                                                   : dl::Tensor2<double>(xt::maximum(Z1, 0.0));
  const dl::Tensor2<double> Z2 = matmul(A1, W2) + b2;                 // (N, K)
  const dl::Tensor2<double> P = dl::softmax_rows(Z2);                 // (N, K), row by row
  // backward
  dl::Tensor2<double> G2 = P;                                          // dL/dZ2 = (P - E_y) / N
  for (std::size_t i = 0; i < N; ++i) G2(i, std::size_t(y(i))) -= 1.0;
  G2 /= double(N);
  MlpGrads g;
  g.dW2 = matmul(A1, G2, Op::T, Op::N);                                 // (H, K) = A1^T G2
  g.db2 = xt::sum(G2, {0});                                            // (K)    = 1^T G2
  const dl::Tensor2<double> dA1 = matmul(G2, W2, Op::N, Op::T);         // (N, H) = G2 W2^T
  const dl::Tensor2<double> G1 = f == Hidden::tanh
                                     ? dl::Tensor2<double>(dA1 * (1.0 - A1 * A1))   // tanh' = 1 - A1^2
                                     : dl::Tensor2<double>(dA1 * xt::cast<double>(Z1 > 0.0));  // relu' = [Z1 > 0]
  g.dW1 = matmul(X, G1, Op::T, Op::N);                                  // (D, H) = X^T G1
  g.db1 = xt::sum(G1, {0});                                            // (H)    = 1^T G1
  return g;
}

}  // namespace ch04
