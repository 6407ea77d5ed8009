#include "dlcore/train/standardize.hpp"

#include <cmath>

#include "dlcore/core/error.hpp"

namespace dl {

Standardizer Standardizer::fit(const Tensor2<float>& X) {
  const std::size_t N = X.shape(0), D = X.shape(1);
  if (N == 0 || D == 0) throw ValueError("Standardizer::fit: empty training matrix " + shape_str(X.shape()));
  Standardizer s;
  s.mean = xt::zeros<double>({D});
  s.std = xt::zeros<double>({D});
  //! [standardize_fit]
  for (std::size_t n = 0; n < N; ++n)  // mu_d = sum_n x_nd / N
    for (std::size_t d = 0; d < D; ++d) s.mean(d) += X(n, d);
  for (std::size_t d = 0; d < D; ++d) s.mean(d) /= double(N);
  for (std::size_t n = 0; n < N; ++n)  // sigma_d^2 = sum_n (x_nd - mu_d)^2 / N
    for (std::size_t d = 0; d < D; ++d) s.std(d) += (X(n, d) - s.mean(d)) * (X(n, d) - s.mean(d));
  for (std::size_t d = 0; d < D; ++d) s.std(d) = std::sqrt(s.std(d) / double(N));
  //! [standardize_fit]
  return s;
}

Tensor2<float> Standardizer::transform(const Tensor2<float>& X) const {
  if (X.shape(1) != mean.size())
    throw ShapeError("Standardizer::transform: X has shape " + shape_str(X.shape()) + " but the fitted data had " +
                     std::to_string(mean.size()) + " features");
  Tensor2<float> out = Tensor2<float>::from_shape(X.shape());
  //! [standardize_transform]
  for (std::size_t d = 0; d < mean.size(); ++d) {
    const double scale = std(d) < min_std ? 1.0 : 1.0 / std(d);  // constant features: centred only
    for (std::size_t n = 0; n < X.shape(0); ++n) out(n, d) = float((X(n, d) - mean(d)) * scale);
  }
  //! [standardize_transform]
  return out;
}

}  // namespace dl
