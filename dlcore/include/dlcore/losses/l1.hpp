#pragma once
/// \file
/// Mean absolute error (L1 loss). Derivation: @ref ch03_losses "Chapter 3".

#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ L = \frac{1}{ND}\sum_{i,j} |\hat y_{ij} - y_{ij}| \f$ (mean over every element, as
/// PyTorch's L1Loss); \f$ \partial L/\partial \hat y = \frac{1}{ND}\,\mathrm{sign}(\hat y - y) \f$,
/// taken as 0 where the error is exactly 0. The maximum-likelihood loss for Laplace noise:
/// it fits the conditional median, and every example pulls with the same force, however far
/// off it is. Shapes: prediction and target (N, D).
template <class T>
struct L1Loss {
  struct Cache {
    Tensor2<T> diff;  ///< \f$ \hat y - y \f$
  };
  std::string describe() const { return "L1"; }
  T forward(const Tensor2<T>& pred, const Tensor2<T>& target, Cache& cache) const;
  Tensor2<T> backward(const Cache& cache) const;
};

extern template struct L1Loss<float>;
extern template struct L1Loss<double>;

}  // namespace dl
