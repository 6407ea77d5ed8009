#pragma once
/// \file
/// Pooling over windows of an image batch: MaxPool2D and AvgPool2D.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// Max pooling: \f$ Y_{n,c,h,w} = \max_{i,j < k} X_{n,c,hs+i-p,ws+j-p} \f$ (padding never wins).
///
/// Shapes: X (N, C, H, W), Y (N, C, Ho, Wo), Ho = (H + 2p - k)/s + 1 (floor, as PyTorch and
/// Keras' "valid"). Backward routes each output's gradient to the input that won the max;
/// the forward pass keeps that winner's index. A NaN in a window wins it (the last one, as
/// in PyTorch), so a diverging activation is not hidden.
/// Derivation: @ref ch12_convolution "Chapter 12, backward through pooling".
template <class T>
struct MaxPool2D {
  std::size_t kernel = 2;   ///< window size (square)
  std::size_t stride = 2;   ///< step of the window
  std::size_t padding = 0;  ///< -infinity added on each side; at most kernel/2

  struct Cache {
    std::vector<std::size_t> x_shape;   ///< (N, C, H, W) of the input
    std::vector<std::uint32_t> argmax;  ///< per output: flat index of the winner within its (H, W) map
  };

  MaxPool2D() = default;
  /// A k x k window moving by `stride` (default: k, non-overlapping windows).
  explicit MaxPool2D(std::size_t k, std::size_t stride = 0, std::size_t padding = 0);

  Tensor4<T> forward(const Tensor4<T>& x, Cache& cache) const;
  /// \f$ dX_{n,c,a} = \sum_{(h,w):\ \mathrm{argmax}(h,w) = a} G_{n,c,h,w} \f$.
  Tensor4<T> backward(const Tensor4<T>& dy, const Cache& cache) const;
  std::string describe() const;  ///< "MaxPool2D(2x2, stride 2)"
};

/// Average pooling: \f$ Y_{n,c,h,w} = \frac{1}{k^2} \sum_{i,j < k} X_{n,c,hs+i-p,ws+j-p} \f$;
/// padding counts as zeros in the average (PyTorch's count_include_pad = True).
/// Backward spreads each output's gradient evenly, \f$ G/k^2 \f$, over its window.
/// Derivation: @ref ch12_convolution "Chapter 12, backward through pooling".
template <class T>
struct AvgPool2D {
  std::size_t kernel = 2;
  std::size_t stride = 2;
  std::size_t padding = 0;  ///< zeros added on each side; at most kernel/2

  struct Cache {
    std::vector<std::size_t> x_shape;  ///< (N, C, H, W) of the input
  };

  AvgPool2D() = default;
  explicit AvgPool2D(std::size_t k, std::size_t stride = 0, std::size_t padding = 0);

  Tensor4<T> forward(const Tensor4<T>& x, Cache& cache) const;
  /// \f$ dX_{n,c,hs+i-p,ws+j-p} \mathrel{+}= G_{n,c,h,w}/k^2 \f$ for every window position.
  Tensor4<T> backward(const Tensor4<T>& dy, const Cache& cache) const;
  std::string describe() const;  ///< "AvgPool2D(2x2, stride 2)"
};

extern template struct MaxPool2D<float>;
extern template struct MaxPool2D<double>;
extern template struct AvgPool2D<float>;
extern template struct AvgPool2D<double>;

}  // namespace dl
