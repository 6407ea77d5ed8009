#pragma once
/// \file
/// Mean squared error. Derivation: @ref ch03_losses "Chapter 3".

#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ L = \frac{1}{ND}\sum_{i,j} (\hat y_{ij} - y_{ij})^2 \f$ (mean over every element, as
/// PyTorch's MSELoss); \f$ \partial L/\partial \hat y = \frac{2}{ND}(\hat y - y) \f$.
/// Shapes: prediction and target (N, D).
template <class T>
struct MSELoss {
  struct Cache {
    Tensor2<T> diff;  ///< \f$ \hat y - y \f$
  };
  std::string describe() const { return "MSE"; }
  T forward(const Tensor2<T>& pred, const Tensor2<T>& target, Cache& cache) const;
  Tensor2<T> backward(const Cache& cache) const;
};

extern template struct MSELoss<float>;
extern template struct MSELoss<double>;

}  // namespace dl
