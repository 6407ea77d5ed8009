#include "dlcore/losses/kl_div.hpp"

#include <cmath>

#include "dlcore/core/check.hpp"

namespace dl {

template <class T>
T KLDivLoss<T>::forward(const Tensor2<T>& log_q, const Tensor2<T>& p, Cache& cache) const {
  check_same_shape("KLDivLoss", "log-probabilities log q", log_q, "target p", p);
  T sum = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const T pi = p.data()[i];
    if (pi > T(0)) sum += pi * (std::log(pi) - log_q.data()[i]);  // 0 log 0 = 0
  }
  cache.p = p;
  return sum / T(p.shape(0));
}

template <class T>
Tensor2<T> KLDivLoss<T>::backward(const Cache& cache) const {
  return cache.p * (T(-1) / T(cache.p.shape(0)));  // -p / N
}

template struct KLDivLoss<float>;
template struct KLDivLoss<double>;

}  // namespace dl
