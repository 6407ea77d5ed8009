#pragma once
/// \file
/// Attention pooling over time: a learned query scores every step, a softmax over each
/// sequence's own steps turns the scores into weights, and the output is the weighted sum of
/// the steps (the word-level attention of Yang et al. 2016, with the query applied to the
/// states directly). Derivation: @ref ch19_attention_pool "Chapter 19, attention pooling".

#include <string>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/core/param.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f[ s_{t,n} = q^\top X_{t,n}, \qquad
///     \alpha_{t,n} = \frac{e^{s_{t,n}}}{\sum_{u < L_n} e^{s_{u,n}}}\ (t < L_n;\ 0 \text{ after}),
///     \qquad Y_n = \sum_{t < L_n} \alpha_{t,n} X_{t,n} \f]
/// with \f$ L_n \f$ the length of sequence n (ctx.lengths; none: all T).
///
/// Backward, with \f$ g_n = \partial L/\partial Y_n \f$: \f$ \delta\alpha_{t,n} = g_n^\top X_{t,n} \f$,
/// \f$ \delta s_{t,n} = \alpha_{t,n} (\delta\alpha_{t,n} - \sum_u \alpha_{u,n} \delta\alpha_{u,n}) \f$
/// (the softmax Jacobian), \f$ \partial L/\partial X_{t,n} = \alpha_{t,n} g_n + \delta s_{t,n}\, q \f$,
/// \f$ \nabla q \mathrel{+}= \sum_{t,n} \delta s_{t,n} X_{t,n} \f$.
///
/// Shapes: X (T, N, H), q (H), Y (N, H). q starts at 0: every valid step weighs the same
/// (mean pooling) until training moves it.
template <class T>
struct AttentionPool {
  Tensor1<T> q;   ///< the query (H)
  Tensor1<T> dq;  ///< its gradient, accumulated by backward()

  struct Cache {
    Tensor3<T> x;      ///< the input X (T, N, H)
    Tensor2<T> alpha;  ///< the weights (N, T): row n over sequence n's steps, 0 after L_n
    Lengths lengths;   ///< empty: all T
  };

  AttentionPool() = default;
  explicit AttentionPool(std::size_t hidden);

  std::size_t hidden() const { return q.size(); }

  /// Y (N, H) from X (T, N, H); lengths from ctx.lengths.
  Tensor2<T> forward(const Tensor3<T>& x, Cache& cache, const Context& ctx = {}) const;
  /// dX (T, N, H) from dY (N, H); accumulates dq.
  Tensor3<T> backward(const Tensor2<T>& dy, const Cache& cache);

  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "AttentionPool(128)"
};

extern template struct AttentionPool<float>;
extern template struct AttentionPool<double>;

}  // namespace dl
