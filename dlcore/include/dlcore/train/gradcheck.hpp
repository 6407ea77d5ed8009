#pragma once
/// \file
/// The numerical gradient check: central differences against a hand-written backward.
/// Method and error measure: @ref ch04_backprop "Chapter 4, checking a gradient".

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "dlcore/core/compare.hpp"

namespace dl {

/// Outcome of comparing an analytic gradient with a numerical one for one tensor.
struct GradCheck {
  std::string name;         ///< which tensor
  double rel_error = 0;     ///< max|a - n| / max(max|a|, max|n|, 1e-12)
  std::size_t worst = 0;    ///< index of the largest |a - n|
  double analytic = 0;      ///< a at that index
  double numeric = 0;       ///< n at that index
  bool ok(double tol = 1e-6) const { return rel_error < tol; }
  std::string report() const {
    return name + ": relative error " + std::to_string(rel_error) + " (worst index " +
           std::to_string(worst) + ": analytic " + std::to_string(analytic) + ", numeric " +
           std::to_string(numeric) + ")";
  }
};

/// Compare `analytic` (n values) with the central difference
/// \f$ (L(x + h e_i) - L(x - h e_i)) / 2h \f$ for every coordinate of `x`.
/// `loss()` recomputes the scalar objective from the current contents of x; x is restored.
/// Use double: in float, the cancellation in the difference swamps a 1e-6 tolerance.
template <class T, class F>
GradCheck numerical_gradient_check(const std::string& name, T* x, const T* analytic,
                                   std::size_t n, F&& loss, T h = T(1e-5)) {
  GradCheck r;
  r.name = name;
  std::vector<double> numeric(n);
  for (std::size_t i = 0; i < n; ++i) {
    const T saved = x[i];
    x[i] = saved + h;
    const double up = double(loss());
    x[i] = saved - h;
    const double down = double(loss());
    x[i] = saved;
    numeric[i] = (up - down) / (2.0 * double(h));
  }
  r.rel_error = relative_error(analytic, numeric.data(), n);  // +inf if anything is NaN/inf
  double worst = -1;  // the largest |a - n|, a NaN counting as infinite
  for (std::size_t i = 0; i < n; ++i) {
    double d = std::abs(double(analytic[i]) - numeric[i]);
    if (std::isnan(d)) d = std::numeric_limits<double>::infinity();
    if (d > worst) {
      worst = d;
      r.worst = i;
      r.analytic = double(analytic[i]);
      r.numeric = numeric[i];
    }
  }
  return r;
}

}  // namespace dl
