#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/layers/gru.hpp"
#include "support/recurrent.hpp"

using namespace dl;
using testing::random_tensor;

using testing::kSeqShape;
using testing::kStateShape;
using testing::sigmoid;

TEST_CASE("GRU forward by hand: the reset gate multiplies W_hn h + b_hn (PyTorch's form)", "[gru]") {
  Rng rng(1);
  GRU<double> gru(1, 1, rng);
  gru.W_ih = {{1.0}, {2.0}, {3.0}};  // r, z, n
  gru.W_hh = {{0.5}, {-0.5}, {1.5}};
  gru.b_ih = {0.1, 0.2, 0.3};
  gru.b_hh = {0.4, 0.5, 0.6};
  GRU<double>::Cache cache;
  const Tensor3<double> x = {{{0.5}}};
  const Tensor2<double> h0 = {{0.8}};
  const Tensor3<double> y = gru.run(x, {h0, {}}, nullptr, cache);
  const double r = sigmoid(0.5 + 0.1 + 0.5 * 0.8 + 0.4);
  const double z = sigmoid(1.0 + 0.2 - 0.5 * 0.8 + 0.5);
  const double n = std::tanh(1.5 + 0.3 + r * (1.5 * 0.8 + 0.6));  // r * (W_hn h + b_hn)
  CHECK(y(0, 0, 0) == Approx((1 - z) * n + z * 0.8).epsilon(1e-14));
}

TEST_CASE("GRU backward through time matches central differences, with h0 and dh_T", "[gru][gradcheck]") {
  Rng rng(2);
  GRU<double> gru(4, 5, rng);
  testing::check_recurrent(gru, random_tensor<Tensor3<double>>(kSeqShape, 3),
                           {random_tensor<Tensor2<double>>(kStateShape, 4, 0.5), {}}, nullptr);
}

TEST_CASE("GRU backward with ragged lengths matches central differences", "[gru][gradcheck]") {
  Rng rng(3);
  GRU<double> gru(4, 5, rng);
  const Lengths lengths{3, 1, 6};
  testing::check_recurrent(gru, random_tensor<Tensor3<double>>(kSeqShape, 5),
                           {random_tensor<Tensor2<double>>(kStateShape, 6, 0.5), {}}, &lengths);
}

TEST_CASE("GRU equals torch.nn.GRU: outputs, final state, every gradient", "[gru][golden]") {
  testing::require_golden_recurrent<double, GRU<double>>("gru_f64", false, 1e-10, 1e-12);
}

TEST_CASE("GRU equals torch.nn.GRU on a packed batch of ragged sequences", "[gru][golden]") {
  testing::require_golden_recurrent<double, GRU<double>>("gru_ragged", false, 1e-10, 1e-12);
}

TEST_CASE("GRU in float equals torch.nn.GRU in float over 28 steps", "[gru][golden]") {
  testing::require_golden_recurrent<float, GRU<float>>("gru_f32", false, 1e-4, 1e-5);
}
