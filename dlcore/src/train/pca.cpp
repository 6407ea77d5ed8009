#include "dlcore/train/pca.hpp"

#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/core/rng.hpp"

namespace dl {

Tensor2<double> Pca::project(const Tensor2<double>& X) const {
  const std::size_t N = X.shape(0), D = mean.size(), k = components.shape(0);
  if (X.shape(1) != D) throw ShapeError(fmt::format("Pca::project: rows of {} values, components of {}", X.shape(1), D));
  Tensor2<double> P = xt::zeros<double>({N, k});
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t c = 0; c < k; ++c)
      for (std::size_t d = 0; d < D; ++d) P(n, c) += (X(n, d) - mean(d)) * components(c, d);
  return P;
}

Pca pca(const Tensor2<double>& X, std::size_t k) {
  const std::size_t N = X.shape(0), D = X.shape(1);
  if (N < 2 || k == 0 || k > D) throw ValueError(fmt::format("pca: {} components of {} rows of {} values", k, N, D));
  Pca p;
  p.mean = xt::zeros<double>({D});
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t d = 0; d < D; ++d) p.mean(d) += X(n, d) / double(N);
  Tensor2<double> S = xt::zeros<double>({D, D});  // the covariance
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t i = 0; i < D; ++i)
      for (std::size_t j = 0; j < D; ++j) S(i, j) += (X(n, i) - p.mean(i)) * (X(n, j) - p.mean(j)) / double(N);
  for (std::size_t i = 0; i < D; ++i) p.total_variance += S(i, i);
  p.components = xt::zeros<double>({k, D});
  Rng rng(0);
  for (std::size_t c = 0; c < k; ++c) {
    std::vector<double> v(D), w(D);
    for (auto& x : v) x = rng.normal();
    double lambda = 0;
    for (int it = 0; it < 5000; ++it) {  // v <- S v / |S v| until it stops turning
      for (std::size_t i = 0; i < D; ++i) {
        w[i] = 0;
        for (std::size_t j = 0; j < D; ++j) w[i] += S(i, j) * v[j];
      }
      double norm = 0, change = 0;
      for (double x : w) norm += x * x;
      norm = std::sqrt(norm);
      if (norm == 0) break;  // no variance left
      for (std::size_t i = 0; i < D; ++i) {
        change += std::abs(w[i] / norm - v[i]);
        v[i] = w[i] / norm;
      }
      lambda = norm;
      if (change < 1e-12) break;
    }
    std::size_t big = 0;
    for (std::size_t i = 1; i < D; ++i) if (std::abs(v[i]) > std::abs(v[big])) big = i;
    const double sign = v[big] < 0 ? -1.0 : 1.0;
    for (std::size_t i = 0; i < D; ++i) p.components(c, i) = sign * v[i];
    p.variance.push_back(lambda);
    for (std::size_t i = 0; i < D; ++i)  // deflate: S -= lambda v v^T
      for (std::size_t j = 0; j < D; ++j) S(i, j) -= lambda * v[i] * v[j];
  }
  return p;
}

}  // namespace dl
