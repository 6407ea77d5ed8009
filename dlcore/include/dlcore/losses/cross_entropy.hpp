#pragma once
/// \file
/// Cross-entropy losses: softmax + categorical cross-entropy fused, binary cross-entropy on
/// probabilities, and binary cross-entropy on logits (fused with the sigmoid).
/// Derivations: @ref ch03_losses "Chapter 3".

#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// Softmax followed by categorical cross-entropy, averaged over the batch:
/// \f$ L = -\frac{1}{N}\sum_i \log \mathrm{softmax}(z_i)_{y_i} \f$ and the fused gradient
/// \f$ \partial L / \partial z_i = \frac{1}{N}(p_i - e_{y_i}) \f$.
/// Shapes: logits Z (N, K), labels (N) in [0, K).
template <class T>
struct SoftmaxCrossEntropy {
  struct Cache {
    Tensor2<T> p;  ///< softmax probabilities (N, K)
    Labels y;      ///< the labels
  };
  std::string describe() const { return "SoftmaxCrossEntropy"; }
  T forward(const Tensor2<T>& logits, const Labels& y, Cache& cache) const;
  Tensor2<T> backward(const Cache& cache) const;
};

/// Binary cross-entropy on probabilities p in (0, 1), targets y in [0, 1], mean over all
/// elements: \f$ L = -\frac{1}{ND}\sum y\log p + (1-y)\log(1-p) \f$;
/// \f$ \partial L/\partial p = \frac{1}{ND}\frac{p - y}{p(1-p)} \f$. As PyTorch's BCELoss,
/// each log is clamped at -100 so p = 0 or 1 gives a large finite loss.
template <class T>
struct BinaryCrossEntropy {
  struct Cache {
    Tensor2<T> p, y;
  };
  std::string describe() const { return "BinaryCrossEntropy"; }
  T forward(const Tensor2<T>& p, const Tensor2<T>& y, Cache& cache) const;
  Tensor2<T> backward(const Cache& cache) const;
};

/// Sigmoid + binary cross-entropy on logits z, computed stably as
/// \f$ \max(z,0) - zy + \log(1 + e^{-|z|}) \f$; gradient \f$ \frac{1}{ND}(\sigma(z) - y) \f$.
template <class T>
struct SigmoidBinaryCrossEntropy {
  struct Cache {
    Tensor2<T> z, y;
  };
  std::string describe() const { return "SigmoidBinaryCrossEntropy"; }
  T forward(const Tensor2<T>& z, const Tensor2<T>& y, Cache& cache) const;
  Tensor2<T> backward(const Cache& cache) const;
};

extern template struct SoftmaxCrossEntropy<float>;
extern template struct SoftmaxCrossEntropy<double>;
extern template struct BinaryCrossEntropy<float>;
extern template struct BinaryCrossEntropy<double>;
extern template struct SigmoidBinaryCrossEntropy<float>;
extern template struct SigmoidBinaryCrossEntropy<double>;

}  // namespace dl
