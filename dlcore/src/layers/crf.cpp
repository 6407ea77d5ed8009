#include "dlcore/layers/crf.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "dlcore/core/check.hpp"
#include "dlcore/core/error.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/layers/recurrent.hpp"

namespace dl {

namespace {

// Notation: sequence n of a (T, N, K) tensor has its step t at data + (t N + n) K, so one
// sequence is a pointer and a stride S = N K between steps. L is its length, A(i, j) is
// A[i K + j].

// log sum_i exp(v_i) without overflow: m + log sum_i exp(v_i - m), m = max_i v_i
// (-inf when every v_i is -inf, e.g. transitions forbidden by hand).
template <class T>
T log_sum_exp(const T* v, std::size_t n) {
  const T m = *std::max_element(v, v + n);
  if (m == -std::numeric_limits<T>::infinity()) return m;
  T s = 0;
  for (std::size_t i = 0; i < n; ++i) s += std::exp(v[i] - m);
  return m + std::log(s);
}

// The length of sequence n: all T without lengths (a null pointer or an empty vector).
inline std::size_t length_of(const Lengths* lengths, std::size_t n, std::size_t T) {
  return lengths && !lengths->empty() ? (*lengths)[n] : T;
}

// The forward algorithm for one sequence: alpha_t(j) for t < L (stride S), returns log Z.
// tmp holds K values.
template <class T>
T forward_algorithm(const T* e, std::size_t S, std::size_t L, std::size_t K, const T* A,
                    const T* start, const T* end, T* alpha, T* tmp) {
  //! [forward_algorithm]
  for (std::size_t j = 0; j < K; ++j) alpha[j] = start[j] + e[j];  // alpha_0 = pi + E_0
  for (std::size_t t = 1; t < L; ++t) {
    const T* prev = alpha + (t - 1) * S;
    T* a = alpha + t * S;
    for (std::size_t j = 0; j < K; ++j) {  // alpha_t(j) = E_tj + log sum_i exp(alpha_{t-1}(i) + A_ij)
      for (std::size_t i = 0; i < K; ++i) tmp[i] = prev[i] + A[i * K + j];
      a[j] = e[t * S + j] + log_sum_exp(tmp, K);
    }
  }
  const T* last = alpha + (L - 1) * S;
  for (std::size_t j = 0; j < K; ++j) tmp[j] = last[j] + end[j];
  return log_sum_exp(tmp, K);  // log Z = log sum_j exp(alpha_{L-1}(j) + omega_j)
  //! [forward_algorithm]
}

// The backward algorithm for one sequence: beta_t(i), the log of the summed scores of every
// continuation after tag i at step t, into beta (L rows of K, contiguous).
template <class T>
void backward_algorithm(const T* e, std::size_t S, std::size_t L, std::size_t K, const T* A,
                        const T* end, T* beta, T* tmp) {
  std::copy(end, end + K, beta + (L - 1) * K);  // beta_{L-1}(i) = omega_i
  for (std::size_t t = L - 1; t-- > 0;) {
    const T* next = beta + (t + 1) * K;
    const T* en = e + (t + 1) * S;
    for (std::size_t i = 0; i < K; ++i) {  // beta_t(i) = log sum_j exp(A_ij + E_{t+1,j} + beta_{t+1}(j))
      for (std::size_t j = 0; j < K; ++j) tmp[j] = A[i * K + j] + en[j] + next[j];
      beta[t * K + i] = log_sum_exp(tmp, K);
    }
  }
}

// The score of the path y (stride 1 within a row of the tags) for one sequence.
template <class T>
T path_score(const T* e, std::size_t S, std::size_t L, std::size_t K, const T* A, const T* start,
             const T* end, const std::int32_t* y) {
  T s = start[y[0]] + end[y[L - 1]];
  for (std::size_t t = 0; t < L; ++t) s += e[t * S + std::size_t(y[t])];                    // emissions
  for (std::size_t t = 1; t < L; ++t) s += A[std::size_t(y[t - 1]) * K + std::size_t(y[t])];  // transitions
  return s;
}

}  // namespace

template <class T>
LinearChainCRF<T>::LinearChainCRF(std::size_t num_tags)
    : A(xt::zeros<T>({num_tags, num_tags})), start(xt::zeros<T>({num_tags})),
      end(xt::zeros<T>({num_tags})), dA(xt::zeros<T>({num_tags, num_tags})),
      dstart(xt::zeros<T>({num_tags})), dend(xt::zeros<T>({num_tags})) {
  if (num_tags == 0) throw ValueError("CRF: needs at least one tag");
}

// The checks every entry point makes: emissions (T, N, K) with K tags, valid lengths.
template <class T>
static void check_emissions(const std::string& who, const Tensor3<T>& e, std::size_t K,
                            const Lengths* lengths) {
  if (K == 0) throw ValueError(who + ": a CRF without tags (default-constructed)");
  if (e.shape(2) != K || e.shape(0) == 0 || e.shape(1) == 0)
    throw ShapeError(fmt::format("{}: emissions have shape {} but expected (T, N, {}) with T, N >= 1",
                                 who, shape_str(e.shape()), K));
  if (lengths) check_lengths(who, *lengths, e.shape(0), e.shape(1));
}

template <class T>
T LinearChainCRF<T>::forward(const Tensor3<T>& emissions, const Tags& tags, const Lengths* lengths,
                             Cache& cache) const {
  const std::string who = describe();
  const std::size_t K = num_tags();
  check_emissions(who, emissions, K, lengths);
  const std::size_t T_ = emissions.shape(0), N = emissions.shape(1), S = N * K;
  cache.lengths = lengths ? *lengths : Lengths{};
  check_tags(who, tags, T_, N, K, cache.lengths);
  cache.e = emissions;
  cache.tags = tags;
  cache.alpha.resize({T_, N, K});
  cache.log_z.assign(N, T(0));
  std::vector<T> scores(N);
  parallel_for(N, [&](std::size_t n0, std::size_t n1, std::size_t) {
    std::vector<T> tmp(K);
    for (std::size_t n = n0; n < n1; ++n) {
      const std::size_t L = cache.lengths.empty() ? T_ : cache.lengths[n];
      cache.log_z[n] = forward_algorithm(emissions.data() + n * K, S, L, K, A.data(), start.data(),
                                         end.data(), cache.alpha.data() + n * K, tmp.data());
      scores[n] = path_score(emissions.data() + n * K, S, L, K, A.data(), start.data(), end.data(),
                             tags.data() + n * T_);
    }
  });
  double nll = 0;
  cache.tokens = 0;
  for (std::size_t n = 0; n < N; ++n) {  // in order: the same sum for any number of threads
    nll += double(cache.log_z[n]) - double(scores[n]);
    cache.tokens += cache.lengths.empty() ? T_ : cache.lengths[n];
  }
  return T(nll / double(cache.tokens));
}

template <class T>
Tensor3<T> LinearChainCRF<T>::backward(const Cache& cache) {
  const std::string who = describe();
  if (cache.tokens == 0) throw ValueError(who + ": backward called before forward");
  const std::size_t K = num_tags(), T_ = cache.e.shape(0), N = cache.e.shape(1), S = N * K;
  if (cache.e.shape(2) != K)
    throw ShapeError(fmt::format("{}: the cache holds emissions {} from a CRF of another size",
                                 who, shape_str(cache.e.shape())));
  if (dA.shape() != A.shape()) throw ValueError(who + ": backward without gradient tensors (default-constructed?)");
  const T s = T(1) / T(cache.tokens);  // the loss is a mean over the valid steps
  Tensor3<T> de = xt::zeros<T>({T_, N, K});
  const std::size_t workers = parallel_workers(N);
  std::vector<std::vector<T>> part(workers, std::vector<T>(K * K + 2 * K, T(0)));  // dA, dstart, dend
  parallel_for(N, [&](std::size_t n0, std::size_t n1, std::size_t w) {
    std::vector<T> beta(T_ * K), tmp(K);
    T *gA = part[w].data(), *gstart = gA + K * K, *gend = gstart + K;
    for (std::size_t n = n0; n < n1; ++n) {
      const std::size_t L = cache.lengths.empty() ? T_ : cache.lengths[n];
      const T* e = cache.e.data() + n * K;
      const T* alpha = cache.alpha.data() + n * K;
      const std::int32_t* y = cache.tags.data() + n * T_;
      const T log_z = cache.log_z[n];
      backward_algorithm(e, S, L, K, A.data(), end.data(), beta.data(), tmp.data());
      T* d = de.data() + n * K;
      //! [crf_gradient]
      for (std::size_t t = 0; t < L; ++t)
        for (std::size_t j = 0; j < K; ++j) {  // p(y_t = j) = exp(alpha_t(j) + beta_t(j) - log Z)
          const T p = std::exp(alpha[t * S + j] + beta[t * K + j] - log_z);
          d[t * S + j] = s * p;                                   // dE_tj = p(y_t = j) ...
          if (t == 0) gstart[j] += s * p;                         // dpi_j = p(y_0 = j) ...
          if (t == L - 1) gend[j] += s * p;                       // domega_j = p(y_{L-1} = j) ...
        }
      for (std::size_t t = 1; t < L; ++t)  // p(y_{t-1} = i, y_t = j) = exp(alpha_{t-1}(i) + A_ij + E_tj + beta_t(j) - log Z)
        for (std::size_t i = 0; i < K; ++i)
          for (std::size_t j = 0; j < K; ++j)
            gA[i * K + j] += s * std::exp(alpha[(t - 1) * S + i] + A(i, j) + e[t * S + j] + beta[t * K + j] - log_z);
      for (std::size_t t = 0; t < L; ++t) d[t * S + std::size_t(y[t])] -= s;  // ... minus the true path's counts
      for (std::size_t t = 1; t < L; ++t) gA[std::size_t(y[t - 1]) * K + std::size_t(y[t])] -= s;
      gstart[y[0]] -= s;
      gend[y[L - 1]] -= s;
      //! [crf_gradient]
    }
  });
  for (const auto& p : part) {  // the workers' sums, in worker order (reproducible)
    for (std::size_t k = 0; k < K * K; ++k) dA.data()[k] += p[k];
    for (std::size_t k = 0; k < K; ++k) dstart(k) += p[K * K + k], dend(k) += p[K * K + K + k];
  }
  return de;
}

template <class T>
std::vector<T> LinearChainCRF<T>::score(const Tensor3<T>& emissions, const Tags& tags,
                                        const Lengths* lengths) const {
  const std::string who = describe();
  const std::size_t K = num_tags();
  check_emissions(who, emissions, K, lengths);
  const std::size_t T_ = emissions.shape(0), N = emissions.shape(1);
  check_tags(who, tags, T_, N, K, lengths ? *lengths : Lengths{});
  std::vector<T> s(N);
  for (std::size_t n = 0; n < N; ++n)
    s[n] = path_score(emissions.data() + n * K, N * K, length_of(lengths, n, T_), K, A.data(),
                      start.data(), end.data(), tags.data() + n * T_);
  return s;
}

template <class T>
std::vector<T> LinearChainCRF<T>::log_partition(const Tensor3<T>& emissions, const Lengths* lengths) const {
  const std::size_t K = num_tags();
  check_emissions(describe(), emissions, K, lengths);
  const std::size_t T_ = emissions.shape(0), N = emissions.shape(1);
  Tensor3<T> alpha = Tensor3<T>::from_shape({T_, N, K});
  std::vector<T> log_z(N), tmp(K);
  for (std::size_t n = 0; n < N; ++n)
    log_z[n] = forward_algorithm(emissions.data() + n * K, N * K, length_of(lengths, n, T_), K,
                                 A.data(), start.data(), end.data(), alpha.data() + n * K, tmp.data());
  return log_z;
}

template <class T>
Tensor3<T> LinearChainCRF<T>::marginals(const Tensor3<T>& emissions, const Lengths* lengths) const {
  const std::size_t K = num_tags();
  check_emissions(describe(), emissions, K, lengths);
  const std::size_t T_ = emissions.shape(0), N = emissions.shape(1), S = N * K;
  Tensor3<T> alpha = Tensor3<T>::from_shape({T_, N, K});
  Tensor3<T> p = xt::zeros<T>({T_, N, K});
  std::vector<T> beta(T_ * K), tmp(K);
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t L = length_of(lengths, n, T_);
    const T* e = emissions.data() + n * K;
    const T log_z = forward_algorithm(e, S, L, K, A.data(), start.data(), end.data(),
                                      alpha.data() + n * K, tmp.data());
    backward_algorithm(e, S, L, K, A.data(), end.data(), beta.data(), tmp.data());
    for (std::size_t t = 0; t < L; ++t)
      for (std::size_t j = 0; j < K; ++j)
        p.data()[t * S + n * K + j] = std::exp(alpha.data()[t * S + n * K + j] + beta[t * K + j] - log_z);
  }
  return p;
}

