#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/layers/lstm.hpp"
#include "support/recurrent.hpp"

using namespace dl;
using testing::random_tensor;

using testing::kSeqShape;
using testing::kStateShape;
using testing::sigmoid;

TEST_CASE("LSTM forward by hand: one unit, one step, gate order i f g o", "[lstm]") {
  Rng rng(1);
  LSTM<double> lstm(1, 1, rng);
  lstm.W_ih = {{1.0}, {2.0}, {3.0}, {4.0}};  // i, f, g, o
  lstm.W_hh = {{0.0}, {0.0}, {0.0}, {0.0}};
  lstm.b_ih = {0.1, 0.2, 0.3, 0.4};
  lstm.b_hh = {0.0, 0.0, 0.0, 0.0};
  LSTM<double>::Cache cache;
  const Tensor3<double> x = {{{0.5}}};
  const Tensor2<double> c0 = {{2.0}};
  const Tensor3<double> y = lstm.run(x, {{}, c0}, nullptr, cache);
  const double i = sigmoid(0.6), f = sigmoid(1.2), g = std::tanh(1.8), o = sigmoid(2.4);
  const double c = f * 2.0 + i * g;
  CHECK(cache.final_state().c(0, 0) == Approx(c).epsilon(1e-14));
  CHECK(y(0, 0, 0) == Approx(o * std::tanh(c)).epsilon(1e-14));
}

TEST_CASE("LSTM backward through time matches central differences, with h0, c0, dh_T, dc_T", "[lstm][gradcheck]") {
  Rng rng(2);
  LSTM<double> lstm(4, 5, rng);
  testing::check_recurrent(lstm, random_tensor<Tensor3<double>>(kSeqShape, 3),
                           {random_tensor<Tensor2<double>>(kStateShape, 4, 0.5),
                            random_tensor<Tensor2<double>>(kStateShape, 5, 0.5)},
                           nullptr);
}

TEST_CASE("LSTM backward with ragged lengths matches central differences", "[lstm][gradcheck]") {
  Rng rng(3);
  LSTM<double> lstm(4, 5, rng);
  const Lengths lengths{1, 6, 3};
  testing::check_recurrent(lstm, random_tensor<Tensor3<double>>(kSeqShape, 6),
                           {random_tensor<Tensor2<double>>(kStateShape, 7, 0.5),
                            random_tensor<Tensor2<double>>(kStateShape, 8, 0.5)},
                           &lengths);
}

TEST_CASE("LSTM equals torch.nn.LSTM: outputs, final states, every gradient", "[lstm][golden]") {
  testing::require_golden_recurrent<double, LSTM<double>>("lstm_f64", true, 1e-10, 1e-12);
}

TEST_CASE("LSTM equals torch.nn.LSTM on a packed batch of ragged sequences", "[lstm][golden]") {
  testing::require_golden_recurrent<double, LSTM<double>>("lstm_ragged", true, 1e-10, 1e-12);
}

TEST_CASE("LSTM in float equals torch.nn.LSTM in float over 28 steps", "[lstm][golden]") {
  testing::require_golden_recurrent<float, LSTM<float>>("lstm_f32", true, 1e-4, 1e-5);
}
