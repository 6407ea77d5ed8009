#include "dlcore/layers/batchnorm.hpp"

#include <cmath>

#include "dlcore/core/check.hpp"
#include "dlcore/core/error.hpp"

namespace dl {

namespace {

// Every loop below sees X as (N, C, S): element (n, c, s) at (n C + c) S + s, with S = 1 for
// a matrix (N, D) and S = H W for feature maps. One (n, c) "plane" is S contiguous values.
struct Dims {
  std::size_t N, C, S;
  std::size_t M() const { return N * S; }  // values per channel in the batch
};

template <class E>
Dims dims_of(const E& x) {
  Dims d{x.shape(0), x.shape(1), 1};
  for (std::size_t k = 2; k < x.dimension(); ++k) d.S *= x.shape(k);
  return d;
}

//! [bn_helpers]
// f(c, offset) for every plane, offset = (n C + c) S.
template <class F>
void for_each_plane(const Dims& d, F f) {
  for (std::size_t n = 0; n < d.N; ++n)
    for (std::size_t c = 0; c < d.C; ++c) f(c, (n * d.C + c) * d.S);
}

// The sum of f(0), ..., f(n - 1), kept in 16 interleaved partial sums. One running sum is a
// chain of dependent additions, 4 cycles each; 16 independent ones fill a vector register
// and make the statistics of a feature map several times faster. The order of the
// additions is fixed, so results stay reproducible.
template <class T, class F>
T lane_sum(std::size_t n, F f) {
  constexpr std::size_t L = 16;
  T acc[L] = {};
  std::size_t i = 0;
  for (; i + L <= n; i += L)
    for (std::size_t k = 0; k < L; ++k) acc[k] += f(i + k);
  T s = 0;
  for (; i < n; ++i) s += f(i);
  for (std::size_t k = 0; k < L; ++k) s += acc[k];
  return s;
}
//! [bn_helpers]

template <std::size_t Rank>
std::string expected_shape(std::size_t C) {
  return Rank == 2 ? "(N, " + std::to_string(C) + ")" : "(N, " + std::to_string(C) + ", H, W)";
}

}  // namespace

template <class T, std::size_t Rank>
BatchNorm<T, Rank>::BatchNorm(std::size_t channels, T eps_, T momentum_)
    : gamma(xt::ones<T>({channels})),
      beta(xt::zeros<T>({channels})),
      dgamma(xt::zeros<T>({channels})),
      dbeta(xt::zeros<T>({channels})),
      running_mean(xt::zeros<T>({channels})),
      running_var(xt::ones<T>({channels})),
      eps(eps_),
      momentum(momentum_) {}

template <class T, std::size_t Rank>
typename BatchNorm<T, Rank>::Input BatchNorm<T, Rank>::forward(const Input& x, Cache& cache,
                                                               const Context& ctx) {
  if (x.shape(0) == 0) throw ShapeError(describe() + ": input X is an empty batch " + shape_str(x.shape()));
  if (x.shape(1) != channels())
    throw ShapeError(describe() + ": input X has shape " + shape_str(x.shape()) +
                     " but expected " + expected_shape<Rank>(channels()));
  const Dims d = dims_of(x);
  const std::size_t M = d.M();
  const T* X = x.data();
  cache.mode = ctx.mode;
  cache.xhat.resize(x.shape());
  cache.inv_std.resize({d.C});
  T* xhat = cache.xhat.data();
  T* inv_std = cache.inv_std.data();
  std::vector<T> mean(d.C);

  if (ctx.mode == Mode::train) {
    if (M < 2)
      throw ValueError(describe() + ": training needs more than one value per channel, got input shape " +
                       shape_str(x.shape()));
    //! [bn_forward_train]
    std::vector<double> sum(d.C, 0.0), sq(d.C, 0.0);  // per-channel sums, in double
    for_each_plane(d, [&](std::size_t c, std::size_t o) {
      sum[c] += lane_sum<T>(d.S, [&](std::size_t i) { return X[o + i]; });
    });
    for (std::size_t c = 0; c < d.C; ++c) mean[c] = T(sum[c] / double(M));  // mu = sum x / M
    for_each_plane(d, [&](std::size_t c, std::size_t o) {
      const T mu = mean[c];
      sq[c] += lane_sum<T>(d.S, [&](std::size_t i) { return (X[o + i] - mu) * (X[o + i] - mu); });
    });
    for (std::size_t c = 0; c < d.C; ++c) {
      const double var = sq[c] / double(M);                         // biased: normalises
      inv_std[c] = T(1.0 / std::sqrt(var + double(eps)));           // 1 / sigma
      running_mean(c) = (T(1) - momentum) * running_mean(c) + momentum * mean[c];
      running_var(c) = (T(1) - momentum) * running_var(c) +
                       momentum * T(var * double(M) / double(M - 1));  // unbiased: tracked
    }
    //! [bn_forward_train]
  } else {
    for (std::size_t c = 0; c < d.C; ++c) {
      mean[c] = running_mean(c);
      inv_std[c] = T(1) / std::sqrt(running_var(c) + eps);
    }
  }

  Input y = Input::from_shape(x.shape());
  T* Y = y.data();
  const T* g = gamma.data();
  const T* b = beta.data();
  //! [bn_forward_affine]
  for_each_plane(d, [&](std::size_t c, std::size_t o) {
    const T mu = mean[c], is = inv_std[c], gc = g[c], bc = b[c];  // held in registers
    for (std::size_t i = 0; i < d.S; ++i) {
      xhat[o + i] = (X[o + i] - mu) * is;  // xhat = (x - mu) / sigma
      Y[o + i] = gc * xhat[o + i] + bc;    // y = gamma xhat + beta
    }
  });
  //! [bn_forward_affine]
  return y;
}

template <class T, std::size_t Rank>
typename BatchNorm<T, Rank>::Input BatchNorm<T, Rank>::backward(const Input& dy,
                                                                const Cache& cache) {
  if (shape_of(dy) != shape_of(cache.xhat))
    throw ShapeError(describe() + ": gradient dY has shape " + shape_str(dy.shape()) +
                     " but the forward output had shape " + shape_str(cache.xhat.shape()));
  check_grad(describe(), "gamma", gamma, dgamma);
  check_grad(describe(), "beta", beta, dbeta);
  const Dims d = dims_of(dy);
  const T* G = dy.data();
  const T* xhat = cache.xhat.data();
  const T* inv_std = cache.inv_std.data();
  //! [bn_backward_params]
  std::vector<double> sum_dy(d.C, 0.0), sum_dy_xhat(d.C, 0.0);
  for_each_plane(d, [&](std::size_t c, std::size_t o) {
    sum_dy[c] += lane_sum<T>(d.S, [&](std::size_t i) { return G[o + i]; });
    sum_dy_xhat[c] += lane_sum<T>(d.S, [&](std::size_t i) { return G[o + i] * xhat[o + i]; });
  });
  for (std::size_t c = 0; c < d.C; ++c) {
    dbeta(c) += T(sum_dy[c]);        // dbeta  += sum dy
    dgamma(c) += T(sum_dy_xhat[c]);  // dgamma += sum dy xhat
  }
  //! [bn_backward_params]
  Input dx;
  if (!input_grad) return dx;
  dx = Input::from_shape(dy.shape());
  T* DX = dx.data();
  std::vector<T> scale(d.C), mean_dy(d.C, T(0)), mean_dy_xhat(d.C, T(0));
  for (std::size_t c = 0; c < d.C; ++c) scale[c] = gamma(c) * inv_std[c];  // gamma / sigma
  if (cache.mode == Mode::train) {
    //! [bn_backward_train]
    // dx = gamma / (M sigma) (M dy - sum dy - xhat sum(dy xhat)), with 1/M taken inside:
    const double M = double(d.M());
    for (std::size_t c = 0; c < d.C; ++c) {
      mean_dy[c] = T(sum_dy[c] / M);
      mean_dy_xhat[c] = T(sum_dy_xhat[c] / M);
    }
    for_each_plane(d, [&](std::size_t c, std::size_t o) {
      const T sc = scale[c], mg = mean_dy[c], mgx = mean_dy_xhat[c];
      for (std::size_t i = 0; i < d.S; ++i) DX[o + i] = sc * (G[o + i] - mg - xhat[o + i] * mgx);
    });
    //! [bn_backward_train]
  } else {
    //! [bn_backward_eval]
    for_each_plane(d, [&](std::size_t c, std::size_t o) {
      const T sc = scale[c];
      for (std::size_t i = 0; i < d.S; ++i) DX[o + i] = sc * G[o + i];  // dx = gamma dy / sigma
    });
    //! [bn_backward_eval]
  }
  return dx;
}

template <class T, std::size_t Rank>
std::vector<ParamRef<T>> BatchNorm<T, Rank>::params() {
  return {param_ref<T>("gamma", gamma, dgamma, /*decay=*/false),
          param_ref<T>("beta", beta, dbeta, /*decay=*/false)};
}

template <class T, std::size_t Rank>
std::vector<ParamRef<T>> BatchNorm<T, Rank>::buffers() {
  return {ParamRef<T>{"running_mean", running_mean.data(), nullptr, shape_of(running_mean), false},
          ParamRef<T>{"running_var", running_var.data(), nullptr, shape_of(running_var), false}};
}

template <class T, std::size_t Rank>
std::string BatchNorm<T, Rank>::describe() const {
  return std::string(Rank == 2 ? "BatchNorm1d(" : "BatchNorm2d(") + std::to_string(channels()) + ")";
}

template struct BatchNorm<float, 2>;
template struct BatchNorm<double, 2>;
template struct BatchNorm<float, 4>;
template struct BatchNorm<double, 4>;

}  // namespace dl
