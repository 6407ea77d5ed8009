// Exercises 5.1 and 5.2 -- reference solutions.
#include "exercise.hpp"

#include <algorithm>
#include <cmath>

namespace ch05 {

LinearGradient minibatch_gradient(const dl::Tensor2<double>& W, const dl::Tensor1<double>& b,
                                  const dl::Tensor2<double>& X, const dl::Labels& y,
                                  const std::vector<std::size_t>& batch) {
  const std::size_t D = W.shape(0), K = W.shape(1);
  const double B = double(batch.size());
  LinearGradient g;
  g.dW = xt::zeros<double>({D, K});
  g.db = xt::zeros<double>({K});
  std::vector<double> p(K);
  for (std::size_t i : batch) {
    // scores z_k = x . W(:, k) + b_k, then a stable softmax (subtract the largest score)
    for (std::size_t k = 0; k < K; ++k) {
      p[k] = b(k);
      for (std::size_t d = 0; d < D; ++d) p[k] += X(i, d) * W(d, k);
    }
    const double zmax = *std::max_element(p.begin(), p.end());
    double sum = 0;
    for (double& v : p) sum += (v = std::exp(v - zmax));
    for (std::size_t k = 0; k < K; ++k) {
      const double delta = (p[k] / sum - (std::size_t(y(i)) == k ? 1.0 : 0.0)) / B;  // (p - e_y) / B
      g.db(k) += delta;
      for (std::size_t d = 0; d < D; ++d) g.dW(d, k) += X(i, d) * delta;
    }
  }
  return g;
}

double contraction_factor(double eta, const std::vector<double>& curvatures) {
  double rho = 0;
  for (double lambda : curvatures) rho = std::max(rho, std::abs(1 - eta * lambda));
  return rho;
}

}  // namespace ch05
