#include "dlcore/layers/positional_encoding.hpp"

#include <cmath>

#include "dlcore/core/check.hpp"

namespace dl {

template <class T>
Tensor2<T> PositionalEncoding<T>::table(std::size_t steps, std::size_t dim) {
  Tensor2<T> P = Tensor2<T>::from_shape({steps, dim});
  //! [positional_table]
  for (std::size_t t = 0; t < steps; ++t)
    for (std::size_t k = 0; k < dim; ++k) {
      const double i2 = double(k - k % 2);                         // 2i for both members of a pair
      const double angle = double(t) / std::pow(10000.0, i2 / double(dim));
      P(t, k) = T(k % 2 == 0 ? std::sin(angle) : std::cos(angle));  // sin on even, cos on odd
    }
  //! [positional_table]
  return P;
}

template <class T>
Tensor3<T> PositionalEncoding<T>::forward(const Tensor3<T>& x, Cache& cache) const {
  const std::size_t T_ = x.shape(0), N = x.shape(1), E = x.shape(2);
  if (T_ == 0 || E == 0) throw ShapeError("PositionalEncoding: input X has shape " + shape_str(x.shape()) + ", nothing to encode");
  cache = {T_, N, E};
  const Tensor2<T> P = table(T_, E);
  Tensor3<T> y = Tensor3<T>::from_shape(x.shape());
  for (std::size_t t = 0; t < T_; ++t)
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t k = 0; k < E; ++k) {
        const std::size_t i = (t * N + n) * E + k;
        y.data()[i] = scale * x.data()[i] + P(t, k);
      }
  return y;
}

template <class T>
Tensor3<T> PositionalEncoding<T>::backward(const Tensor3<T>& dy, const Cache& cache) const {
  if (cache.steps == 0) throw ValueError("PositionalEncoding: backward called before forward");
  check_shape("PositionalEncoding", "gradient dY", dy, {cache.steps, cache.batch, cache.dim});
  Tensor3<T> dx = Tensor3<T>::from_shape(dy.shape());
  for (std::size_t i = 0; i < dy.size(); ++i) dx.data()[i] = scale * dy.data()[i];
  return dx;
}

template struct PositionalEncoding<float>;
template struct PositionalEncoding<double>;

}  // namespace dl
