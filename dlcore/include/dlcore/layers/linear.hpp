#pragma once
/// \file
/// Fully connected (dense, affine) layer.

#include <vector>

#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/layers/init.hpp"

namespace dl {

/// Fully connected layer \f$ Y = XW + \mathbf{1}b^\top \f$.
///
/// Shapes: X (N, D_in), W (D_in, D_out), b (D_out), Y (N, D_out).
/// Derivation of backward: @ref ch04_backprop "Chapter 4, backprop through an affine layer".
template <class T>
struct Linear {
  Tensor2<T> W;   ///< weights (D_in, D_out)
  Tensor1<T> b;   ///< bias (D_out)
  Tensor2<T> dW;  ///< gradient of W, accumulated by backward(); zeroed once per step
  Tensor1<T> db;  ///< gradient of b, accumulated by backward()
  /// When false, backward() skips \f$ dX \f$ (the first layer of a network needs none):
  /// a third of the layer's cost.
  bool input_grad = true;

  struct Cache {
    Tensor2<T> x;  ///< the input X, needed for dW
  };

  Linear() = default;
  /// Weights from `init` (fan_in = D_in, fan_out = D_out), bias zero.
  Linear(std::size_t d_in, std::size_t d_out, Rng& rng, Init init = Init::xavier_uniform);

  std::size_t d_in() const { return W.shape(0); }
  std::size_t d_out() const { return W.shape(1); }

  /// \f$ Y = XW + \mathbf{1}b^\top \f$; caches X.
  Tensor2<T> forward(const Tensor2<T>& x, Cache& cache) const;
  /// \f$ dW \mathrel{+}= X^\top G,\ db \mathrel{+}= \mathbf{1}^\top G \f$; returns
  /// \f$ dX = G W^\top \f$ (empty when input_grad is false). G = dL/dY is not modified.
  Tensor2<T> backward(const Tensor2<T>& dy, const Cache& cache);

  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "Linear(784 -> 512)"
};

extern template struct Linear<float>;
extern template struct Linear<double>;

}  // namespace dl
