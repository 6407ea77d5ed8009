#pragma once
/// \file
/// FlattenSteps: many-to-many. The outputs of the last k steps of a sequence batch as the
/// rows of one matrix, so that the layers after it (a Linear, a softmax loss) are applied at
/// every one of those steps with the same weights: Keras' TimeDistributed(Dense).

#include <array>
#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ Y_{s N + n} = X_{T - k + s,\, n} \f$ for s in [0, k): X (T, N, H) -> Y (k N, H),
/// step-major (the rows of one step together; the last k steps of a time-major batch are one
/// contiguous block, so this is a copy). k = 0 takes every step. Backward puts dY back at
/// those steps and zeros elsewhere.
template <class T>
struct FlattenSteps {
  std::size_t k = 0;  ///< how many final steps to keep (0: all)
  struct Cache {
    std::array<std::size_t, 3> x_shape{};
  };
  FlattenSteps() = default;
  explicit FlattenSteps(std::size_t last_k) : k(last_k) {}
  Tensor2<T> forward(const Tensor3<T>& x, Cache& cache) const;
  Tensor3<T> backward(const Tensor2<T>& dy, const Cache& cache) const;
  std::string describe() const {
    return k ? "FlattenSteps(last " + std::to_string(k) + ")" : "FlattenSteps(all)";
  }
};

extern template struct FlattenSteps<float>;
extern template struct FlattenSteps<double>;

}  // namespace dl
