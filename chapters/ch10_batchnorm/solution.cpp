// Exercises 10.1 and 10.2 -- reference solution.
#include "exercise.hpp"

#include <cmath>

namespace ch10 {

BnForward batchnorm_forward(const xt::xtensor<double, 2>& x, const xt::xtensor<double, 1>& gamma,
                            const xt::xtensor<double, 1>& beta, double eps) {
  const std::size_t N = x.shape(0), D = x.shape(1);
  BnForward f;
  f.mean = xt::zeros<double>({D});
  f.var = xt::zeros<double>({D});
  f.xhat = xt::zeros<double>({N, D});
  f.y = xt::zeros<double>({N, D});
  for (std::size_t j = 0; j < D; ++j) {
    for (std::size_t i = 0; i < N; ++i) f.mean(j) += x(i, j) / double(N);  // mu_j
    for (std::size_t i = 0; i < N; ++i) {
      const double d = x(i, j) - f.mean(j);
      f.var(j) += d * d / double(N);  // sigma_j^2, biased
    }
    const double sigma = std::sqrt(f.var(j) + eps);
    for (std::size_t i = 0; i < N; ++i) {
      f.xhat(i, j) = (x(i, j) - f.mean(j)) / sigma;
      f.y(i, j) = gamma(j) * f.xhat(i, j) + beta(j);
    }
  }
  return f;
}

BnGrads batchnorm_backward(const xt::xtensor<double, 2>& dy, const BnForward& fwd,
                           const xt::xtensor<double, 1>& gamma, double eps) {
  const std::size_t N = dy.shape(0), D = dy.shape(1);
  BnGrads g;
  g.dx = xt::zeros<double>({N, D});
  g.dgamma = xt::zeros<double>({D});
  g.dbeta = xt::zeros<double>({D});
  for (std::size_t j = 0; j < D; ++j) {
    for (std::size_t i = 0; i < N; ++i) {
      g.dbeta(j) += dy(i, j);                     // sum dy
      g.dgamma(j) += dy(i, j) * fwd.xhat(i, j);   // sum dy xhat
    }
    const double sigma = std::sqrt(fwd.var(j) + eps);
    for (std::size_t i = 0; i < N; ++i)
      g.dx(i, j) = gamma(j) / (double(N) * sigma) *
                   (double(N) * dy(i, j) - g.dbeta(j) - fwd.xhat(i, j) * g.dgamma(j));
  }
  return g;
}

}  // namespace ch10
