#pragma once
/// \file
/// Inverted dropout (Srivastava et al. 2014, in the "inverted" form every framework uses):
/// scale at training time so that inference is the identity.
/// Derivation: @ref ch08_dropout "Chapter 8, dropout".

#include <cstddef>
#include <string>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// In training, \f$ y = x \odot m / (1-p) \f$ with \f$ m_i \sim \mathrm{Bernoulli}(1-p) \f$
/// drawn from the run's generator, so \f$ \mathbb{E}[y_i] = x_i \f$; in evaluation
/// \f$ y = x \f$. Backward: \f$ dx = dy \odot m / (1-p) \f$ (the identity in evaluation).
/// Any rank (2, 3, 4): a (N, D) batch, a (T, N, D) sequence, a (N, C, H, W) feature map;
/// every element is dropped independently.
template <class T>
struct Dropout {
  T p = T(0.5);  ///< probability of dropping an element, in [0, 1)

  Dropout() = default;
  /// ValueError unless 0 <= p < 1.
  explicit Dropout(T drop_probability);

  std::string describe() const;

  struct Cache {
    /// The scaled mask \f$ m / (1-p) \f$ (0 or 1/(1-p) per element), flattened; empty when
    /// forward ran as the identity (evaluation mode or p = 0).
    Tensor1<T> scaled_mask;
    std::vector<std::size_t> shape;  ///< shape of the input forward saw
  };

  /// Training (ctx.mode == Mode::train, ctx.rng set): one uniform draw per element,
  /// keep when it is below 1-p. Evaluation: the identity, no draw.
  template <std::size_t N>
  xt::xtensor<T, N> forward(const xt::xtensor<T, N>& x, Cache& cache, const Context& ctx) const;

  /// Forward with a given keep-mask (1 keeps, 0 drops; same shape as x), as in training:
  /// for parity tests against a fixed PyTorch mask and for gradient checks.
  template <std::size_t N>
  xt::xtensor<T, N> forward_with_mask(const xt::xtensor<T, N>& x, const xt::xtensor<T, N>& keep,
                                      Cache& cache) const;

  /// \f$ dx = dy \odot m/(1-p) \f$, or dy itself after an identity forward.
  template <std::size_t N>
  xt::xtensor<T, N> backward(const xt::xtensor<T, N>& dy, const Cache& cache) const;
};

}  // namespace dl
