#include "dlcore/models/word2vec.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"
#include "dlcore/io/progress.hpp"

namespace dl {

namespace {

// u^T v over E values, in 8 interleaved partial sums (a single running sum is a chain of
// dependent adds the compiler may not reorder; eight chains vectorise).
template <class T>
T dot(const T* a, const T* b, std::size_t n) {
  T s[8] = {};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (std::size_t k = 0; k < 8; ++k) s[k] += a[i + k] * b[i + k];
  T r = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  for (; i < n; ++i) r += a[i] * b[i];
  return r;
}

template <class T>
T sigmoid(T x) {
  return x >= T(0) ? T(1) / (T(1) + std::exp(-x)) : std::exp(x) / (T(1) + std::exp(x));
}

// -log sigma(x) = log(1 + e^{-x}), without overflow
template <class T>
T neg_log_sigmoid(T x) {
  return std::max(-x, T(0)) + std::log1p(std::exp(-std::abs(x)));
}

}  // namespace

template <class T>
SkipGram<T>::SkipGram(std::size_t vocab, std::size_t dim, Rng& rng)
    : W_in(Tensor2<T>::from_shape({vocab, dim})), W_out(xt::zeros<T>({vocab, dim})) {
  if (vocab == 0 || dim == 0)
    throw ValueError(fmt::format("SkipGram: needs a vocabulary and a dimension, got {} x {}", vocab, dim));
  for (auto& w : W_in) w = T(rng.uniform(-0.5, 0.5) / double(dim));
}

template <class T>
T SkipGram<T>::loss(std::size_t c, std::size_t o, const std::vector<std::size_t>& negatives) const {
  const std::size_t V = vocab(), E = dim();
  for (std::size_t w : negatives)
    if (w >= V) throw ValueError(fmt::format("SkipGram: negative word id {} outside [0, {})", w, V));
  if (c >= V || o >= V) throw ValueError(fmt::format("SkipGram: word ids {}, {} outside [0, {})", c, o, V));
  const T* v = W_in.data() + c * E;
  T l = neg_log_sigmoid(dot(W_out.data() + o * E, v, E));           // -log sigma(u_o^T v_c)
  for (std::size_t k : negatives) l += neg_log_sigmoid(-dot(W_out.data() + k * E, v, E));  // -log sigma(-u_k^T v_c)
  return l;
}

template <class T>
T SkipGram<T>::backward(std::size_t c, std::size_t o, const std::vector<std::size_t>& negatives,
                        Tensor2<T>& dW_in, Tensor2<T>& dW_out) const {
  const T l = loss(c, o, negatives);
  const std::size_t E = dim();
  if (dW_in.shape() != W_in.shape() || dW_out.shape() != W_out.shape())
    throw ShapeError("SkipGram: gradient tables must be shaped like W_in and W_out " + shape_str(W_in.shape()));
  const T* v = W_in.data() + c * E;
  T* dv = dW_in.data() + c * E;
  //! [skipgram_gradient]
  auto pair = [&](std::size_t w, T label) {  // label 1: the true context; 0: a negative
    const T* u = W_out.data() + w * E;
    T* du = dW_out.data() + w * E;
    const T g = sigmoid(dot(u, v, E)) - label;  // g_o = sigma(u_o^T v_c) - 1, g_k = sigma(u_k^T v_c)
    for (std::size_t e = 0; e < E; ++e) {
      dv[e] += g * u[e];  // dl/dv_c += g u_w
      du[e] += g * v[e];  // dl/du_w += g v_c
    }
  };
  pair(o, T(1));
  for (std::size_t k : negatives) pair(k, T(0));
  //! [skipgram_gradient]
  return l;
}

template <class T>
T SkipGram<T>::sgd_step(std::size_t c, std::size_t o, const std::size_t* negatives, std::size_t K, T lr,
                        T* work) {
  const std::size_t E = dim();
  T* v = W_in.data() + c * E;
  std::fill(work, work + E, T(0));
  T l = T(0);
  //! [skipgram_sgd]
  for (std::size_t i = 0; i <= K; ++i) {
    const std::size_t w = i == 0 ? o : negatives[i - 1];
    const T label = i == 0 ? T(1) : T(0);
    T* u = W_out.data() + w * E;
    const T s = dot(u, v, E);
    l += neg_log_sigmoid(i == 0 ? s : -s);
    const T g = lr * (sigmoid(s) - label);
    for (std::size_t e = 0; e < E; ++e) work[e] += g * u[e];  // the step of v_c, from u before it moves
    for (std::size_t e = 0; e < E; ++e) u[e] -= g * v[e];     // u_w -= lr g v_c
  }
  for (std::size_t e = 0; e < E; ++e) v[e] -= work[e];        // v_c -= lr dl/dv_c
  //! [skipgram_sgd]
  return l;
}

NoiseSampler::NoiseSampler(const std::vector<std::uint64_t>& counts, double power) {
  cdf_.resize(counts.size());
  double sum = 0;
  for (std::size_t w = 0; w < counts.size(); ++w) cdf_[w] = sum += std::pow(double(counts[w]), power);
  if (!(sum > 0)) throw ValueError("NoiseSampler: every count is zero");
  for (auto& c : cdf_) c /= sum;
  cdf_.back() = 1.0;
}

std::size_t NoiseSampler::draw(Rng& rng) const {
  const double u = rng.uniform();
  return std::size_t(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
}

double NoiseSampler::probability(std::size_t w) const {
  return w == 0 ? cdf_.at(0) : cdf_.at(w) - cdf_.at(w - 1);
}

template <class T>
SkipGramHistory train_skipgram(SkipGram<T>& model, const std::vector<std::vector<std::int32_t>>& sentences,
                               const std::vector<std::uint64_t>& counts, const SkipGramOptions& opt, Rng& rng) {
  const std::size_t V = model.vocab(), E = model.dim(), K = opt.negatives;
  if (counts.size() != V) throw ShapeError(fmt::format("train_skipgram: {} counts for a vocabulary of {}", counts.size(), V));
  if (opt.window == 0 || opt.epochs < 1) throw ValueError("train_skipgram: window and epochs must be positive");
  if (V < 2) throw ValueError("train_skipgram: needs at least two words (a negative must differ from the context)");
  std::uint64_t total = 0;
  for (const auto& s : sentences) {
    for (std::int32_t w : s)
      if (w < 0 || std::size_t(w) >= V) throw ValueError(fmt::format("train_skipgram: word id {} outside [0, {})", w, V));
    total += s.size();
  }
  if (total == 0) throw ValueError("train_skipgram: no words to train on");
  const NoiseSampler noise(counts);
  std::vector<double> keep(V, 1.0);  // subsampling of frequent words
  const double corpus = double(std::accumulate(counts.begin(), counts.end(), std::uint64_t(0)));
  if (opt.subsample > 0)
    for (std::size_t w = 0; w < V; ++w) {
      const double f = double(counts[w]) / corpus;
      if (f > 0) keep[w] = std::min(1.0, (std::sqrt(f / opt.subsample) + 1) * opt.subsample / f);
    }
  SkipGramHistory hist;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<T> work(E);
  std::vector<std::size_t> negs(K);
  std::vector<std::int32_t> kept;
  const double words_all = double(total) * opt.epochs;
  double words_done = 0;
  for (int epoch = 1; epoch <= opt.epochs; ++epoch) {
    Progress bar(sentences.size(), fmt::format("word2vec epoch {}/{}", epoch, opt.epochs), opt.progress);
    double loss_sum = 0;
    std::uint64_t examples = 0;
    for (std::size_t si = 0; si < sentences.size(); ++si) {
      const auto& s = sentences[si];
      // the learning rate falls linearly from lr to lr / 10,000 over all epochs
      const T lr = T(opt.lr * std::max(1e-4, 1.0 - words_done / words_all));
      words_done += double(s.size());
      kept.clear();
      for (std::int32_t w : s)  // subsampling: drop frequent words at random
        if (keep[std::size_t(w)] >= 1.0 || rng.uniform() < keep[std::size_t(w)]) kept.push_back(w);
      const std::size_t n = kept.size();
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t b = 1 + std::size_t(rng.below(opt.window));  // this position's window
        for (std::size_t j = i >= b ? i - b : 0; j <= std::min(n - 1, i + b); ++j) {
          if (j == i) continue;
          const std::size_t c = std::size_t(kept[i]), o = std::size_t(kept[j]);
          for (auto& k : negs)
            do k = noise.draw(rng);
            while (k == o);  // a negative that is the true context is drawn again
          loss_sum += double(model.sgd_step(c, o, negs.data(), K, lr, work.data()));
          ++examples;
        }
      }
      if (si % 4096 == 0) bar.update(si, fmt::format("loss {:.4f}", examples ? loss_sum / double(examples) : 0.0));
    }
    hist.epoch_loss.push_back(examples ? loss_sum / double(examples) : 0.0);
    hist.examples += examples;
    bar.finish(fmt::format("loss {:.4f}, {} examples", hist.epoch_loss.back(), examples));
  }
  hist.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return hist;
}

template <class T>
Tensor2<T> unit_rows(const Tensor2<T>& W) {
  Tensor2<T> U = W;
  const std::size_t E = W.shape(1);
  for (std::size_t r = 0; r < W.shape(0); ++r) {
    T* row = U.data() + r * E;
    const T norm = std::sqrt(dot(row, row, E));
    if (norm > T(0))
      for (std::size_t e = 0; e < E; ++e) row[e] /= norm;
  }
  return U;
}

template <class T>
std::vector<std::pair<std::size_t, double>> nearest_rows(const Tensor2<T>& unit, const std::vector<T>& query,
                                                         std::size_t k, const std::vector<std::size_t>& exclude) {
  const std::size_t V = unit.shape(0), E = unit.shape(1);
  if (query.size() != E) throw ShapeError(fmt::format("nearest_rows: query of {} values for vectors of {}", query.size(), E));
  T qn = std::sqrt(dot(query.data(), query.data(), E));
  if (qn == T(0)) qn = T(1);
  std::vector<std::pair<std::size_t, double>> all;
  for (std::size_t w = 0; w < V; ++w)
    if (std::find(exclude.begin(), exclude.end(), w) == exclude.end())
      all.emplace_back(w, double(dot(unit.data() + w * E, query.data(), E) / qn));
  k = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + std::ptrdiff_t(k), all.end(),
                    [](const auto& a, const auto& b) { return a.second > b.second || (a.second == b.second && a.first < b.first); });
  all.resize(k);
  return all;
}

