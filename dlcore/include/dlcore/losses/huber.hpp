#pragma once
/// \file
/// Huber loss (Huber 1964). Derivation: @ref ch03_losses "Chapter 3".

#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// Huber loss with threshold \f$ \delta \f$ on the error \f$ e = \hat y - y \f$:
/// \f$ \ell(e) = \frac12 e^2 \f$ for \f$ |e| \le \delta \f$, else
/// \f$ \delta(|e| - \frac12\delta) \f$; mean over all elements (PyTorch's HuberLoss).
/// Gradient: \f$ e \f$ inside, \f$ \delta\,\mathrm{sign}(e) \f$ outside, divided by ND.
/// Quadratic near zero like MSE, linear in the tails like the absolute error, so outliers
/// pull with a bounded force.
template <class T>
struct HuberLoss {
  T delta = T(1);
  struct Cache {
    Tensor2<T> e;  ///< \f$ \hat y - y \f$
  };
  HuberLoss() = default;
  explicit HuberLoss(T d);
  std::string describe() const { return "Huber(delta=" + std::to_string(delta) + ")"; }
  T forward(const Tensor2<T>& pred, const Tensor2<T>& target, Cache& cache) const;
  Tensor2<T> backward(const Cache& cache) const;
};

extern template struct HuberLoss<float>;
extern template struct HuberLoss<double>;

}  // namespace dl
