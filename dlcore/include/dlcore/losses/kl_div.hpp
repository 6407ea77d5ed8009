#pragma once
/// \file
/// Kullback-Leibler divergence. Derivation: @ref ch03_losses "Chapter 3".

#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ L = \frac1N \sum_i \mathrm{KL}(p_i \,\|\, q_i) = \frac1N\sum_{i,k} p_{ik}(\log p_{ik} - \log q_{ik}) \f$
/// with the model's distribution given as log-probabilities \f$ \log q \f$ (e.g. from
/// log_softmax_rows) and a target distribution p; terms with \f$ p_{ik} = 0 \f$ count 0.
/// Gradient: \f$ \partial L/\partial \log q_{ik} = -p_{ik}/N \f$. Matches PyTorch's
/// KLDivLoss(reduction="batchmean"). Shapes: both (N, K).
template <class T>
struct KLDivLoss {
  struct Cache {
    Tensor2<T> p;  ///< the target distribution
  };
  std::string describe() const { return "KLDiv"; }
  T forward(const Tensor2<T>& log_q, const Tensor2<T>& p, Cache& cache) const;
  Tensor2<T> backward(const Cache& cache) const;
};

extern template struct KLDivLoss<float>;
extern template struct KLDivLoss<double>;

}  // namespace dl
