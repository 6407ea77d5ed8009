#pragma once
/// \file
/// Flatten: an image batch (N, C, H, W) as a matrix (N, C H W), for the dense layers after
/// the convolutions.

#include <array>
#include <cstddef>
#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ Y_{n, (c H + h) W + w} = X_{n,c,h,w} \f$: the same numbers in row-major order, so the
/// layer only reshapes (PyTorch's nn.Flatten; Keras flattens (H, W, C) instead, a different
/// order of the same features). Backward reshapes the gradient back.
template <class T>
struct Flatten {
  struct Cache {
    std::array<std::size_t, 4> x_shape{};  ///< (N, C, H, W) of the input
  };
  Tensor2<T> forward(const Tensor4<T>& x, Cache& cache) const;
  Tensor4<T> backward(const Tensor2<T>& dy, const Cache& cache) const;
  std::string describe() const { return "Flatten"; }
};

extern template struct Flatten<float>;
extern template struct Flatten<double>;

}  // namespace dl
