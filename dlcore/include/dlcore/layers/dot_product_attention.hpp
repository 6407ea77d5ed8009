#pragma once
/// \file
/// Scaled dot-product attention (Vaswani et al. 2017) over time-major sequence batches, with
/// padded keys masked; and its kernel on raw row-major blocks, which MultiHeadAttention runs
/// once per head. Derivation: @ref ch20_dot "Chapter 20, scaled dot-product attention".

#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// What the attention layers' backward returns: the gradients of the queries, the keys and
/// the values. A caller that passed the same tensor as keys and values adds dk and dv.
template <class T>
struct AttentionGrads {
  Tensor3<T> dq, dk, dv;
};

/// Softmax of a row of scores over its first `valid` entries, in place, shifted by their
/// maximum so that no exponential overflows; entries from `valid` to `S` become 0 (masked
/// keys). Shared by every attention layer.
template <class T>
void masked_softmax_row(T* s, std::size_t valid, std::size_t S);

/// One sequence's (or one head's) attention on row-major blocks with row strides:
/// \f$ S = \text{scale}\; Q K^\top \f$ over the first `valid` keys, \f$ A = \text{softmax}(S) \f$
/// row by row (A's columns from `valid` on are 0: masked keys get no weight), \f$ O = A V \f$.
/// Shapes: Q (Tq, d) with row stride ldq, K (S, d) ldk, V (S, dv) ldv, A (Tq, S) contiguous,
/// O (Tq, dv) ldo. `valid` is in [1, S].
template <class T>
void attention_forward(std::size_t Tq, std::size_t S, std::size_t valid, std::size_t d,
                       std::size_t dv, T scale, const T* Q, std::size_t ldq, const T* K,
                       std::size_t ldk, const T* V, std::size_t ldv, T* A, T* O, std::size_t ldo);

/// Backward of attention_forward from dO (Tq, dv; row stride lddo) and the A it returned:
/// \f$ dV = A^\top dO \f$, \f$ dA = dO\, V^\top \f$,
/// \f$ dS = A \odot (dA - \text{rowsum}(A \odot dA)) \f$ (the softmax Jacobian),
/// \f$ dQ = \text{scale}\; dS\, K \f$, \f$ dK = \text{scale}\; dS^\top Q \f$.
/// dQ, dK, dV are written (not accumulated); the rows of dK and dV at masked keys are 0.
/// `work` holds Tq S values.
template <class T>
void attention_backward(std::size_t Tq, std::size_t S, std::size_t valid, std::size_t d,
                        std::size_t dv, T scale, const T* Q, std::size_t ldq, const T* K,
                        std::size_t ldk, const T* V, std::size_t ldv, const T* A, const T* dO,
                        std::size_t lddo, T* work, T* dQ, std::size_t lddq, T* dK,
                        std::size_t lddk, T* dV, std::size_t lddv);

/// Scaled dot-product attention
/// \f$ \text{Attention}(Q, K, V) = \text{softmax}\big(Q K^\top / \sqrt{d}\big)\, V \f$,
/// each query of a sequence over the keys and values of the same sequence.
///
/// Shapes (time-major, as the recurrent layers): queries Q (Tq, N, d), keys K (S, N, d),
/// values V (S, N, dv), output (Tq, N, dv); the weights are kept as (N, Tq, S). With
/// `key_lengths` (N values in [1, S]) sequence n has only its first L_n keys: the others get
/// weight 0 (a padded source sentence). No parameters: the projections that make Q, K and V
/// belong to the model (MultiHeadAttention, an encoder-decoder).
template <class T>
struct DotProductAttention {
  struct Cache {
    Tensor3<T> q, k, v;  ///< the inputs
    Tensor3<T> a;        ///< attention weights (N, Tq, S): row (n, t) sums to 1
    Lengths lengths;     ///< valid keys per sequence (empty: all S)
  };
  /// The output (Tq, N, dv). ShapeError naming both shapes when the batches, the key/value
  /// lengths or the query/key widths disagree.
  Tensor3<T> forward(const Tensor3<T>& q, const Tensor3<T>& k, const Tensor3<T>& v,
                     const Lengths* key_lengths, Cache& cache) const;
  AttentionGrads<T> backward(const Tensor3<T>& dy, const Cache& cache) const;
  std::string describe() const { return "DotProductAttention"; }
};

extern template struct DotProductAttention<float>;
extern template struct DotProductAttention<double>;

}  // namespace dl
