#include "dlcore/layers/flatten.hpp"

#include <algorithm>

#include "dlcore/core/check.hpp"

namespace dl {

template <class T>
Tensor2<T> Flatten<T>::forward(const Tensor4<T>& x, Cache& cache) const {
  std::copy(x.shape().begin(), x.shape().end(), cache.x_shape.begin());
  Tensor2<T> y = Tensor2<T>::from_shape({x.shape(0), x.shape(1) * x.shape(2) * x.shape(3)});
  std::copy(x.data(), x.data() + x.size(), y.data());  // row-major: the order is already right
  return y;
}

template <class T>
Tensor4<T> Flatten<T>::backward(const Tensor2<T>& dy, const Cache& cache) const {
  const auto& s = cache.x_shape;
  check_shape("Flatten", "gradient dY", dy, {s[0], s[1] * s[2] * s[3]});
  Tensor4<T> dx = Tensor4<T>::from_shape(s);
  std::copy(dy.data(), dy.data() + dy.size(), dx.data());
  return dx;
}

template struct Flatten<float>;
template struct Flatten<double>;

}  // namespace dl
