#include "dlcore/layers/dot_product_attention.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/check.hpp"
#include "dlcore/core/gemm.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/layers/recurrent.hpp"

namespace dl {

template <class T>
void masked_softmax_row(T* s, std::size_t valid, std::size_t S) {
  //! [masked_softmax]
  const T m = *std::max_element(s, s + valid);  // exp(s - m) <= 1: no overflow
  T sum = T(0);
  for (std::size_t j = 0; j < valid; ++j) sum += (s[j] = std::exp(s[j] - m));
  const T inv = T(1) / sum;
  for (std::size_t j = 0; j < valid; ++j) s[j] *= inv;
  std::fill(s + valid, s + S, T(0));  // masked keys: weight exactly 0
  //! [masked_softmax]
}

namespace {

template <class T>
void zero_rows(T* p, std::size_t ld, std::size_t from, std::size_t to, std::size_t width) {
  for (std::size_t r = from; r < to; ++r) std::fill(p + r * ld, p + r * ld + width, T(0));
}

}  // namespace

template <class T>
void attention_forward(std::size_t Tq, std::size_t S, std::size_t valid, std::size_t d,
                       std::size_t dv, T scale, const T* Q, std::size_t ldq, const T* K,
                       std::size_t ldk, const T* V, std::size_t ldv, T* A, T* O, std::size_t ldo) {
  //! [attention_forward]
  gemm(Op::N, Op::T, Tq, valid, d, scale, Q, ldq, K, ldk, T(0), A, S);  // S = scale Q K^T
  for (std::size_t t = 0; t < Tq; ++t) masked_softmax_row(A + t * S, valid, S);  // A = softmax(S), masked
  gemm(Op::N, Op::N, Tq, dv, valid, T(1), A, S, V, ldv, T(0), O, ldo);    // O = A V
  //! [attention_forward]
}

template <class T>
void attention_backward(std::size_t Tq, std::size_t S, std::size_t valid, std::size_t d,
                        std::size_t dv, T scale, const T* Q, std::size_t ldq, const T* K,
                        std::size_t ldk, const T* V, std::size_t ldv, const T* A, const T* dO,
                        std::size_t lddo, T* work, T* dQ, std::size_t lddq, T* dK,
                        std::size_t lddk, T* dV, std::size_t lddv) {
  T* dA = work;  // (Tq, S), then overwritten by dS
  //! [attention_backward]
  gemm(Op::T, Op::N, valid, dv, Tq, T(1), A, S, dO, lddo, T(0), dV, lddv);  // dV = A^T dO
  gemm(Op::N, Op::T, Tq, valid, dv, T(1), dO, lddo, V, ldv, T(0), dA, S);   // dA = dO V^T
  for (std::size_t t = 0; t < Tq; ++t) {  // dS = A (dA - rowsum(A dA)): the softmax Jacobian
    const T* a = A + t * S;
    T* g = dA + t * S;
    T r = T(0);
    for (std::size_t j = 0; j < valid; ++j) r += a[j] * g[j];
    for (std::size_t j = 0; j < valid; ++j) g[j] = a[j] * (g[j] - r);
  }
  gemm(Op::N, Op::N, Tq, d, valid, scale, dA, S, K, ldk, T(0), dQ, lddq);   // dQ = scale dS K
  gemm(Op::T, Op::N, valid, d, Tq, scale, dA, S, Q, ldq, T(0), dK, lddk);   // dK = scale dS^T Q
  //! [attention_backward]
  zero_rows(dK, lddk, valid, S, d);  // masked keys and their values get no gradient
  zero_rows(dV, lddv, valid, S, dv);
}

template <class T>
Tensor3<T> DotProductAttention<T>::forward(const Tensor3<T>& q, const Tensor3<T>& k,
                                           const Tensor3<T>& v, const Lengths* key_lengths,
                                           Cache& cache) const {
  const std::string who = describe();
  const std::size_t Tq = q.shape(0), N = q.shape(1), d = q.shape(2), S = k.shape(0), dv = v.shape(2);
  if (k.shape(1) != N || k.shape(2) != d)
    throw ShapeError(fmt::format("{}: keys K have shape {} but the queries Q have shape {} (need (S, {}, {}))",
                                 who, shape_str(k.shape()), shape_str(q.shape()), N, d));
  if (v.shape(0) != S || v.shape(1) != N)
    throw ShapeError(fmt::format("{}: values V have shape {} but the keys K have shape {} (need ({}, {}, dv))",
                                 who, shape_str(v.shape()), shape_str(k.shape()), S, N));
  if (Tq == 0 || N == 0 || S == 0 || d == 0)
    throw ShapeError(fmt::format("{}: empty queries {} or keys {}", who, shape_str(q.shape()), shape_str(k.shape())));
  cache.lengths = key_lengths ? *key_lengths : Lengths{};
  check_lengths(who, cache.lengths, S, N);
  cache.q = q;
  cache.k = k;
  cache.v = v;
  cache.a.resize({N, Tq, S});
  Tensor3<T> y = Tensor3<T>::from_shape({Tq, N, dv});
  const T scale = T(1) / std::sqrt(T(d));
  // Sequence n: rows t of Q at q.data() + (t N + n) d, i.e. a block with row stride N d.
  parallel_for(N, [&](std::size_t n0, std::size_t n1, std::size_t) {
    for (std::size_t n = n0; n < n1; ++n)
      attention_forward(Tq, S, cache.lengths.empty() ? S : cache.lengths[n], d, dv, scale,
                        q.data() + n * d, N * d, k.data() + n * d, N * d, v.data() + n * dv, N * dv,
                        cache.a.data() + n * Tq * S, y.data() + n * dv, N * dv);
  });
  return y;
}

template <class T>
AttentionGrads<T> DotProductAttention<T>::backward(const Tensor3<T>& dy, const Cache& cache) const {
  const std::string who = describe();
  if (cache.a.dimension() != 3 || cache.a.size() == 0) throw ValueError(who + ": backward called before forward");
  const std::size_t Tq = cache.q.shape(0), N = cache.q.shape(1), d = cache.q.shape(2),
                    S = cache.k.shape(0), dv = cache.v.shape(2);
  check_shape(who, "gradient dY", dy, {Tq, N, dv});
  AttentionGrads<T> g{Tensor3<T>::from_shape({Tq, N, d}), Tensor3<T>::from_shape({S, N, d}),
                      Tensor3<T>::from_shape({S, N, dv})};
  const T scale = T(1) / std::sqrt(T(d));
  parallel_for(N, [&](std::size_t n0, std::size_t n1, std::size_t) {
    std::vector<T> work(Tq * S);
    for (std::size_t n = n0; n < n1; ++n)
      attention_backward(Tq, S, cache.lengths.empty() ? S : cache.lengths[n], d, dv, scale,
                         cache.q.data() + n * d, N * d, cache.k.data() + n * d, N * d,
                         cache.v.data() + n * dv, N * dv, cache.a.data() + n * Tq * S,
                         dy.data() + n * dv, N * dv, work.data(), g.dq.data() + n * d, N * d,
                         g.dk.data() + n * d, N * d, g.dv.data() + n * dv, N * dv);
  });
  return g;
}

#define DL_INSTANTIATE(T)                                                                          \
  template void masked_softmax_row<T>(T*, std::size_t, std::size_t);                              \
  template void attention_forward<T>(std::size_t, std::size_t, std::size_t, std::size_t,          \
                                     std::size_t, T, const T*, std::size_t, const T*,             \
                                     std::size_t, const T*, std::size_t, T*, T*, std::size_t);    \
  template void attention_backward<T>(std::size_t, std::size_t, std::size_t, std::size_t,         \
                                      std::size_t, T, const T*, std::size_t, const T*,            \
                                      std::size_t, const T*, std::size_t, const T*, const T*,     \
                                      std::size_t, T*, T*, std::size_t, T*, std::size_t, T*,      \
                                      std::size_t);                                               \
  template struct DotProductAttention<T>;
DL_INSTANTIATE(float)
DL_INSTANTIATE(double)
#undef DL_INSTANTIATE

}  // namespace dl
