#pragma once
/// \file
/// LastStep: many-to-one. From a recurrent layer's outputs (T, N, H), each sequence's output
/// at its own last valid step, as a matrix (N, H) for a classifier or regressor.

#include <string>

#include "dlcore/core/context.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ Y_n = X_{L_n - 1,\, n} \f$ with \f$ L_n \f$ the length of sequence n (ctx.lengths;
/// none: every sequence has all T steps, so \f$ Y = X_{T-1} \f$). Backward puts each row of
/// dY back at its step and zeros everywhere else.
template <class T>
struct LastStep {
  struct Cache {
    std::size_t steps = 0;  ///< T of the input
    std::size_t batch = 0, width = 0;  ///< N and H of the input: dY must be (N, H)
    Lengths lengths;        ///< empty: all T
  };
  Tensor2<T> forward(const Tensor3<T>& x, Cache& cache, const Context& ctx = {}) const;
  Tensor3<T> backward(const Tensor2<T>& dy, const Cache& cache) const;
  std::string describe() const { return "LastStep"; }
};

extern template struct LastStep<float>;
extern template struct LastStep<double>;

}  // namespace dl
