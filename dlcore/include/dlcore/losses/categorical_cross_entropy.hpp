#pragma once
/// \file
/// Cross-entropy of predicted probabilities against a target distribution (not fused with a
/// softmax), and one-hot targets. Derivation: @ref ch03_losses "Chapter 3".

#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// Cross-entropy \f$ H(t, p) \f$ of predicted probabilities P against target distributions
/// \f$ t \f$, averaged over the rows:
/// \f$ L = -\frac{1}{N}\sum_{i,k} t_{ik} \log p_{ik} \f$ (terms with \f$ t_{ik} = 0 \f$ count 0).
/// With one-hot targets (dl::one_hot) it is the categorical cross-entropy
/// \f$ -\frac1N \sum_i \log p_{i y_i} \f$; with \f$ t = p \f$ it is the entropy \f$ H(p) \f$.
/// Gradient: \f$ \partial L / \partial p_{ik} = -t_{ik} / (N p_{ik}) \f$ (0 where \f$ t_{ik} = 0 \f$).
///
/// It takes probabilities, e.g. the output of a Softmax layer. For training a classifier use
/// SoftmaxCrossEntropy instead: chaining this gradient through the softmax Jacobian divides
/// by \f$ p \f$ and multiplies by it again, which overflows for confident mistakes (the
/// chapter measures where). No clamping: \f$ p_{ik} = 0 \f$ with \f$ t_{ik} > 0 \f$ gives an
/// infinite loss. Shapes: P and t (N, K).
template <class T>
struct CategoricalCrossEntropy {
  struct Cache {
    Tensor2<T> p;  ///< the predicted probabilities
    Tensor2<T> t;  ///< the target distributions
  };
  std::string describe() const { return "CategoricalCrossEntropy"; }
  T forward(const Tensor2<T>& p, const Tensor2<T>& t, Cache& cache) const;
  Tensor2<T> backward(const Cache& cache) const;
};

/// Labels (N) in [0, K) as one-hot rows (N, K): \f$ e_{y_i} \f$. ValueError for a label
/// outside [0, K).
template <class T>
Tensor2<T> one_hot(const Labels& y, std::size_t K);

extern template struct CategoricalCrossEntropy<float>;
extern template struct CategoricalCrossEntropy<double>;

}  // namespace dl
