#include "dlcore/layers/additive_attention.hpp"

#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/check.hpp"
#include "dlcore/core/gemm.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/core/rows.hpp"
#include "dlcore/core/vmath.hpp"
#include "dlcore/layers/init.hpp"
#include "dlcore/layers/recurrent.hpp"

namespace dl {

template <class T>
AdditiveAttention<T>::AdditiveAttention(std::size_t d_query, std::size_t d_key, std::size_t width, Rng& rng)
    : W_q(Tensor2<T>::from_shape({d_query, width})),
      W_k(Tensor2<T>::from_shape({d_key, width})),
      b(xt::zeros<T>({width})),
      v(Tensor1<T>::from_shape({width})),
      dW_q(xt::zeros<T>({d_query, width})),
      dW_k(xt::zeros<T>({d_key, width})),
      db(xt::zeros<T>({width})),
      dv(xt::zeros<T>({width})) {
  if (d_query == 0 || d_key == 0 || width == 0)
    throw ValueError(fmt::format("AdditiveAttention: needs nonzero sizes, got query {}, key {}, width {}",
                                 d_query, d_key, width));
  init_weights(W_q, Init::xavier_uniform, d_query, width, rng);
  init_weights(W_k, Init::xavier_uniform, d_key, width, rng);
  const double a = 1.0 / std::sqrt(double(width));
  for (auto& x : v) x = T(rng.uniform(-a, a));
}

template <class T>
Tensor3<T> AdditiveAttention<T>::forward(const Tensor3<T>& q, const Tensor3<T>& k, const Tensor3<T>& x,
                                         const Lengths* key_lengths, Cache& cache) const {
  const std::string who = describe();
  if (W_q.size() == 0) throw ValueError("AdditiveAttention: forward on a layer without weights (default-constructed)");
  const std::size_t Tq = q.shape(0), N = q.shape(1), S = k.shape(0), A = width(), Dv = x.shape(2);
  if (q.shape(2) != d_query())
    throw ShapeError(fmt::format("{}: queries have shape {} but expected (Tq, N, {})", who, shape_str(q.shape()), d_query()));
  if (k.shape(1) != N || k.shape(2) != d_key())
    throw ShapeError(fmt::format("{}: keys have shape {} but the queries have shape {} (need (S, {}, {}))", who,
                                 shape_str(k.shape()), shape_str(q.shape()), N, d_key()));
  if (x.shape(0) != S || x.shape(1) != N)
    throw ShapeError(fmt::format("{}: values have shape {} but the keys have shape {} (need ({}, {}, Dv))", who,
                                 shape_str(x.shape()), shape_str(k.shape()), S, N));
  if (Tq == 0 || N == 0 || S == 0)
    throw ShapeError(fmt::format("{}: empty queries {} or keys {}", who, shape_str(q.shape()), shape_str(k.shape())));
  cache.lengths = key_lengths ? *key_lengths : Lengths{};
  check_lengths(who, cache.lengths, S, N);
  cache.q = q;
  cache.k = k;
  cache.x = x;
  // The two projections, each one GEMM over every row of the batch: Qp = Q W_q, Kp = K W_k + b
  gemm(Op::N, Op::N, Tq * N, A, d_query(), T(1), q.data(), d_query(), W_q.data(), A, T(0),
       (cache.qp.resize({Tq * N, A}), cache.qp.data()), A);
  cache.kp = repeat_rows(b, S * N);
  gemm(Op::N, Op::N, S * N, A, d_key(), T(1), k.data(), d_key(), W_k.data(), A, T(1), cache.kp.data(), A);
  cache.u.resize(N * Tq * S * A);
  cache.a.resize({N, Tq, S});
  Tensor3<T> y = Tensor3<T>::from_shape({Tq, N, Dv});
  parallel_for(N, [&](std::size_t n0, std::size_t n1, std::size_t) {
    for (std::size_t n = n0; n < n1; ++n) {
      const std::size_t valid = cache.lengths.empty() ? S : cache.lengths[n];
      for (std::size_t t = 0; t < Tq; ++t) {
        //! [additive_scores]
        const T* qt = cache.qp.data() + (t * N + n) * A;  // q_t W_q
        T* u = cache.u.data() + (n * Tq + t) * S * A;     // u_ts, s = 0 .. valid-1
        T* e = cache.a.data() + (n * Tq + t) * S;         // scores, then weights
        for (std::size_t s = 0; s < valid; ++s) {
          const T* ks = cache.kp.data() + (s * N + n) * A;  // k_s W_k + b
          for (std::size_t j = 0; j < A; ++j) u[s * A + j] = qt[j] + ks[j];
        }
        tanh_inplace(u, valid * A);                        // u_ts = tanh(q_t W_q + k_s W_k + b)
        for (std::size_t s = 0; s < valid; ++s) {          // e_ts = v . u_ts
          T dot = T(0);
          for (std::size_t j = 0; j < A; ++j) dot += v[j] * u[s * A + j];
          e[s] = dot;
        }
        masked_softmax_row(e, valid, S);                   // alpha_t = softmax(e_t)
        //! [additive_scores]
      }
      // o_t = sum_s alpha_ts x_s: (Tq, valid) x (valid, Dv) for this sequence
      gemm(Op::N, Op::N, Tq, Dv, valid, T(1), cache.a.data() + n * Tq * S, S, x.data() + n * Dv, N * Dv,
           T(0), y.data() + n * Dv, N * Dv);
    }
  });
  return y;
}

template <class T>
AttentionGrads<T> AdditiveAttention<T>::backward(const Tensor3<T>& dy, const Cache& cache) {
  const std::string who = describe();
  if (cache.a.size() == 0) throw ValueError(who + ": backward called before forward");
  const std::size_t Tq = cache.q.shape(0), N = cache.q.shape(1), S = cache.k.shape(0), A = width(),
                    Dv = cache.x.shape(2);
  check_shape(who, "gradient dY", dy, {Tq, N, Dv});
  AttentionGrads<T> g{{}, {}, Tensor3<T>::from_shape({S, N, Dv})};
  Tensor2<T> dqp = xt::zeros<T>({Tq * N, A}), dkp = xt::zeros<T>({S * N, A});
  Tensor2<T> dv_n = xt::zeros<T>({N, A});  // each sequence's share of dv, summed in order below
  parallel_for(N, [&](std::size_t n0, std::size_t n1, std::size_t) {
    std::vector<T> work(Tq * S);
    for (std::size_t n = n0; n < n1; ++n) {
      const std::size_t valid = cache.lengths.empty() ? S : cache.lengths[n];
      const T* a = cache.a.data() + n * Tq * S;
      const T* dO = dy.data() + n * Dv;
      T* dX = g.dv.data() + n * Dv;
      // dX = alpha^T dO (the masked keys' rows 0); d alpha = dO X^T
      gemm(Op::T, Op::N, valid, Dv, Tq, T(1), a, S, dO, N * Dv, T(0), dX, N * Dv);
      for (std::size_t s = valid; s < S; ++s) std::fill(dX + s * N * Dv, dX + s * N * Dv + Dv, T(0));
      gemm(Op::N, Op::T, Tq, valid, Dv, T(1), dO, N * Dv, cache.x.data() + n * Dv, N * Dv, T(0), work.data(), S);
      T* dvn = dv_n.data() + n * A;
      for (std::size_t t = 0; t < Tq; ++t) {
        //! [additive_backward]
        T* de = work.data() + t * S;  // d alpha_t -> d e_t through the softmax Jacobian
        T r = T(0);
        for (std::size_t s = 0; s < valid; ++s) r += a[t * S + s] * de[s];
        for (std::size_t s = 0; s < valid; ++s) de[s] = a[t * S + s] * (de[s] - r);
        const T* u = cache.u.data() + (n * Tq + t) * S * A;
        T* dq = dqp.data() + (t * N + n) * A;
        for (std::size_t s = 0; s < valid; ++s) {
          T* dk = dkp.data() + (s * N + n) * A;
          const T* us = u + s * A;
          for (std::size_t j = 0; j < A; ++j) {
            dvn[j] += de[s] * us[j];                                  // dv += de_ts u_ts
            const T dpre = de[s] * v[j] * (T(1) - us[j] * us[j]);      // through tanh
            dq[j] += dpre;                                            // d(q_t W_q)
            dk[j] += dpre;                                            // d(k_s W_k + b)
          }
        }
        //! [additive_backward]
      }
    }
  });
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t j = 0; j < A; ++j) dv[j] += dv_n(n, j);
  // The projections' gradients, one GEMM each over the whole batch
  gemm(Op::T, Op::N, d_query(), A, Tq * N, T(1), cache.q.data(), d_query(), dqp.data(), A, T(1), dW_q.data(), A);
  gemm(Op::T, Op::N, d_key(), A, S * N, T(1), cache.k.data(), d_key(), dkp.data(), A, T(1), dW_k.data(), A);
  add_column_sums(dkp, db);
  g.dq.resize({Tq, N, d_query()});
  gemm(Op::N, Op::T, Tq * N, d_query(), A, T(1), dqp.data(), A, W_q.data(), A, T(0), g.dq.data(), d_query());
  g.dk.resize({S, N, d_key()});
  gemm(Op::N, Op::T, S * N, d_key(), A, T(1), dkp.data(), A, W_k.data(), A, T(0), g.dk.data(), d_key());
  return g;
}

template <class T>
std::vector<ParamRef<T>> AdditiveAttention<T>::params() {
  return {param_ref<T>("W_q", W_q, dW_q), param_ref<T>("W_k", W_k, dW_k),
          param_ref<T>("b", b, db, /*decay=*/false), param_ref<T>("v", v, dv)};
}

template <class T>
std::string AdditiveAttention<T>::describe() const {
  return fmt::format("AdditiveAttention({}, {} -> {})", W_q.size() ? d_query() : 0,
                     W_k.size() ? d_key() : 0, v.size());
}

template struct AdditiveAttention<float>;
template struct AdditiveAttention<double>;

}  // namespace dl
