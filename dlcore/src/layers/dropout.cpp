#include "dlcore/layers/dropout.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/core/parallel.hpp"

namespace dl {

template <class T>
Dropout<T>::Dropout(T drop_probability) : p(drop_probability) {
  if (!(p >= T(0) && p < T(1)))
    throw ValueError(fmt::format("Dropout: drop probability p must be in [0, 1), got {}", double(p)));
}

template <class T>
std::string Dropout<T>::describe() const {
  return fmt::format("Dropout(p={})", double(p));
}

namespace {
// y_i = x_i * s_i over contiguous memory.
template <class T, std::size_t N>
xt::xtensor<T, N> times_mask(const xt::xtensor<T, N>& x, const Tensor1<T>& s) {
  xt::xtensor<T, N> y = xt::xtensor<T, N>::from_shape(x.shape());
  const T* in = x.data();
  const T* m = s.data();
  T* out = y.data();
  parallel_for_elements(x.size(), x.size(), [&](std::size_t b, std::size_t e, std::size_t) {
    for (std::size_t i = b; i < e; ++i) out[i] = in[i] * m[i];
  });
  return y;
}
}  // namespace

template <class T>
template <std::size_t N>
xt::xtensor<T, N> Dropout<T>::forward(const xt::xtensor<T, N>& x, Cache& cache,
                                      const Context& ctx) const {
  cache.shape = shape_of(x);
  if (ctx.mode == Mode::eval || p == T(0)) {  // inference: the identity
    cache.scaled_mask.resize({0});
    return x;
  }
  if (!ctx.rng) throw ValueError("Dropout: training mode needs the run's generator (ctx.rng is null)");
  if (cache.scaled_mask.size() != x.size()) cache.scaled_mask.resize({x.size()});
  //! [dropout_forward]
  const double keep = 1.0 - double(p);     // P(m_i = 1) = 1 - p
  const T scale = T(1) / (T(1) - p);       // 1 / (1 - p)
  Rng& rng = *ctx.rng;
  T* s = cache.scaled_mask.data();
  double u[512];  // the draws, a block at a time: the same numbers as rng.uniform() one by one
  for (std::size_t i0 = 0; i0 < x.size(); i0 += 512) {
    const std::size_t n = std::min<std::size_t>(512, x.size() - i0);
    rng.uniforms(u, n);
    for (std::size_t i = 0; i < n; ++i) s[i0 + i] = u[i] < keep ? scale : T(0);  // m_i / (1 - p)
  }
  return times_mask(x, cache.scaled_mask);     // y = x * m / (1 - p)
  //! [dropout_forward]
}

template <class T>
template <std::size_t N>
xt::xtensor<T, N> Dropout<T>::forward_with_mask(const xt::xtensor<T, N>& x,
                                                const xt::xtensor<T, N>& keep, Cache& cache) const {
  if (keep.shape() != x.shape())
    throw ShapeError("Dropout: keep-mask has shape " + shape_str(keep.shape()) +
                     " but input X has shape " + shape_str(x.shape()));
  cache.shape = shape_of(x);
  cache.scaled_mask.resize({x.size()});
  const T scale = T(1) / (T(1) - p);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const T k = keep.data()[i];
    if (k != T(0) && k != T(1))
      throw ValueError(fmt::format("Dropout: keep-mask values must be 0 or 1, element {} is {}", i,
                                   double(k)));
    cache.scaled_mask.data()[i] = k * scale;
  }
  return times_mask(x, cache.scaled_mask);
}

template <class T>
template <std::size_t N>
xt::xtensor<T, N> Dropout<T>::backward(const xt::xtensor<T, N>& dy, const Cache& cache) const {
  if (shape_of(dy) != cache.shape)
    throw ShapeError("Dropout: gradient dY has shape " + shape_str(dy.shape()) +
                     " but forward saw " + shape_str(cache.shape));
  if (cache.scaled_mask.size() == 0) return dy;  // forward was the identity
  //! [dropout_backward]
  return times_mask(dy, cache.scaled_mask);  // dx = dy * m / (1 - p)
  //! [dropout_backward]
}

#define DL_DROPOUT_RANK(T, N)                                                                   \
  template xt::xtensor<T, N> Dropout<T>::forward<N>(const xt::xtensor<T, N>&, Cache&,           \
                                                    const Context&) const;                      \
  template xt::xtensor<T, N> Dropout<T>::forward_with_mask<N>(                                  \
      const xt::xtensor<T, N>&, const xt::xtensor<T, N>&, Cache&) const;                        \
  template xt::xtensor<T, N> Dropout<T>::backward<N>(const xt::xtensor<T, N>&, const Cache&) const;
#define DL_DROPOUT(T)                                                       \
  template Dropout<T>::Dropout(T);                                          \
  template std::string Dropout<T>::describe() const;                        \
  DL_DROPOUT_RANK(T, 2) DL_DROPOUT_RANK(T, 3) DL_DROPOUT_RANK(T, 4)
DL_DROPOUT(float)
DL_DROPOUT(double)

}  // namespace dl
