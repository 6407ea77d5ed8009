#include "dlcore/layers/attention_pool.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/check.hpp"
#include "dlcore/layers/recurrent.hpp"  // check_lengths

namespace dl {

template <class T>
AttentionPool<T>::AttentionPool(std::size_t hidden) : q(xt::zeros<T>({hidden})), dq(xt::zeros<T>({hidden})) {
  if (hidden == 0) throw ValueError("AttentionPool: needs at least one feature");
}

template <class T>
Tensor2<T> AttentionPool<T>::forward(const Tensor3<T>& x, Cache& cache, const Context& ctx) const {
  const std::size_t T_ = x.shape(0), N = x.shape(1), H = x.shape(2);
  if (H != hidden() || T_ == 0)
    throw ShapeError(fmt::format("{}: input X has shape {} but expected (T, N, {}) with T > 0", describe(),
                                 shape_str(x.shape()), hidden()));
  cache.lengths = ctx.lengths ? *ctx.lengths : Lengths{};
  check_lengths(describe(), cache.lengths, T_, N);
  cache.x = x;
  cache.alpha = xt::zeros<T>({N, T_});
  Tensor2<T> y = xt::zeros<T>({N, H});
  const T* q_ = q.data();
  //! [attention_pool_forward]
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t len = cache.lengths.empty() ? T_ : cache.lengths[n];
    T* a = cache.alpha.data() + n * T_;
    T top = T(0);
    for (std::size_t t = 0; t < len; ++t) {  // s_t = q^T x_t
      const T* xt = x.data() + (t * N + n) * H;
      T s = T(0);
      for (std::size_t h = 0; h < H; ++h) s += q_[h] * xt[h];
      a[t] = s;
      top = t == 0 ? s : std::max(top, s);
    }
    T sum = T(0);
    for (std::size_t t = 0; t < len; ++t) sum += a[t] = std::exp(a[t] - top);  // softmax over t < L_n
    T* yn = y.data() + n * H;
    for (std::size_t t = 0; t < len; ++t) {  // y = sum_t alpha_t x_t
      a[t] /= sum;
      const T* xt = x.data() + (t * N + n) * H;
      for (std::size_t h = 0; h < H; ++h) yn[h] += a[t] * xt[h];
    }
  }
  //! [attention_pool_forward]
  return y;
}

template <class T>
Tensor3<T> AttentionPool<T>::backward(const Tensor2<T>& dy, const Cache& cache) {
  if (cache.x.size() == 0) throw ValueError(describe() + ": backward called before forward");
  if (dq.size() != q.size()) throw ValueError(describe() + ": backward without a gradient tensor (default-constructed?)");
  const std::size_t T_ = cache.x.shape(0), N = cache.x.shape(1), H = cache.x.shape(2);
  check_shape(describe(), "gradient dY", dy, {N, H});
  Tensor3<T> dx = xt::zeros<T>({T_, N, H});
  std::vector<T> ds(T_);
  const T* q_ = q.data();
  T* dq_ = dq.data();
  //! [attention_pool_backward]
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t len = cache.lengths.empty() ? T_ : cache.lengths[n];
    const T* a = cache.alpha.data() + n * T_;
    const T* g = dy.data() + n * H;
    T mean = T(0);  // sum_u alpha_u dalpha_u
    for (std::size_t t = 0; t < len; ++t) {  // dalpha_t = g^T x_t
      const T* xt = cache.x.data() + (t * N + n) * H;
      T da = T(0);
      for (std::size_t h = 0; h < H; ++h) da += g[h] * xt[h];
      ds[t] = da;
      mean += a[t] * da;
    }
    for (std::size_t t = 0; t < len; ++t) {
      ds[t] = a[t] * (ds[t] - mean);  // ds_t = alpha_t (dalpha_t - sum_u alpha_u dalpha_u)
      const T* xt = cache.x.data() + (t * N + n) * H;
      T* dxt = dx.data() + (t * N + n) * H;
      for (std::size_t h = 0; h < H; ++h) {
        dxt[h] = a[t] * g[h] + ds[t] * q_[h];  // dx_t = alpha_t g + ds_t q
        dq_[h] += ds[t] * xt[h];              // dq += ds_t x_t
      }
    }
  }
  //! [attention_pool_backward]
  return dx;
}

template <class T>
std::vector<ParamRef<T>> AttentionPool<T>::params() {
  return {param_ref<T>("q", q, dq, /*decay=*/false)};
}

template <class T>
std::string AttentionPool<T>::describe() const {
  return fmt::format("AttentionPool({})", hidden());
}

template struct AttentionPool<float>;
template struct AttentionPool<double>;

}  // namespace dl
