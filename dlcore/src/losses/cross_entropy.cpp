#include "dlcore/losses/cross_entropy.hpp"

#include <algorithm>
#include <cmath>

#include "dlcore/core/check.hpp"
#include "dlcore/layers/activations.hpp"

namespace dl {

// ---- softmax + cross-entropy ----------------------------------------------------------
template <class T>
T SoftmaxCrossEntropy<T>::forward(const Tensor2<T>& logits, const Labels& y,
                                  Cache& cache) const {
  if (logits.dimension() != 2 || logits.shape(1) == 0)
    throw ShapeError("SoftmaxCrossEntropy: logits have shape " + shape_str(logits.shape()) +
                     ", expected (N, K>0)");
  const std::size_t N = logits.shape(0), K = logits.shape(1);
  check_labels("SoftmaxCrossEntropy", y, N, K);
  const Tensor2<T> logp = log_softmax_rows(logits);
  T loss = 0;
  for (std::size_t i = 0; i < N; ++i) loss -= logp(i, std::size_t(y(i)));  // -log p_{i, y_i}
  cache.p = xt::exp(logp);
  cache.y = y;
  return loss / T(N);
}

template <class T>
Tensor2<T> SoftmaxCrossEntropy<T>::backward(const Cache& cache) const {
  const std::size_t N = cache.p.shape(0);
  //! [softmax_ce_backward]
  Tensor2<T> dz = cache.p;                                         // p_i
  for (std::size_t i = 0; i < N; ++i) dz(i, std::size_t(cache.y(i))) -= T(1);  // p_i - e_{y_i}
  dz /= T(N);                                                      // mean over the batch
  //! [softmax_ce_backward]
  return dz;
}

// ---- binary cross-entropy on probabilities --------------------------------------------
template <class T>
T BinaryCrossEntropy<T>::forward(const Tensor2<T>& p, const Tensor2<T>& y, Cache& cache) const {
  check_same_shape("BinaryCrossEntropy", "probabilities", p, "targets", y);
  T loss = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const T lp = std::max(std::log(p.data()[i]), T(-100));      // PyTorch clamps log at -100
    const T lq = std::max(std::log(T(1) - p.data()[i]), T(-100));
    loss -= y.data()[i] * lp + (T(1) - y.data()[i]) * lq;
  }
  cache.p = p;
  cache.y = y;
  return loss / T(p.size());
}

template <class T>
Tensor2<T> BinaryCrossEntropy<T>::backward(const Cache& cache) const {
  const T n = T(cache.p.size());
  Tensor2<T> dp = Tensor2<T>::from_shape(cache.p.shape());
  for (std::size_t i = 0; i < dp.size(); ++i) {
    const T p = cache.p.data()[i], y = cache.y.data()[i];
    // (p - y) / (p (1 - p)), the denominator kept away from 0 as PyTorch does (eps 1e-12)
    dp.data()[i] = (p - y) / std::max(p * (T(1) - p), T(1e-12)) / n;
  }
  return dp;
}

// ---- sigmoid + binary cross-entropy on logits -----------------------------------------
template <class T>
T SigmoidBinaryCrossEntropy<T>::forward(const Tensor2<T>& z, const Tensor2<T>& y,
                                        Cache& cache) const {
  check_same_shape("SigmoidBinaryCrossEntropy", "logits", z, "targets", y);
  T loss = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    const T zi = z.data()[i];
    loss += std::max(zi, T(0)) - zi * y.data()[i] + std::log1p(std::exp(-std::abs(zi)));
  }
  cache.z = z;
  cache.y = y;
  return loss / T(z.size());
}

template <class T>
Tensor2<T> SigmoidBinaryCrossEntropy<T>::backward(const Cache& cache) const {
  const T n = T(cache.z.size());
  Tensor2<T> dz = Tensor2<T>::from_shape(cache.z.shape());
  for (std::size_t i = 0; i < dz.size(); ++i)
    dz.data()[i] = (stable_sigmoid(cache.z.data()[i]) - cache.y.data()[i]) / n;  // (s(z) - y)/n
  return dz;
}

template struct SoftmaxCrossEntropy<float>;
template struct SoftmaxCrossEntropy<double>;
template struct BinaryCrossEntropy<float>;
template struct BinaryCrossEntropy<double>;
template struct SigmoidBinaryCrossEntropy<float>;
template struct SigmoidBinaryCrossEntropy<double>;

}  // namespace dl
