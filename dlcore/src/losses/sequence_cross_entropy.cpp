#include "dlcore/losses/sequence_cross_entropy.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/check.hpp"
#include "dlcore/core/error.hpp"
#include "dlcore/layers/recurrent.hpp"

namespace dl {

namespace {
template <class T>
void check_logits(const std::string& who, const Tensor3<T>& z, const Lengths* lengths) {
  if (z.shape(0) == 0 || z.shape(1) == 0 || z.shape(2) == 0)
    throw ShapeError(fmt::format("{}: logits have shape {}, expected (T, N, K) with T, N, K >= 1", who,
                                 shape_str(z.shape())));
  if (lengths) check_lengths(who, *lengths, z.shape(0), z.shape(1));
}
}  // namespace

template <class T>
T SequenceCrossEntropy<T>::forward(const Tensor3<T>& logits, const Tags& tags, const Lengths* lengths,
                                   Cache& cache) const {
  check_logits(describe(), logits, lengths);
  const std::size_t T_ = logits.shape(0), N = logits.shape(1), K = logits.shape(2);
  cache.lengths = lengths ? *lengths : Lengths{};
  check_tags(describe(), tags, T_, N, K, cache.lengths);
  cache.tags = tags;
  cache.p = xt::zeros<T>({T_, N, K});
  cache.tokens = 0;
  double loss = 0;
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t L = cache.lengths.empty() ? T_ : cache.lengths[n];
    cache.tokens += L;
    for (std::size_t t = 0; t < L; ++t) {
      const T* z = logits.data() + (t * N + n) * K;
      T* p = cache.p.data() + (t * N + n) * K;
      const T m = *std::max_element(z, z + K);  // log softmax(z)_k = z_k - m - log sum_j exp(z_j - m)
      T s = 0;
      for (std::size_t k = 0; k < K; ++k) s += (p[k] = std::exp(z[k] - m));
      for (std::size_t k = 0; k < K; ++k) p[k] /= s;
      loss -= double(z[std::size_t(tags(n, t))] - m - std::log(s));  // -log p_{y}
    }
  }
  return T(loss / double(cache.tokens));
}

template <class T>
Tensor3<T> SequenceCrossEntropy<T>::backward(const Cache& cache) const {
  if (cache.tokens == 0) throw ValueError(describe() + ": backward called before forward");
  const std::size_t T_ = cache.p.shape(0), N = cache.p.shape(1), K = cache.p.shape(2);
  const T s = T(1) / T(cache.tokens);
  Tensor3<T> dz = cache.p;  // p at valid steps, 0 at padded ones
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t L = cache.lengths.empty() ? T_ : cache.lengths[n];
    for (std::size_t t = 0; t < L; ++t) dz.data()[(t * N + n) * K + std::size_t(cache.tags(n, t))] -= T(1);  // p - e_y
  }
  dz *= s;  // the mean over the valid steps
  return dz;
}

template <class T>
Tags argmax_tags(const Tensor3<T>& logits, const Lengths* lengths) {
  check_logits("argmax_tags", logits, lengths);
  const std::size_t T_ = logits.shape(0), N = logits.shape(1), K = logits.shape(2);
  Tags y = Tags::from_shape({N, T_});
  y.fill(-1);
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t L = lengths && !lengths->empty() ? (*lengths)[n] : T_;
    for (std::size_t t = 0; t < L; ++t) {
      const T* z = logits.data() + (t * N + n) * K;
      y(n, t) = std::int32_t(std::max_element(z, z + K) - z);
    }
  }
  return y;
}

template struct SequenceCrossEntropy<float>;
template struct SequenceCrossEntropy<double>;
template Tags argmax_tags(const Tensor3<float>&, const Lengths*);
template Tags argmax_tags(const Tensor3<double>&, const Lengths*);

}  // namespace dl
