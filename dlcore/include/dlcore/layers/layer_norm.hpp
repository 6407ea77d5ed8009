#pragma once
/// \file
/// Layer normalisation (Ba, Kiros & Hinton 2016): every position's feature vector normalised
/// on its own, the Transformer's normaliser. Derivation: @ref ch20_layernorm
/// "Chapter 20, layer normalisation".

#include <string>
#include <vector>

#include "dlcore/core/param.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ y = \gamma \odot \hat x + \beta,\quad \hat x = (x - \mu)/\sqrt{\sigma^2 + \epsilon} \f$,
/// with \f$ \mu, \sigma^2 \f$ the mean and (biased) variance of the D features of one row, over
/// the last axis of a matrix (N, D) or a sequence batch (T, N, D): PyTorch's
/// `nn.LayerNorm(D)`. Unlike BatchNorm nothing is shared between the rows of a batch, so
/// training and inference compute the same thing and a padded position changes nothing.
///
/// Backward, per row with \f$ g = \gamma \odot dy \f$:
/// \f$ dx = \frac{1}{\sqrt{\sigma^2+\epsilon}}\big(g - \overline{g} - \hat x\, \overline{g \odot \hat x}\big) \f$
/// (bars: means over the D features); \f$ d\gamma \mathrel{+}= \sum dy \odot \hat x \f$,
/// \f$ d\beta \mathrel{+}= \sum dy \f$ over the rows.
template <class T>
struct LayerNorm {
  Tensor1<T> gamma, beta;    ///< scale and shift (D), initially 1 and 0
  Tensor1<T> dgamma, dbeta;  ///< gradients, accumulated by backward()
  T eps = T(1e-5);           ///< PyTorch's default
  bool input_grad = true;

  struct Cache {
    Tensor2<T> xhat;            ///< \f$ \hat x \f$ (rows, D)
    std::vector<T> rstd;        ///< \f$ 1/\sqrt{\sigma^2+\epsilon} \f$ per row
    std::vector<std::size_t> shape;  ///< the input's shape
  };

  LayerNorm() = default;
  explicit LayerNorm(std::size_t features, T epsilon = T(1e-5));

  std::size_t features() const { return gamma.size(); }

  template <std::size_t R>
  xt::xtensor<T, R> forward(const xt::xtensor<T, R>& x, Cache& cache) const;
  template <std::size_t R>
  xt::xtensor<T, R> backward(const xt::xtensor<T, R>& dy, const Cache& cache);

  /// The row kernels on contiguous memory: `rows` rows of D features.
  void forward_rows(const T* x, std::size_t rows, T* y, Cache& cache) const;
  void backward_rows(const T* dy, std::size_t rows, const Cache& cache, T* dx);

  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "LayerNorm(64)"
};

extern template struct LayerNorm<float>;
extern template struct LayerNorm<double>;

}  // namespace dl
