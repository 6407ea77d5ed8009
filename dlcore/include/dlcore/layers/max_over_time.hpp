#pragma once
/// \file
/// Max-over-time pooling: the largest response of each filter anywhere in the sequence, the
/// text CNN's way from a variable-length sequence to a fixed-size vector (Collobert et al.
/// 2011; Kim 2014). Derivation: @ref ch19_max_pool "Chapter 19, max over time".

#include <string>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ Y_{n,c} = \max_{0 \le t < L_n} X_{t,n,c} \f$ over each sequence's own steps
/// (ctx.lengths; none: all T). Backward routes each \f$ \partial L/\partial Y_{n,c} \f$ to the
/// step that won, \f$ t^*_{n,c} \f$ (the first on a tie), and zero everywhere else.
///
/// Shapes: X (T, N, C), Y (N, C).
template <class T>
struct MaxOverTime {
  struct Cache {
    std::vector<std::size_t> argmax;  ///< \f$ t^*_{n,c} \f$, (N C)
    std::size_t steps = 0;            ///< T
  };
  Tensor2<T> forward(const Tensor3<T>& x, Cache& cache, const Context& ctx = {}) const;
  Tensor3<T> backward(const Tensor2<T>& dy, const Cache& cache) const;
  std::string describe() const { return "MaxOverTime"; }
};

extern template struct MaxOverTime<float>;
extern template struct MaxOverTime<double>;

}  // namespace dl
