#include "dlcore/losses/mse.hpp"

#include "dlcore/core/check.hpp"

namespace dl {

template <class T>
T MSELoss<T>::forward(const Tensor2<T>& pred, const Tensor2<T>& target, Cache& cache) const {
  check_same_shape("MSELoss", "prediction", pred, "target", target);
  cache.diff = pred - target;
  T sum = 0;
  for (T d : cache.diff) sum += d * d;
  return sum / T(pred.size());
}

template <class T>
Tensor2<T> MSELoss<T>::backward(const Cache& cache) const {
  //! [mse_backward]
  return cache.diff * (T(2) / T(cache.diff.size()));  // 2 (y_hat - y) / (N D)
  //! [mse_backward]
}

template struct MSELoss<float>;
template struct MSELoss<double>;

}  // namespace dl