template <class T>
std::vector<std::pair<std::size_t, double>> analogy(const Tensor2<T>& unit, std::size_t a, std::size_t b,
                                                    std::size_t c, std::size_t k) {
  const std::size_t V = unit.shape(0), E = unit.shape(1);
  if (a >= V || b >= V || c >= V) throw ValueError(fmt::format("analogy: word ids outside [0, {})", V));
  std::vector<T> q(E);
  for (std::size_t e = 0; e < E; ++e) q[e] = unit(b, e) - unit(a, e) + unit(c, e);  // v_b - v_a + v_c
  return nearest_rows(unit, q, k, {a, b, c});
}

#define DL_INSTANTIATE(T)                                                                                \
  template struct SkipGram<T>;                                                                           \
  template SkipGramHistory train_skipgram<T>(SkipGram<T>&, const std::vector<std::vector<std::int32_t>>&, \
                                             const std::vector<std::uint64_t>&, const SkipGramOptions&,  \
                                             Rng&);                                                      \
  template Tensor2<T> unit_rows<T>(const Tensor2<T>&);                                                   \
  template std::vector<std::pair<std::size_t, double>> nearest_rows<T>(                                  \
      const Tensor2<T>&, const std::vector<T>&, std::size_t, const std::vector<std::size_t>&);            \
  template std::vector<std::pair<std::size_t, double>> analogy<T>(const Tensor2<T>&, std::size_t,        \
                                                                  std::size_t, std::size_t, std::size_t);
DL_INSTANTIATE(float)
DL_INSTANTIATE(double)
#undef DL_INSTANTIATE

}  // namespace dl
