#include "dlcore/layers/embedding.hpp"

#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/check.hpp"

namespace dl {

template <class T>
Embedding<T>::Embedding(std::size_t vocab, std::size_t dim, Rng& rng)
    : W(Tensor2<T>::from_shape({vocab, dim})), dW(xt::zeros<T>({vocab, dim})) {
  if (vocab == 0 || dim == 0)
    throw ValueError(fmt::format("Embedding: needs a vocabulary and a dimension, got {} x {}", vocab, dim));
  for (auto& w : W) w = T(rng.normal());
}

template <class T>
Tensor3<T> Embedding<T>::forward(const Tensor2<T>& ids, Cache& cache) const {
  if (W.size() == 0) throw ValueError("Embedding: forward on a layer without a table (default-constructed)");
  const std::size_t N = ids.shape(0), T_ = ids.shape(1), V = vocab(), E = dim();
  cache.steps = T_;
  cache.batch = N;
  cache.ids.resize(T_ * N);
  Tensor3<T> y = Tensor3<T>::from_shape({T_, N, E});
  //! [embedding_forward]
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t t = 0; t < T_; ++t) {
      const T v = ids(n, t);
      if (!(v >= T(0) && v < T(V)) || v != std::floor(v))
        throw ValueError(fmt::format("{}: token id {} at sequence {}, step {} is not an integer in [0, {})",
                                     describe(), double(v), n, t, V));
      const std::size_t id = std::size_t(v);
      cache.ids[t * N + n] = id;
      std::copy(W.data() + id * E, W.data() + (id + 1) * E, y.data() + (t * N + n) * E);  // Y[t,n] = W[id]
    }
  //! [embedding_forward]
  return y;
}

template <class T>
Tensor2<T> Embedding<T>::backward(const Tensor3<T>& dy, const Cache& cache) {
  const std::size_t E = dim();
  check_shape(describe(), "gradient dY", dy, {cache.steps, cache.batch, E});
  if (dW.shape() != W.shape()) throw ValueError(describe() + ": backward without a gradient table (default-constructed?)");
  //! [embedding_backward]
  for (std::size_t k = 0; k < cache.ids.size(); ++k) {  // dW[id] += dY[t,n]: only used rows
    T* row = dW.data() + cache.ids[k] * E;
    const T* g = dy.data() + k * E;
    for (std::size_t j = 0; j < E; ++j) row[j] += g[j];
  }
  //! [embedding_backward]
  if (!input_grad) return {};
  return xt::zeros<T>({cache.batch, cache.steps});
}

template <class T>
std::vector<ParamRef<T>> Embedding<T>::params() {
  return {param_ref<T>("W", W, dW)};
}

template <class T>
std::string Embedding<T>::describe() const {
  return fmt::format("Embedding({} -> {})", W.size() ? vocab() : 0, W.size() ? dim() : 0);
}

template struct Embedding<float>;
template struct Embedding<double>;

}  // namespace dl
