#include "dlcore/layers/mean_steps.hpp"

#include "dlcore/core/check.hpp"
#include "dlcore/layers/recurrent.hpp"

namespace dl {

template <class T>
Tensor2<T> MeanSteps<T>::forward(const Tensor3<T>& x, Cache& cache, const Context& ctx) const {
  const std::size_t T_ = x.shape(0), N = x.shape(1), D = x.shape(2);
  if (T_ == 0) throw ShapeError("MeanSteps: input X has shape " + shape_str(x.shape()) + ", no steps");
  cache.steps = T_;
  cache.lengths = ctx.lengths ? *ctx.lengths : Lengths{};
  check_lengths("MeanSteps", cache.lengths, T_, N);
  Tensor2<T> y = xt::zeros<T>({N, D});
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t L = cache.lengths.empty() ? T_ : cache.lengths[n];
    T* yn = y.data() + n * D;
    for (std::size_t t = 0; t < L; ++t) {
      const T* xt_ = x.data() + (t * N + n) * D;
      for (std::size_t k = 0; k < D; ++k) yn[k] += xt_[k];
    }
    for (std::size_t k = 0; k < D; ++k) yn[k] /= T(L);
  }
  return y;
}

template <class T>
Tensor3<T> MeanSteps<T>::backward(const Tensor2<T>& dy, const Cache& cache) const {
  if (cache.steps == 0) throw ValueError("MeanSteps: backward called before forward");
  const std::size_t T_ = cache.steps, N = dy.shape(0), D = dy.shape(1);
  if (!cache.lengths.empty()) check_shape("MeanSteps", "gradient dY", dy, {cache.lengths.size(), D});
  Tensor3<T> dx = xt::zeros<T>({T_, N, D});
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t L = cache.lengths.empty() ? T_ : cache.lengths[n];
    for (std::size_t t = 0; t < L; ++t)
      for (std::size_t k = 0; k < D; ++k) dx.data()[(t * N + n) * D + k] = dy(n, k) / T(L);
  }
  return dx;
}

template struct MeanSteps<float>;
template struct MeanSteps<double>;

}  // namespace dl
