#pragma once
/// \file
/// Activation functions as layers: elementwise ReLU, LeakyReLU, Sigmoid, Tanh (any rank),
/// and Softmax over the last axis of a matrix. Derivations: @ref ch02_activations "Chapter 2".
///
/// Each caches exactly what its derivative needs: the input for ReLU/LeakyReLU, the
/// output for Sigmoid/Tanh/Softmax (their derivatives are cheapest written in y).

#include <cmath>
#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ y = \max(x, 0) \f$, \f$ dx = dy \cdot [x > 0] \f$. A NaN input gives NaN and
/// passes its gradient, as in PyTorch: a diverging activation shows at once.
template <class T>
struct ReLU {
  std::string describe() const { return "ReLU"; }
  struct Cache {
    Tensor1<T> x;  ///< flattened input
  };
  template <std::size_t N>
  xt::xtensor<T, N> forward(const xt::xtensor<T, N>& x, Cache& cache) const;
  template <std::size_t N>
  xt::xtensor<T, N> backward(const xt::xtensor<T, N>& dy, const Cache& cache) const;
};

/// \f$ y = x \f$ for \f$ x > 0 \f$, else \f$ \alpha x \f$; \f$ dx = dy \cdot (x > 0 ? 1 : \alpha) \f$.
template <class T>
struct LeakyReLU {
  std::string describe() const { return "LeakyReLU(" + std::to_string(alpha) + ")"; }
  T alpha = T(0.01);  ///< slope for negative inputs
  struct Cache {
    Tensor1<T> x;
  };
  LeakyReLU() = default;
  explicit LeakyReLU(T a) : alpha(a) {}
  template <std::size_t N>
  xt::xtensor<T, N> forward(const xt::xtensor<T, N>& x, Cache& cache) const;
  template <std::size_t N>
  xt::xtensor<T, N> backward(const xt::xtensor<T, N>& dy, const Cache& cache) const;
};

/// \f$ \sigma(x) = 1/(1+e^{-x}) \f$, computed without overflow;
/// \f$ dx = dy \cdot \sigma(x)(1-\sigma(x)) \f$.
template <class T>
struct Sigmoid {
  std::string describe() const { return "Sigmoid"; }
  struct Cache {
    Tensor1<T> y;  ///< flattened output
  };
  template <std::size_t N>
  xt::xtensor<T, N> forward(const xt::xtensor<T, N>& x, Cache& cache) const;
  template <std::size_t N>
  xt::xtensor<T, N> backward(const xt::xtensor<T, N>& dy, const Cache& cache) const;
};

/// \f$ y = \tanh x \f$, \f$ dx = dy \cdot (1 - y^2) \f$.
template <class T>
struct Tanh {
  std::string describe() const { return "Tanh"; }
  struct Cache {
    Tensor1<T> y;
  };
  template <std::size_t N>
  xt::xtensor<T, N> forward(const xt::xtensor<T, N>& x, Cache& cache) const;
  template <std::size_t N>
  xt::xtensor<T, N> backward(const xt::xtensor<T, N>& dy, const Cache& cache) const;
};

/// Row-wise softmax \f$ y_{ik} = e^{x_{ik} - m_i} / \sum_j e^{x_{ij} - m_i} \f$ with
/// \f$ m_i = \max_j x_{ij} \f$ (stable); backward is the Jacobian-vector product
/// \f$ dx_i = y_i \odot (dy_i - \langle dy_i, y_i \rangle) \f$.
/// For classification use SoftmaxCrossEntropy, which fuses the two gradients.
template <class T>
struct Softmax {
  std::string describe() const { return "Softmax"; }
  struct Cache {
    Tensor2<T> y;
  };
  Tensor2<T> forward(const Tensor2<T>& x, Cache& cache) const;
  Tensor2<T> backward(const Tensor2<T>& dy, const Cache& cache) const;
};

/// Numerically stable scalar sigmoid (used by the layer and the losses).
template <class T>
inline T stable_sigmoid(T x) {
  if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
  const T e = std::exp(x);
  return e / (T(1) + e);
}

/// Row-wise softmax into a new matrix (stable), shared by Softmax and the losses.
template <class T>
Tensor2<T> softmax_rows(const Tensor2<T>& x);
/// Row-wise log-softmax \f$ x_{ik} - m_i - \log\sum_j e^{x_{ij}-m_i} \f$.
template <class T>
Tensor2<T> log_softmax_rows(const Tensor2<T>& x);

}  // namespace dl
