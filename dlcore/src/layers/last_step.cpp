#include "dlcore/layers/last_step.hpp"

#include <algorithm>

#include "dlcore/core/check.hpp"
#include "dlcore/layers/recurrent.hpp"

namespace dl {

template <class T>
Tensor2<T> LastStep<T>::forward(const Tensor3<T>& x, Cache& cache, const Context& ctx) const {
  const std::size_t T_ = x.shape(0), N = x.shape(1), H = x.shape(2);
  if (T_ == 0) throw ShapeError("LastStep: input X has shape " + shape_str(x.shape()) + ", no steps");
  cache.steps = T_;
  cache.batch = N;
  cache.width = H;
  cache.lengths = ctx.lengths ? *ctx.lengths : Lengths{};
  check_lengths("LastStep", cache.lengths, T_, N);
  Tensor2<T> y = Tensor2<T>::from_shape({N, H});
  for (std::size_t n = 0; n < N; ++n) {  // Y_n = X[L_n - 1, n]
    const std::size_t t = cache.lengths.empty() ? T_ - 1 : cache.lengths[n] - 1;
    const T* src = x.data() + (t * N + n) * H;
    std::copy(src, src + H, y.data() + n * H);
  }
  return y;
}

template <class T>
Tensor3<T> LastStep<T>::backward(const Tensor2<T>& dy, const Cache& cache) const {
  if (cache.steps == 0) throw ValueError("LastStep: backward called before forward");
  check_shape("LastStep", "gradient dY", dy, {cache.batch, cache.width});
  const std::size_t N = cache.batch, H = cache.width, T_ = cache.steps;
  Tensor3<T> dx = xt::zeros<T>({T_, N, H});
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t t = cache.lengths.empty() ? T_ - 1 : cache.lengths[n] - 1;
    std::copy(dy.data() + n * H, dy.data() + (n + 1) * H, dx.data() + (t * N + n) * H);
  }
  return dx;
}

template struct LastStep<float>;
template struct LastStep<double>;

}  // namespace dl
