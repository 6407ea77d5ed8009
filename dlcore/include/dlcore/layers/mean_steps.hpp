#pragma once
/// \file
/// MeanSteps: many-to-one by averaging. From a sequence batch (T, N, D), the mean of each
/// sequence's vectors over its own valid steps: how a Transformer encoder's outputs become one
/// vector per sequence for a classifier (@ref ch20_transformer "Chapter 20").

#include <string>

#include "dlcore/core/context.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ Y_n = \frac{1}{L_n} \sum_{t < L_n} X_{t,n} \f$ with \f$ L_n \f$ from ctx.lengths (none:
/// all T). Backward: \f$ dX_{t,n} = dY_n / L_n \f$ for \f$ t < L_n \f$, 0 on the padding.
template <class T>
struct MeanSteps {
  struct Cache {
    std::size_t steps = 0;
    Lengths lengths;
  };
  Tensor2<T> forward(const Tensor3<T>& x, Cache& cache, const Context& ctx = {}) const;
  Tensor3<T> backward(const Tensor2<T>& dy, const Cache& cache) const;
  std::string describe() const { return "MeanSteps"; }
};

extern template struct MeanSteps<float>;
extern template struct MeanSteps<double>;

}  // namespace dl
