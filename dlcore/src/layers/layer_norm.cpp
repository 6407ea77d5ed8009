#include "dlcore/layers/layer_norm.hpp"

#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/check.hpp"

namespace dl {

template <class T>
LayerNorm<T>::LayerNorm(std::size_t features, T epsilon)
    : gamma(xt::ones<T>({features})),
      beta(xt::zeros<T>({features})),
      dgamma(xt::zeros<T>({features})),
      dbeta(xt::zeros<T>({features})),
      eps(epsilon) {
  if (features == 0) throw ValueError("LayerNorm: needs at least one feature");
  if (!(epsilon > T(0))) throw ValueError(fmt::format("LayerNorm: epsilon must be positive, got {}", double(epsilon)));
}

template <class T>
void LayerNorm<T>::forward_rows(const T* x, std::size_t rows, T* y, Cache& cache) const {
  const std::size_t D = features();
  cache.xhat.resize({rows, D});
  cache.rstd.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    //! [layernorm_forward]
    const T* xr = x + r * D;
    T mu = T(0), var = T(0);
    for (std::size_t j = 0; j < D; ++j) mu += xr[j];
    mu /= T(D);                                              // mean of the row
    for (std::size_t j = 0; j < D; ++j) var += (xr[j] - mu) * (xr[j] - mu);
    const T rstd = T(1) / std::sqrt(var / T(D) + eps);       // 1 / sqrt(sigma^2 + eps)
    T* xh = cache.xhat.data() + r * D;
    for (std::size_t j = 0; j < D; ++j) {
      xh[j] = (xr[j] - mu) * rstd;                           // x^ = (x - mu) / sigma
      y[r * D + j] = gamma[j] * xh[j] + beta[j];             // y = gamma x^ + beta
    }
    cache.rstd[r] = rstd;
    //! [layernorm_forward]
  }
}

template <class T>
void LayerNorm<T>::backward_rows(const T* dy, std::size_t rows, const Cache& cache, T* dx) {
  const std::size_t D = features();
  for (std::size_t r = 0; r < rows; ++r) {
    //! [layernorm_backward]
    const T* g = dy + r * D;         // dL/dy of this row
    const T* xh = cache.xhat.data() + r * D;
    T mean_g = T(0), mean_gx = T(0);  // means over the row of gamma dy and gamma dy x^
    for (std::size_t j = 0; j < D; ++j) {
      dgamma[j] += g[j] * xh[j];      // dgamma += dy x^
      dbeta[j] += g[j];               // dbeta  += dy
      mean_g += gamma[j] * g[j];
      mean_gx += gamma[j] * g[j] * xh[j];
    }
    mean_g /= T(D);
    mean_gx /= T(D);
    if (dx)  // dx = (gamma dy - mean(gamma dy) - x^ mean(gamma dy x^)) / sigma
      for (std::size_t j = 0; j < D; ++j)
        dx[r * D + j] = cache.rstd[r] * (gamma[j] * g[j] - mean_g - xh[j] * mean_gx);
    //! [layernorm_backward]
  }
}

template <class T>
template <std::size_t R>
xt::xtensor<T, R> LayerNorm<T>::forward(const xt::xtensor<T, R>& x, Cache& cache) const {
  if (gamma.size() == 0) throw ValueError("LayerNorm: forward on a layer without parameters (default-constructed)");
  const std::size_t D = features();
  if (x.shape(R - 1) != D)
    throw ShapeError(fmt::format("{}: input X has shape {} but its last axis must have {} features",
                                 describe(), shape_str(x.shape()), D));
  cache.shape = shape_of(x);
  xt::xtensor<T, R> y = xt::xtensor<T, R>::from_shape(x.shape());
  forward_rows(x.data(), x.size() / D, y.data(), cache);
  return y;
}

template <class T>
template <std::size_t R>
xt::xtensor<T, R> LayerNorm<T>::backward(const xt::xtensor<T, R>& dy, const Cache& cache) {
  if (cache.shape.empty()) throw ValueError(describe() + ": backward called before forward");
  check_shape(describe(), "gradient dY", dy, cache.shape);
  xt::xtensor<T, R> dx;
  if (input_grad) dx.resize(dy.shape());
  backward_rows(dy.data(), dy.size() / features(), cache, input_grad ? dx.data() : nullptr);
  return dx;
}

template <class T>
std::vector<ParamRef<T>> LayerNorm<T>::params() {
  return {param_ref<T>("gamma", gamma, dgamma, /*decay=*/false),
          param_ref<T>("beta", beta, dbeta, /*decay=*/false)};
}

template <class T>
std::string LayerNorm<T>::describe() const {
  return "LayerNorm(" + std::to_string(features()) + ")";
}

#define DL_INSTANTIATE(T, R)                                                                       \
  template xt::xtensor<T, R> LayerNorm<T>::forward<R>(const xt::xtensor<T, R>&, Cache&) const;     \
  template xt::xtensor<T, R> LayerNorm<T>::backward<R>(const xt::xtensor<T, R>&, const Cache&);
template struct LayerNorm<float>;
template struct LayerNorm<double>;
DL_INSTANTIATE(float, 2)
DL_INSTANTIATE(float, 3)
DL_INSTANTIATE(float, 4)
DL_INSTANTIATE(double, 2)
DL_INSTANTIATE(double, 3)
DL_INSTANTIATE(double, 4)
#undef DL_INSTANTIATE

}  // namespace dl
