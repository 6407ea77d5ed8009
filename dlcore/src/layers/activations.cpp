#include "dlcore/layers/activations.hpp"

#include <algorithm>
#include <cmath>

#include "dlcore/core/check.hpp"
#include "dlcore/core/parallel.hpp"

namespace dl {

namespace {
template <class T, std::size_t N>
void check_cached(const char* who, const xt::xtensor<T, N>& dy, const Tensor1<T>& cached) {
  if (dy.size() != cached.size())
    throw ShapeError(std::string(who) + ": gradient dY has shape " + shape_str(dy.shape()) +
                     " (" + std::to_string(dy.size()) + " values) but forward saw " +
                     std::to_string(cached.size()) + " values");
}
// y_i = f(x_i), and a flat copy of x or of y (what the derivative needs) into `kept`, in one
// pass: a plain loop over contiguous memory, which the compiler vectorises, each value read
// once (a CNN's activations are megabytes: the time is memory traffic); large tensors are
// split between the threads.
enum class Keep { input, output };
template <class T, std::size_t N, class F>
xt::xtensor<T, N> map_keep(const xt::xtensor<T, N>& x, Tensor1<T>& kept, Keep what, F f) {
  if (kept.size() != x.size()) kept.resize({x.size()});
  xt::xtensor<T, N> y = xt::xtensor<T, N>::from_shape(x.shape());
  const T* in = x.data();
  T* k = kept.data();
  T* out = y.data();
  parallel_for_elements(x.size(), x.size(), [&](std::size_t b, std::size_t e, std::size_t) {
    for (std::size_t i = b; i < e; ++i) {
      const T v = in[i], r = f(v);
      out[i] = r;
      k[i] = what == Keep::input ? v : r;
    }
  });
  return y;
}
// dx_i = f(c_i, dy_i), with c what forward cached (its input or output).
template <class T, std::size_t N, class F>
xt::xtensor<T, N> map_grad(const char* who, const Tensor1<T>& cached,
                           const xt::xtensor<T, N>& dy, F f) {
  check_cached(who, dy, cached);
  xt::xtensor<T, N> dx = xt::xtensor<T, N>::from_shape(dy.shape());
  const T* c = cached.data();
  const T* g = dy.data();
  T* out = dx.data();
  parallel_for_elements(dy.size(), dy.size(), [&](std::size_t b, std::size_t e, std::size_t) {
    for (std::size_t i = b; i < e; ++i) out[i] = f(c[i], g[i]);
  });
  return dx;
}
}  // namespace

// ---- ReLU -----------------------------------------------------------------------------
template <class T>
template <std::size_t N>
xt::xtensor<T, N> ReLU<T>::forward(const xt::xtensor<T, N>& x, Cache& cache) const {
  //! [relu_forward]
  return map_keep(x, cache.x, Keep::input, [](T v) { return v < T(0) ? T(0) : v; });  // max(x, 0); NaN stays NaN
  //! [relu_forward]
}

template <class T>
template <std::size_t N>
xt::xtensor<T, N> ReLU<T>::backward(const xt::xtensor<T, N>& dy, const Cache& cache) const {
  //! [relu_backward]
  return map_grad("ReLU", cache.x, dy, [](T x, T g) { return x <= T(0) ? T(0) : g; });  // dy [x > 0]; NaN passes
  //! [relu_backward]
}

// ---- LeakyReLU ------------------------------------------------------------------------
template <class T>
template <std::size_t N>
xt::xtensor<T, N> LeakyReLU<T>::forward(const xt::xtensor<T, N>& x, Cache& cache) const {
  const T a = alpha;
  return map_keep(x, cache.x, Keep::input, [a](T v) { return v > T(0) ? v : a * v; });
}

template <class T>
template <std::size_t N>
xt::xtensor<T, N> LeakyReLU<T>::backward(const xt::xtensor<T, N>& dy, const Cache& cache) const {
  const T a = alpha;
  return map_grad("LeakyReLU", cache.x, dy, [a](T x, T g) { return x > T(0) ? g : a * g; });
}

// ---- Sigmoid --------------------------------------------------------------------------
template <class T>
template <std::size_t N>
xt::xtensor<T, N> Sigmoid<T>::forward(const xt::xtensor<T, N>& x, Cache& cache) const {
  return map_keep(x, cache.y, Keep::output, [](T v) { return stable_sigmoid(v); });
}

template <class T>
template <std::size_t N>
xt::xtensor<T, N> Sigmoid<T>::backward(const xt::xtensor<T, N>& dy, const Cache& cache) const {
  //! [sigmoid_backward]
  return map_grad("Sigmoid", cache.y, dy, [](T y, T g) { return g * y * (T(1) - y); });  // dy s(1-s)
  //! [sigmoid_backward]
}

// ---- Tanh -----------------------------------------------------------------------------
template <class T>
template <std::size_t N>
xt::xtensor<T, N> Tanh<T>::forward(const xt::xtensor<T, N>& x, Cache& cache) const {
  return map_keep(x, cache.y, Keep::output, [](T v) { return std::tanh(v); });
}

template <class T>
template <std::size_t N>
xt::xtensor<T, N> Tanh<T>::backward(const xt::xtensor<T, N>& dy, const Cache& cache) const {
  return map_grad("Tanh", cache.y, dy, [](T y, T g) { return g * (T(1) - y * y); });  // dy (1-y^2)
}

// ---- Softmax --------------------------------------------------------------------------
template <class T>
Tensor2<T> softmax_rows(const Tensor2<T>& x) {
  const std::size_t N = x.shape(0), K = x.shape(1);
  Tensor2<T> y = Tensor2<T>::from_shape({N, K});
  for (std::size_t i = 0; i < N; ++i) {
    const T* in = x.data() + i * K;
    T* out = y.data() + i * K;
    const T m = *std::max_element(in, in + K);  // subtract the row max: no overflow
    T sum = 0;
    for (std::size_t k = 0; k < K; ++k) sum += out[k] = std::exp(in[k] - m);
    for (std::size_t k = 0; k < K; ++k) out[k] /= sum;
  }
  return y;
}

template <class T>
Tensor2<T> log_softmax_rows(const Tensor2<T>& x) {
  const std::size_t N = x.shape(0), K = x.shape(1);
  Tensor2<T> y = Tensor2<T>::from_shape({N, K});
  for (std::size_t i = 0; i < N; ++i) {
    const T* in = x.data() + i * K;
    T* out = y.data() + i * K;
    const T m = *std::max_element(in, in + K);
    T sum = 0;
    for (std::size_t k = 0; k < K; ++k) sum += std::exp(in[k] - m);
    const T lse = m + std::log(sum);  // log sum_j e^{x_j}
    for (std::size_t k = 0; k < K; ++k) out[k] = in[k] - lse;
  }
  return y;
}

template <class T>
Tensor2<T> Softmax<T>::forward(const Tensor2<T>& x, Cache& cache) const {
  if (x.dimension() != 2 || x.shape(1) == 0)
    throw ShapeError("Softmax: input has shape " + shape_str(x.shape()) + ", expected (N, K>0)");
  cache.y = softmax_rows(x);
  return cache.y;
}

template <class T>
Tensor2<T> Softmax<T>::backward(const Tensor2<T>& dy, const Cache& cache) const {
  check_same_shape("Softmax", "gradient dY", dy, "output Y", cache.y);
  const std::size_t N = dy.shape(0), K = dy.shape(1);
  Tensor2<T> dx = Tensor2<T>::from_shape({N, K});
  for (std::size_t i = 0; i < N; ++i) {
    const T* y = cache.y.data() + i * K;
    const T* g = dy.data() + i * K;
    T* out = dx.data() + i * K;
    //! [softmax_backward]
    T dot = 0;
    for (std::size_t k = 0; k < K; ++k) dot += g[k] * y[k];          // <dy_i, y_i>
    for (std::size_t k = 0; k < K; ++k) out[k] = y[k] * (g[k] - dot);  // y_i (dy_i - <dy_i, y_i>)
    //! [softmax_backward]
  }
  return dx;
}

// ---- instantiations -------------------------------------------------------------------
#define DL_ELEMENTWISE(L, T, N)                                                              \
  template xt::xtensor<T, N> L<T>::forward<N>(const xt::xtensor<T, N>&, Cache&) const;       \
  template xt::xtensor<T, N> L<T>::backward<N>(const xt::xtensor<T, N>&, const Cache&) const;
#define DL_ALL_RANKS(L, T) DL_ELEMENTWISE(L, T, 1) DL_ELEMENTWISE(L, T, 2) \
  DL_ELEMENTWISE(L, T, 3) DL_ELEMENTWISE(L, T, 4)
#define DL_ALL(T)                                                                        \
  DL_ALL_RANKS(ReLU, T) DL_ALL_RANKS(LeakyReLU, T) DL_ALL_RANKS(Sigmoid, T)             \
  DL_ALL_RANKS(Tanh, T) template struct Softmax<T>;                                      \
  template Tensor2<T> softmax_rows(const Tensor2<T>&);                                   \
  template Tensor2<T> log_softmax_rows(const Tensor2<T>&);
DL_ALL(float)
DL_ALL(double)

}  // namespace dl
