#pragma once
/// \file
/// Sinusoidal positional encoding (Vaswani et al. 2017): self-attention is blind to order, so
/// each position's vector gets a fixed pattern of sines and cosines added. Derivation:
/// @ref ch20_positions "Chapter 20, positional encoding".

#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ y_{t,n} = s\, x_{t,n} + P_t \f$ with
/// \f$ P_{t,2i} = \sin(t / 10000^{2i/E}) \f$, \f$ P_{t,2i+1} = \cos(t / 10000^{2i/E}) \f$,
/// t = 0, 1, ... the position. Shapes: X and Y (T, N, E). No parameters; \f$ dx = s\, dy \f$.
/// The scale s defaults to 1 (Vaswani et al. use \f$ \sqrt{E} \f$ for embeddings that are
/// tied to the output layer and initialised small; dl::Embedding starts at N(0, 1) already).
template <class T>
struct PositionalEncoding {
  T scale = T(1);
  struct Cache {
    std::size_t steps = 0, batch = 0, dim = 0;
  };
  /// The table P (T, E).
  static Tensor2<T> table(std::size_t steps, std::size_t dim);
  Tensor3<T> forward(const Tensor3<T>& x, Cache& cache) const;
  Tensor3<T> backward(const Tensor3<T>& dy, const Cache& cache) const;
  std::string describe() const { return "PositionalEncoding"; }
};

extern template struct PositionalEncoding<float>;
extern template struct PositionalEncoding<double>;

}  // namespace dl