template <class T>
Tags LinearChainCRF<T>::decode(const Tensor3<T>& emissions, const Lengths* lengths) const {
  const std::size_t K = num_tags();
  check_emissions(describe(), emissions, K, lengths);
  const std::size_t T_ = emissions.shape(0), N = emissions.shape(1), S = N * K;
  Tags best = Tags::from_shape({N, T_});
  best.fill(-1);
  parallel_for(N, [&](std::size_t n0, std::size_t n1, std::size_t) {
    std::vector<T> delta(T_ * K);
    std::vector<std::int32_t> psi(T_ * K);
    for (std::size_t n = n0; n < n1; ++n) {
      const std::size_t L = length_of(lengths, n, T_);
      const T* e = emissions.data() + n * K;
      std::int32_t* y = best.data() + n * T_;
      //! [viterbi]
      for (std::size_t j = 0; j < K; ++j) delta[j] = start[j] + e[j];  // delta_0 = pi + E_0
      for (std::size_t t = 1; t < L; ++t)
        for (std::size_t j = 0; j < K; ++j) {  // delta_t(j) = E_tj + max_i (delta_{t-1}(i) + A_ij)
          std::size_t arg = 0;
          for (std::size_t i = 1; i < K; ++i)
            if (delta[(t - 1) * K + i] + A(i, j) > delta[(t - 1) * K + arg] + A(arg, j)) arg = i;
          delta[t * K + j] = e[t * S + j] + delta[(t - 1) * K + arg] + A(arg, j);
          psi[t * K + j] = std::int32_t(arg);  // the best predecessor of tag j at step t
        }
      std::size_t last = 0;  // the best last tag, with the end scores
      for (std::size_t j = 1; j < K; ++j)
        if (delta[(L - 1) * K + j] + end[j] > delta[(L - 1) * K + last] + end[last]) last = j;
      y[L - 1] = std::int32_t(last);
      for (std::size_t t = L - 1; t > 0; --t) y[t - 1] = psi[t * K + std::size_t(y[t])];  // follow psi back
      //! [viterbi]
    }
  });
  return best;
}

template <class T>
std::vector<ParamRef<T>> LinearChainCRF<T>::params() {
  return {param_ref<T>("A", A, dA, /*decay=*/false), param_ref<T>("start", start, dstart, false),
          param_ref<T>("end", end, dend, false)};
}

template <class T>
std::string LinearChainCRF<T>::describe() const {
  return fmt::format("CRF({} tags)", A.size() ? num_tags() : 0);
}

template struct LinearChainCRF<float>;
template struct LinearChainCRF<double>;

}  // namespace dl
