#pragma once
/// \file
/// The two halves of a depthwise-separable convolution (Chollet 2017; Howard et al. 2017,
/// MobileNet): a depthwise convolution that filters each channel on its own, and a
/// pointwise (1x1) convolution that mixes channels at each position.

#include <string>
#include <vector>

#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/layers/init.hpp"

namespace dl {

/// Depthwise convolution: one k x k filter per channel, no mixing between channels
/// (PyTorch's `Conv2d(C, C, k, groups=C)`):
/// \f$ Y_{n,c,h,w} = b_c + \sum_{i,j} W_{c,i,j}\, X_{n,c,hs+i-p,ws+j-p} \f$.
///
/// Shapes: X (N, C, H, W), W (C, 1, k, k) as in PyTorch, b (C), Y (N, C, Ho, Wo) with
/// Ho = (H + 2p - k)/s + 1. Direct loops over contiguous planes (there is no GEMM to be
/// had: each output mixes only k^2 inputs). Cost per image: \f$ C\,H_o W_o k^2 \f$
/// multiply-adds, \f$ C_{out} \f$ times less than a full convolution's.
/// Derivation: @ref ch14_modern_cnns "Chapter 14".
template <class T>
struct DepthwiseConv2D {
  Tensor4<T> W;   ///< filters (C, 1, k, k)
  Tensor1<T> b;   ///< bias (C)
  Tensor4<T> dW;  ///< gradient of W, accumulated by backward()
  Tensor1<T> db;  ///< gradient of b, accumulated by backward()
  std::size_t stride = 1;   ///< step of the window, both axes
  std::size_t padding = 0;  ///< zeros added on each side, both axes
  /// When false, backward() skips dX (the first layer of a network needs none).
  bool input_grad = true;

  struct Cache {
    Tensor4<T> x;  ///< the input X, for dW
  };

  DepthwiseConv2D() = default;
  /// C filters of size kernel x kernel, from `init` with fan_in = fan_out = k^2; bias zero.
  DepthwiseConv2D(std::size_t channels, std::size_t kernel, Rng& rng, std::size_t stride = 1,
                  std::size_t padding = 0, Init init = Init::he_uniform);

  std::size_t channels() const { return W.shape(0); }
  std::size_t kernel() const { return W.shape(2); }

  /// \f$ Y_{n,c} = b_c + W_c \star X_{n,c} \f$ per plane; caches X.
  Tensor4<T> forward(const Tensor4<T>& x, Cache& cache) const;
  /// \f$ dW_{c,i,j} \mathrel{+}= \sum_{n,h,w} G_{n,c,h,w} X_{n,c,hs+i-p,ws+j-p} \f$,
  /// \f$ db_c \mathrel{+}= \sum G_{n,c} \f$; returns
  /// \f$ dX_{n,c,hs+i-p,ws+j-p} = \sum W_{c,i,j} G_{n,c,h,w} \f$.
  Tensor4<T> backward(const Tensor4<T>& dy, const Cache& cache);

  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "DepthwiseConv2D(32, 3x3, stride 1, pad 1)"
};

/// Pointwise (1x1) convolution: at every position, the same linear map of the C_in channel
/// values to C_out: \f$ Y_n = W X_n + b\mathbf{1}^\top \f$ with \f$ X_n \f$ the (C_in, H W)
/// matrix of image n. One GEMM per image, no im2col (for a 1x1 kernel it would be a copy).
///
/// Shapes: X (N, C_in, H, W), W (C_out, C_in, 1, 1) as in PyTorch, b (C_out),
/// Y (N, C_out, H, W). Derivation: @ref ch14_modern_cnns "Chapter 14".
template <class T>
struct PointwiseConv2D {
  Tensor4<T> W;   ///< weights (C_out, C_in, 1, 1)
  Tensor1<T> b;   ///< bias (C_out)
  Tensor4<T> dW;  ///< gradient of W, accumulated by backward()
  Tensor1<T> db;  ///< gradient of b, accumulated by backward()
  /// When false, backward() skips dX (the first layer of a network needs none).
  bool input_grad = true;

  struct Cache {
    Tensor4<T> x;  ///< the input X, for dW
  };

  PointwiseConv2D() = default;
  /// Weights from `init` with fan_in = C_in, fan_out = C_out; bias zero.
  PointwiseConv2D(std::size_t c_in, std::size_t c_out, Rng& rng, Init init = Init::he_uniform);

  std::size_t c_in() const { return W.shape(1); }
  std::size_t c_out() const { return W.shape(0); }

  /// \f$ Y_n = W X_n + b \mathbf{1}^\top \f$ for every image n; caches X.
  Tensor4<T> forward(const Tensor4<T>& x, Cache& cache) const;
  /// \f$ dW \mathrel{+}= \sum_n G_n X_n^\top \f$, \f$ db \mathrel{+}= \sum_{n,h,w} G \f$;
  /// returns \f$ dX_n = W^\top G_n \f$.
  Tensor4<T> backward(const Tensor4<T>& dy, const Cache& cache);

  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "PointwiseConv2D(32 -> 64)"
};

extern template struct DepthwiseConv2D<float>;
extern template struct DepthwiseConv2D<double>;
extern template struct PointwiseConv2D<float>;
extern template struct PointwiseConv2D<double>;

}  // namespace dl
