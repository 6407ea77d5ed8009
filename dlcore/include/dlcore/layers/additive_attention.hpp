#pragma once
/// \file
/// Additive attention (Bahdanau, Cho & Bengio 2015): a small one-hidden-layer network scores
/// each key against the query. Derivation: @ref ch20_additive "Chapter 20, additive attention".

#include <string>
#include <vector>

#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/layers/dot_product_attention.hpp"

namespace dl {

/// Additive attention: for query \f$ q_t \f$ and keys \f$ k_s \f$ of one sequence,
/// \f[ e_{ts} = v^\top \tanh(q_t W_q + k_s W_k + b),\qquad
///     \alpha_{t\cdot} = \text{softmax}(e_{t\cdot}),\qquad o_t = \textstyle\sum_s \alpha_{ts}\, x_s \f]
/// with values \f$ x_s \f$ (usually the keys themselves: the encoder's states).
///
/// Shapes (time-major): queries (Tq, N, Dq), keys (S, N, Dk), values (S, N, Dv), output
/// (Tq, N, Dv); parameters W_q (Dq, A), W_k (Dk, A), b (A), v (A) with A the scorer's width.
/// Weights kept as (N, Tq, S). `key_lengths` masks padded keys as in DotProductAttention.
/// Cost: the projections are one GEMM each (the keys' once per sequence, not once per query);
/// the \f$ \tanh \f$ of Tq S A sums per sequence is the elementwise part.
template <class T>
struct AdditiveAttention {
  Tensor2<T> W_q;  ///< query projection (Dq, A)
  Tensor2<T> W_k;  ///< key projection (Dk, A)
  Tensor1<T> b;    ///< bias of the scorer's hidden layer (A)
  Tensor1<T> v;    ///< the scorer's output weights (A)
  Tensor2<T> dW_q, dW_k;  ///< gradients, accumulated by backward()
  Tensor1<T> db, dv;

  struct Cache {
    Tensor3<T> q, k, x;  ///< queries, keys, values
    Tensor2<T> qp;       ///< \f$ Q W_q \f$ (Tq N, A)
    Tensor2<T> kp;       ///< \f$ K W_k + b \f$ (S N, A)
    std::vector<T> u;    ///< \f$ \tanh(q_t W_q + k_s W_k + b) \f$, (N, Tq, S, A)
    Tensor3<T> a;        ///< attention weights (N, Tq, S)
    Lengths lengths;     ///< valid keys per sequence (empty: all S)
  };

  AdditiveAttention() = default;
  /// W_q, W_k Xavier-uniform, v uniform in \f$ \pm 1/\sqrt{A} \f$, b zero.
  AdditiveAttention(std::size_t d_query, std::size_t d_key, std::size_t width, Rng& rng);

  std::size_t d_query() const { return W_q.shape(0); }
  std::size_t d_key() const { return W_k.shape(0); }
  std::size_t width() const { return v.size(); }

  Tensor3<T> forward(const Tensor3<T>& q, const Tensor3<T>& k, const Tensor3<T>& x,
                     const Lengths* key_lengths, Cache& cache) const;
  /// dq, dk, dx; accumulates dW_q, dW_k, db, dv.
  AttentionGrads<T> backward(const Tensor3<T>& dy, const Cache& cache);

  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "AdditiveAttention(128, 128 -> 64)"
};

extern template struct AdditiveAttention<float>;
extern template struct AdditiveAttention<double>;

}  // namespace dl
