#pragma once
// Chapter 17's experiments with the Elman RNN: the gradient through time as the lag grows,
// training with and without gradient clipping, and truncated BPTT on a delayed echo.
#include <dlcore/dlcore.hpp>
#include <datasets/sequences.hpp>

#include "exercise.hpp"

namespace ch17 {

using namespace dl;

// A random orthogonal H x H matrix (Gram-Schmidt on a Gaussian one): every eigenvalue has
// modulus 1 and every singular value is 1, so rho Q has spectral radius rho.
inline Tensor2<double> random_orthogonal(std::size_t H, Rng& rng) {
  Tensor2<double> Q = Tensor2<double>::from_shape({H, H});
  for (auto& v : Q) v = rng.normal();
  for (std::size_t i = 0; i < H; ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      double dot = 0;
      for (std::size_t k = 0; k < H; ++k) dot += Q(i, k) * Q(j, k);
      for (std::size_t k = 0; k < H; ++k) Q(i, k) -= dot * Q(j, k);
    }
    double norm = 0;
    for (std::size_t k = 0; k < H; ++k) norm += Q(i, k) * Q(i, k);
    for (std::size_t k = 0; k < H; ++k) Q(i, k) /= std::sqrt(norm);
  }
  return Q;
}

// ||dL/dh_{T-k}|| for k = 0 ... T with L = r . h_T (|r| = 1), for an RNN with W_hh = rho Q.
// The gradient with respect to the state h_t is the initial-state gradient of the same RNN
// run from step t on, started in h_t: BPTT's own answer, one run per t.
inline std::vector<double> gradient_vs_lag(double rho, std::size_t T, std::size_t H, double input_scale,
                                           std::uint64_t seed) {
  Rng rng(seed);
  const std::size_t D = 4;
  RNN<double> rnn(D, H, rng);
  //! [spectral_radius]
  rnn.W_hh = rho * random_orthogonal(H, rng);  // spectral radius rho
  //! [spectral_radius]
  Tensor3<double> x = Tensor3<double>::from_shape({T, 1, D});
  for (auto& v : x) v = input_scale * rng.normal();
  Tensor2<double> r = Tensor2<double>::from_shape({1, H});
  for (auto& v : r) v = rng.normal();
  r /= std::sqrt(xt::sum(r * r)());
  RNN<double>::Cache all;
  rnn.run(x, {}, nullptr, all);  // the states h_0 ... h_T
  std::vector<double> norms(T + 1);
  norms[0] = 1.0;  // dL/dh_T = r
  for (std::size_t t = 0; t < T; ++t) {
    const std::size_t steps = T - t;
    Tensor3<double> xs = xt::view(x, xt::range(t, T), xt::all(), xt::all());
    RecurrentState<double> from{xt::view(all.h, t, xt::all(), xt::all()), {}};
    RNN<double>::Cache c;
    rnn.run(xs, from, nullptr, c);
    Tensor3<double> dy = xt::zeros<double>({steps, std::size_t(1), H});
    xt::view(dy, steps - 1, xt::all(), xt::all()) = r;  // L = r . h_T
    const auto g = rnn.backward_full(dy, {}, c);
    norms[steps] = std::sqrt(xt::sum(g.dh0 * g.dh0)());
  }
  return norms;
}

// One training run on the adding problem with plain SGD: every step's loss and gradient
// norm (clip 0: no clipping).
inline StreamHistory adding_sgd(std::size_t T, std::size_t hidden, double rho, float lr, double clip,
                                std::size_t steps, std::uint64_t seed, bool progress) {
  Rng rng(seed), test_rng(seed + 1);
  Sequential<float> net = sequence_to_one<float>(CellKind::rnn, 2, hidden, 1, rng);
  auto& rnn = net.layer<RNN<float>>(0);
  rnn.W_hh = xt::cast<float>(rho * random_orthogonal(hidden, rng));
  auto make = [&](Rng& g) { return datasets::adding_problem<float>(32, T, g); };
  const std::vector<Dataset<Tensor3<float>, Tensor2<float>>> test = {datasets::adding_problem<float>(500, T, test_rng)};
  SGD<float> sgd(lr);
  StreamOptions so;
  so.steps = steps;
  so.eval_every = steps;
  so.clip_norm = clip;
  so.throw_on_divergence = false;
  so.progress = progress;
  so.label = clip > 0 ? "clipped" : "unclipped";
  return fit_stream<float>(net, MSELoss<float>{}, sgd, rng,
                           std::function<Dataset<Tensor3<float>, Tensor2<float>>(Rng&)>(make), test, so);
}

// The adding problem at length T with Adam and clipping: the final test MSE.
inline double adding_adam(std::size_t T, std::size_t hidden, std::size_t steps, std::uint64_t seed,
                          bool progress) {
  Rng rng(seed), test_rng(seed + 1);
  Sequential<float> net = sequence_to_one<float>(CellKind::rnn, 2, hidden, 1, rng);
  auto make = [&](Rng& g) { return datasets::adding_problem<float>(64, T, g); };
  const std::vector<Dataset<Tensor3<float>, Tensor2<float>>> test = {datasets::adding_problem<float>(1000, T, test_rng)};
  Adam<float> adam(1e-3f);
  StreamOptions so;
  so.steps = steps;
  so.eval_every = steps;
  so.clip_norm = 1.0;
  so.progress = progress;
  so.label = fmt::format("adding T={}", T);
  const auto h = fit_stream<float>(net, MSELoss<float>{}, adam, rng,
                                   std::function<Dataset<Tensor3<float>, Tensor2<float>>(Rng&)>(make), test, so);
  return h.tests.back().test_loss;
}

// Exercise 17.1 against the library's RNN: the same dL/dh_0 and dL/dW_hh on random values?
inline bool exercise_matches_layer() {
  const std::size_t T = 5, H = 3;
  Rng rng(17);
  RNN<double> rnn(2, H, rng);
  Tensor3<double> x = Tensor3<double>::from_shape({T, 1, 2}), dy = Tensor3<double>::from_shape({T, 1, H});
  for (auto& v : x) v = rng.normal();
  for (auto& v : dy) v = rng.normal();
  RNN<double>::Cache cache;
  rnn.run(x, {}, nullptr, cache);
  const auto g = rnn.backward_full(dy, {}, cache);
  Rows h(T + 1, std::vector<double>(H)), W(H, std::vector<double>(H)), d(T, std::vector<double>(H)), da = d;
  for (std::size_t i = 0; i < H; ++i) {
    for (std::size_t t = 0; t <= T; ++t) h[t][i] = cache.h(t, 0, i);
    for (std::size_t t = 0; t < T; ++t) d[t][i] = dy(t, 0, i);
    for (std::size_t j = 0; j < H; ++j) W[i][j] = rnn.W_hh(i, j);
  }
  std::vector<double> dh0(H);
  rnn_bptt(h, W, d, da, dh0);
  for (std::size_t i = 0; i < H; ++i) {
    if (std::abs(dh0[i] - g.dh0(0, i)) > 1e-12) return false;
    for (std::size_t j = 0; j < H; ++j) {
      double dw = 0;
      for (std::size_t t = 0; t < T; ++t) dw += da[t][i] * h[t][j];
      if (std::abs(dw - rnn.dW_hh(i, j)) > 1e-12) return false;
    }
  }
  return true;
}

}  // namespace ch17
