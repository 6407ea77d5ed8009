#pragma once
/// \file
/// Batch normalisation (Ioffe & Szegedy 2015) for feature matrices (N, D) and for feature
/// maps (N, C, H, W), with PyTorch's conventions: eps 1e-5, momentum 0.1, normalise with the
/// biased batch variance, track the unbiased one.
/// Derivation: @ref ch10_batchnorm "Chapter 10".

#include <string>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/core/param.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// Batch normalisation over every axis but the channel axis 1.
///
/// Rank 2, X (N, D): each of the D features is normalised over the N examples
/// (BatchNorm1d). Rank 4, X (N, C, H, W): each channel is normalised over the
/// \f$ M = N H W \f$ values it has in the batch (BatchNorm2d). Per channel c, in training:
/// \f[ \mu_c = \tfrac{1}{M}\textstyle\sum x, \quad \sigma_c^2 = \tfrac{1}{M}\sum (x-\mu_c)^2,
///     \quad \hat x = \frac{x - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}}, \quad
///     y = \gamma_c \hat x + \beta_c, \f]
/// and the running statistics move towards the batch's:
/// \f$ \bar\mu \leftarrow (1-m)\bar\mu + m\mu_c \f$,
/// \f$ \bar\sigma^2 \leftarrow (1-m)\bar\sigma^2 + m\,\tfrac{M}{M-1}\sigma_c^2 \f$.
/// In evaluation, \f$ \bar\mu, \bar\sigma^2 \f$ replace the batch statistics, so the layer
/// is a fixed affine map of its input.
template <class T, std::size_t Rank>
struct BatchNorm {
  static_assert(Rank == 2 || Rank == 4, "BatchNorm: rank 2 (N, D) or rank 4 (N, C, H, W)");
  using Input = xt::xtensor<T, Rank>;

  Tensor1<T> gamma;         ///< scale per channel, starts at 1
  Tensor1<T> beta;          ///< shift per channel, starts at 0
  Tensor1<T> dgamma;        ///< gradient of gamma, accumulated by backward()
  Tensor1<T> dbeta;         ///< gradient of beta, accumulated by backward()
  Tensor1<T> running_mean;  ///< buffer: the mean used in eval mode, starts at 0
  Tensor1<T> running_var;   ///< buffer: the (unbiased) variance used in eval mode, starts at 1
  T eps = T(1e-5);          ///< added to the variance before the square root
  T momentum = T(0.1);      ///< weight of the new batch in the running statistics
  /// When false, backward() skips dX (the layer is the first of a network).
  bool input_grad = true;

  struct Cache {
    Input xhat;          ///< the normalised input \f$ \hat x \f$
    Tensor1<T> inv_std;  ///< \f$ 1/\sqrt{\sigma_c^2 + \epsilon} \f$ per channel (batch or running)
    Mode mode = Mode::train;  ///< which statistics forward() used
  };

  BatchNorm() = default;
  /// A layer for `channels` features (D) or channels (C): gamma 1, beta 0, running mean 0,
  /// running variance 1.
  explicit BatchNorm(std::size_t channels, T eps = T(1e-5), T momentum = T(0.1));

  std::size_t channels() const { return gamma.size(); }

  /// \f$ y = \gamma \hat x + \beta \f$ with batch statistics in Mode::train (updating the
  /// running statistics, hence not const) and running statistics in Mode::eval.
  Input forward(const Input& x, Cache& cache, const Context& ctx);
  /// Train mode: \f$ dx = \frac{\gamma}{M\sigma}\big(M\,dy - \sum dy - \hat x \sum dy\,\hat x\big) \f$;
  /// eval mode: \f$ dx = \frac{\gamma}{\sigma} dy \f$. Both accumulate
  /// \f$ d\gamma \mathrel{+}= \sum dy\,\hat x,\ d\beta \mathrel{+}= \sum dy \f$.
  Input backward(const Input& dy, const Cache& cache);

  std::vector<ParamRef<T>> params();   ///< "gamma", "beta" (no weight decay)
  std::vector<ParamRef<T>> buffers();  ///< "running_mean", "running_var"
  std::string describe() const;        ///< "BatchNorm1d(256)", "BatchNorm2d(32)"
};

/// BatchNorm for a feature matrix (N, D).
template <class T>
using BatchNorm1d = BatchNorm<T, 2>;
/// BatchNorm for feature maps (N, C, H, W).
template <class T>
using BatchNorm2d = BatchNorm<T, 4>;

extern template struct BatchNorm<float, 2>;
extern template struct BatchNorm<double, 2>;
extern template struct BatchNorm<float, 4>;
extern template struct BatchNorm<double, 4>;

}  // namespace dl
