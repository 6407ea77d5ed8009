#include "dlcore/layers/flatten_steps.hpp"

#include <algorithm>

#include "dlcore/core/check.hpp"

namespace dl {

template <class T>
Tensor2<T> FlattenSteps<T>::forward(const Tensor3<T>& x, Cache& cache) const {
  const std::size_t T_ = x.shape(0), N = x.shape(1), H = x.shape(2), keep = k ? k : T_;
  if (keep > T_)
    throw ShapeError(describe() + ": input X has shape " + shape_str(x.shape()) + ", fewer than " +
                     std::to_string(keep) + " steps");
  cache.x_shape = {T_, N, H};
  Tensor2<T> y = Tensor2<T>::from_shape({keep * N, H});
  std::copy(x.data() + (T_ - keep) * N * H, x.data() + T_ * N * H, y.data());  // the last steps
  return y;
}

template <class T>
Tensor3<T> FlattenSteps<T>::backward(const Tensor2<T>& dy, const Cache& cache) const {
  const auto [T_, N, H] = cache.x_shape;
  const std::size_t keep = k ? k : T_;
  check_shape(describe(), "gradient dY", dy, {keep * N, H});
  Tensor3<T> dx = xt::zeros<T>({T_, N, H});
  std::copy(dy.begin(), dy.end(), dx.data() + (T_ - keep) * N * H);
  return dx;
}

template struct FlattenSteps<float>;
template struct FlattenSteps<double>;

}  // namespace dl
