// Exercise 17.1: the BPTT loop of an Elman RNN, checked against the library's RNN layer
// (itself checked against central differences and PyTorch) and against a case worked by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/layers/rnn.hpp"
#include "exercise.hpp"

using namespace dl;

TEST_CASE("Exercise 17.1: BPTT gives the RNN layer's dh0 and weight gradients", "[ch17][exercise]") {
  const std::size_t T = 6, H = 4, D = 3;
  Rng rng(17);
  RNN<double> rnn(D, H, rng);
  Tensor3<double> x = Tensor3<double>::from_shape({T, 1, D}), dy = Tensor3<double>::from_shape({T, 1, H});
  for (auto& v : x) v = rng.normal();
  for (auto& v : dy) v = rng.normal();
  const Tensor2<double> h0 = {{0.3, -0.2, 0.5, 0.1}};
  RNN<double>::Cache cache;
  rnn.run(x, {h0, {}}, nullptr, cache);
  const auto g = rnn.backward_full(dy, {}, cache);

  ch17::Rows h(T + 1, std::vector<double>(H)), W(H, std::vector<double>(H)), d(T, std::vector<double>(H));
  for (std::size_t t = 0; t <= T; ++t)
    for (std::size_t i = 0; i < H; ++i) h[t][i] = cache.h(t, 0, i);
  for (std::size_t i = 0; i < H; ++i)
    for (std::size_t j = 0; j < H; ++j) W[i][j] = rnn.W_hh(i, j);
  for (std::size_t t = 0; t < T; ++t)
    for (std::size_t i = 0; i < H; ++i) d[t][i] = dy(t, 0, i);
  ch17::Rows da(T, std::vector<double>(H, 0.0));
  std::vector<double> dh0(H, 0.0);
  ch17::rnn_bptt(h, W, d, da, dh0);

  for (std::size_t i = 0; i < H; ++i) CHECK(dh0[i] == Approx(g.dh0(0, i)).epsilon(1e-12));
  // dW_hh = sum_t da_t h_{t-1}^T and db = sum_t da_t: the layer's weight gradients
  for (std::size_t i = 0; i < H; ++i) {
    double db = 0;
    for (std::size_t t = 0; t < T; ++t) db += da[t][i];
    CHECK(db == Approx(rnn.db_hh(i)).epsilon(1e-12));
    for (std::size_t j = 0; j < H; ++j) {
      double dw = 0;
      for (std::size_t t = 0; t < T; ++t) dw += da[t][i] * h[t][j];
      CHECK(dw == Approx(rnn.dW_hh(i, j)).epsilon(1e-12));
    }
  }
}

TEST_CASE("Exercise 17.1: one unit, two steps, by hand", "[ch17][exercise]") {
  // h1 = 0.5, h2 = -0.2, W_hh = 2, gradient 1 from the output at step 2 only:
  // da_2 = 1 (1 - 0.04) = 0.96; dh_1 = 2 da_2 = 1.92; da_1 = 1.92 (1 - 0.25) = 1.44; dh_0 = 2.88
  const ch17::Rows h = {{0.0}, {0.5}, {-0.2}}, W = {{2.0}}, dy = {{0.0}, {1.0}};
  ch17::Rows da(2, std::vector<double>(1, 0.0));
  std::vector<double> dh0(1, 0.0);
  ch17::rnn_bptt(h, W, dy, da, dh0);
  CHECK(da[1][0] == Approx(0.96));
  CHECK(da[0][0] == Approx(1.44));
  CHECK(dh0[0] == Approx(2.88));
}
