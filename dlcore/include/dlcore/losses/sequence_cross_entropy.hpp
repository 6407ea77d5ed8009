#pragma once
/// \file
/// Softmax cross-entropy at every valid step of a sequence batch: the loss of a tagger that
/// decides each step's label on its own (Chapter 21's BiLSTM-softmax), and the argmax
/// decoding that goes with it. Derivation of the fused gradient: @ref ch03_losses "Chapter 3";
/// its use for tagging: @ref ch21_softmax "Chapter 21".

#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ L = -\frac{1}{\sum_n L_n} \sum_n \sum_{t < L_n} \log \mathrm{softmax}(z_{t,n})_{y_{n,t}} \f$,
/// the mean over the valid steps (tokens); \f$ \partial L/\partial z_{t,n} =
/// (p_{t,n} - e_{y_{n,t}}) / \sum_n L_n \f$ at valid steps and 0 at padded ones.
/// Shapes: logits Z (T, N, K) time-major, tags (N, T), lengths (N) (null: all T). As
/// torch.nn.CrossEntropyLoss with the padded targets set to ignore_index.
template <class T>
struct SequenceCrossEntropy {
  struct Cache {
    Tensor3<T> p;         ///< softmax probabilities (T, N, K), 0 at padded steps
    Tags tags;            ///< the true tags (N, T)
    Lengths lengths;      ///< empty: all T
    std::size_t tokens = 0;  ///< valid steps, the divisor
  };
  std::string describe() const { return "SequenceCrossEntropy"; }
  T forward(const Tensor3<T>& logits, const Tags& tags, const Lengths* lengths, Cache& cache) const;
  Tensor3<T> backward(const Cache& cache) const;
};

/// The highest-scoring tag of every valid step on its own, \f$ \arg\max_k z_{t,n,k} \f$ (the
/// first on ties), as (N, T) with -1 at padded steps.
template <class T>
Tags argmax_tags(const Tensor3<T>& logits, const Lengths* lengths);

extern template struct SequenceCrossEntropy<float>;
extern template struct SequenceCrossEntropy<double>;

}  // namespace dl
