#include "dlcore/losses/l1.hpp"

#include <cmath>

#include "dlcore/core/check.hpp"

namespace dl {

template <class T>
T L1Loss<T>::forward(const Tensor2<T>& pred, const Tensor2<T>& target, Cache& cache) const {
  check_same_shape("L1Loss", "prediction", pred, "target", target);
  cache.diff = pred - target;
  T sum = 0;
  for (T d : cache.diff) sum += std::abs(d);
  return sum / T(pred.size());
}

template <class T>
Tensor2<T> L1Loss<T>::backward(const Cache& cache) const {
  const T n = T(cache.diff.size());
  Tensor2<T> d = Tensor2<T>::from_shape(cache.diff.shape());
  for (std::size_t i = 0; i < d.size(); ++i) {
    const T e = cache.diff.data()[i];
    d.data()[i] = (e > T(0) ? T(1) : e < T(0) ? T(-1) : T(0)) / n;  // sign(e) / (N D)
  }
  return d;
}

template struct L1Loss<float>;
template struct L1Loss<double>;

}  // namespace dl
