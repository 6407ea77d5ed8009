#include "dlcore/layers/max_over_time.hpp"

#include <algorithm>

#include "dlcore/core/check.hpp"
#include "dlcore/layers/recurrent.hpp"  // check_lengths

namespace dl {

template <class T>
Tensor2<T> MaxOverTime<T>::forward(const Tensor3<T>& x, Cache& cache, const Context& ctx) const {
  const std::size_t T_ = x.shape(0), N = x.shape(1), C = x.shape(2);
  if (T_ == 0) throw ShapeError("MaxOverTime: input X has shape " + shape_str(x.shape()) + ", no steps");
  const Lengths no_lengths;
  const Lengths& L = ctx.lengths ? *ctx.lengths : no_lengths;
  check_lengths("MaxOverTime", L, T_, N);
  cache.steps = T_;
  cache.argmax.assign(N * C, 0);
  Tensor2<T> y = Tensor2<T>::from_shape({N, C});
  //! [max_over_time_forward]
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t len = L.empty() ? T_ : L[n];
    T* yn = y.data() + n * C;
    std::size_t* arg = cache.argmax.data() + n * C;
    std::copy(x.data() + n * C, x.data() + (n + 1) * C, yn);  // step 0 first
    for (std::size_t t = 1; t < len; ++t) {                   // then every later valid step
      const T* xt = x.data() + (t * N + n) * C;
      for (std::size_t c = 0; c < C; ++c)
        if (xt[c] > yn[c]) yn[c] = xt[c], arg[c] = t;  // Y[n,c] = max_t X[t,n,c], t* kept
    }
  }
  //! [max_over_time_forward]
  return y;
}

template <class T>
Tensor3<T> MaxOverTime<T>::backward(const Tensor2<T>& dy, const Cache& cache) const {
  if (cache.steps == 0) throw ValueError("MaxOverTime: backward called before forward");
  const std::size_t N = dy.shape(0), C = dy.shape(1);
  if (N * C != cache.argmax.size())
    throw ShapeError("MaxOverTime: gradient dY has shape " + shape_str(dy.shape()) + " but forward returned " +
                     std::to_string(cache.argmax.size()) + " values");
  Tensor3<T> dx = xt::zeros<T>({cache.steps, N, C});
  //! [max_over_time_backward]
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t c = 0; c < C; ++c)  // dX[t*, n, c] = dY[n, c]; every other step gets 0
      dx.data()[(cache.argmax[n * C + c] * N + n) * C + c] = dy.data()[n * C + c];
  //! [max_over_time_backward]
  return dx;
}

template struct MaxOverTime<float>;
template struct MaxOverTime<double>;

}  // namespace dl
