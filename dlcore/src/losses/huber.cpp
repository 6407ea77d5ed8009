#include "dlcore/losses/huber.hpp"

#include <cmath>

#include "dlcore/core/check.hpp"

namespace dl {

template <class T>
HuberLoss<T>::HuberLoss(T d) : delta(d) {
  if (!(d > T(0))) throw ValueError("HuberLoss: delta must be positive, got " + std::to_string(d));
}

template <class T>
T HuberLoss<T>::forward(const Tensor2<T>& pred, const Tensor2<T>& target, Cache& cache) const {
  check_same_shape("HuberLoss", "prediction", pred, "target", target);
  cache.e = pred - target;
  T sum = 0;
  for (T e : cache.e) {
    const T a = std::abs(e);
    sum += a <= delta ? T(0.5) * e * e : delta * (a - T(0.5) * delta);
  }
  return sum / T(pred.size());
}

template <class T>
Tensor2<T> HuberLoss<T>::backward(const Cache& cache) const {
  const T n = T(cache.e.size());
  Tensor2<T> d = Tensor2<T>::from_shape(cache.e.shape());
  for (std::size_t i = 0; i < d.size(); ++i) {
    const T e = cache.e.data()[i];
    //! [huber_backward]
    const T g = std::abs(e) <= delta ? e : (e > 0 ? delta : -delta);  // e, or delta sign(e)
    //! [huber_backward]
    d.data()[i] = g / n;
  }
  return d;
}

template struct HuberLoss<float>;
template struct HuberLoss<double>;

}  // namespace dl
