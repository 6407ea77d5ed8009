#pragma once
/// \file
/// Comparing two computations of the same numbers: the relative error measure of the
/// gradient check (@ref ch04_backprop "Chapter 4"), for whole tensors and row by row.

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "dlcore/core/check.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ \max_i |a_i - b_i| / \max(\max_i |a_i|, \max_i |b_i|, 10^{-12}) \f$ over n values, the
/// measure dl::numerical_gradient_check reports; +infinity if any value is NaN or infinite.
template <class A, class B>
double relative_error(const A* a, const B* b, std::size_t n) {
  double diff = 0, scale = 1e-12;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = double(a[i]), y = double(b[i]);
    if (!std::isfinite(x) || !std::isfinite(y)) return std::numeric_limits<double>::infinity();
    diff = std::max(diff, std::abs(x - y));
    scale = std::max({scale, std::abs(x), std::abs(y)});
  }
  return diff / scale;
}

/// relative_error() of two tensors of the same shape (ShapeError otherwise).
template <class EA, class EB>
double relative_error(const EA& a, const EB& b) {
  check_same_shape("relative_error", "a", a, "b", b);
  return relative_error(a.data(), b.data(), a.size());
}

/// relative_error() of each row of two matrices of the same shape: (N) values.
template <class TA, class TB>
std::vector<double> row_relative_errors(const Tensor2<TA>& a, const Tensor2<TB>& b) {
  check_same_shape("row_relative_errors", "a", a, "b", b);
  const std::size_t n = a.shape(0), d = a.shape(1);
  std::vector<double> r(n);
  for (std::size_t i = 0; i < n; ++i) r[i] = relative_error(a.data() + i * d, b.data() + i * d, d);
  return r;
}

}  // namespace dl
