#pragma once
/// \file
/// Embedding: token ids to learned vectors, the first layer of every text model.
/// Derivation (a one-hot vector times a matrix, and why its gradient is sparse):
/// @ref ch18_embedding "Chapter 18, embeddings".

#include <string>
#include <vector>

#include "dlcore/core/param.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"

namespace dl {

/// \f$ Y_{t,n} = W_{\text{id}_{n,t}} \f$: row id of the table W (V, E), i.e.
/// \f$ \text{onehot}(\text{id})^\top W \f$ without the product.
///
/// Shapes: ids (N, T), one row of token ids per sequence as a dataset stores them (integer
/// values held in T, each in [0, V)); Y (T, N, E), time-major as the recurrent layers take
/// it. Backward scatters: \f$ dW_{\text{id}} \mathrel{+}= dY_{t,n} \f$ for every position, so
/// only the rows of ids that occurred receive gradient (a repeated id accumulates). The ids
/// themselves get no gradient.
template <class T>
struct Embedding {
  Tensor2<T> W;   ///< the table (V, E): one vector per token
  Tensor2<T> dW;  ///< its gradient, accumulated by backward()
  bool input_grad = true;  ///< ids are not differentiable: backward returns zeros when set

  struct Cache {
    std::vector<std::size_t> ids;  ///< the ids, time-major (T N)
    std::size_t steps = 0, batch = 0;
  };

  Embedding() = default;
  /// W from N(0, 1), PyTorch's default for nn.Embedding.
  Embedding(std::size_t vocab, std::size_t dim, Rng& rng);

  std::size_t vocab() const { return W.shape(0); }
  std::size_t dim() const { return W.shape(1); }

  /// ids (N, T) -> Y (T, N, E). ValueError naming the position for an id that is not an
  /// integer in [0, V).
  Tensor3<T> forward(const Tensor2<T>& ids, Cache& cache) const;
  /// dW += the scattered rows of dY (T, N, E); returns zeros (N, T) for the ids.
  Tensor2<T> backward(const Tensor3<T>& dy, const Cache& cache);

  std::vector<ParamRef<T>> params();
  std::string describe() const;  ///< "Embedding(30 -> 16)"
};

extern template struct Embedding<float>;
extern template struct Embedding<double>;

}  // namespace dl
