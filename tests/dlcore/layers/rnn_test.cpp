#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/layers/rnn.hpp"
#include "support/recurrent.hpp"

using namespace dl;
using testing::random_tensor;

using testing::kSeqShape;
using testing::kStateShape;

TEST_CASE("RNN forward by hand: one unit, two steps", "[rnn]") {
  Rng rng(1);
  RNN<double> rnn(1, 1, rng);
  rnn.W_ih = {{0.5}};
  rnn.W_hh = {{-2.0}};
  rnn.b_ih = {0.1};
  rnn.b_hh = {0.2};
  RNN<double>::Cache cache;
  const Tensor3<double> x = {{{1.0}}, {{-1.0}}};
  const Tensor3<double> y = rnn.forward(x, cache);
  const double h1 = std::tanh(0.5 + 0.3);             // h0 = 0
  const double h2 = std::tanh(-0.5 + 0.3 - 2.0 * h1);
  CHECK(y(0, 0, 0) == Approx(h1).epsilon(1e-14));
  CHECK(y(1, 0, 0) == Approx(h2).epsilon(1e-14));
  CHECK(cache.final_state().h(0, 0) == Approx(h2).epsilon(1e-14));
}

TEST_CASE("RNN backward through time matches central differences, with h0 and dh_T", "[rnn][gradcheck]") {
  Rng rng(2);
  RNN<double> rnn(4, 5, rng);
  testing::check_recurrent(rnn, random_tensor<Tensor3<double>>(kSeqShape, 3),
                           {random_tensor<Tensor2<double>>(kStateShape, 4, 0.5), {}}, nullptr);
}

TEST_CASE("RNN backward with ragged lengths matches central differences", "[rnn][gradcheck]") {
  Rng rng(3);
  RNN<double> rnn(4, 5, rng);
  const Lengths lengths{6, 2, 4};
  testing::check_recurrent(rnn, random_tensor<Tensor3<double>>(kSeqShape, 5),
                           {random_tensor<Tensor2<double>>(kStateShape, 6, 0.5), {}}, &lengths);
}

TEST_CASE("RNN equals torch.nn.RNN (tanh): outputs, final state, every gradient", "[rnn][golden]") {
  testing::require_golden_recurrent<double, RNN<double>>("rnn_f64", false, 1e-10, 1e-12);
}

TEST_CASE("RNN equals torch.nn.RNN on a packed batch of ragged sequences", "[rnn][golden]") {
  testing::require_golden_recurrent<double, RNN<double>>("rnn_ragged", false, 1e-10, 1e-12);
}

TEST_CASE("RNN rejects inputs of the wrong width, naming the layer and both shapes", "[rnn][errors]") {
  Rng rng(1);
  RNN<double> rnn(4, 5, rng);
  RNN<double>::Cache cache;
  CHECK_THROWS_WITH(rnn.forward(Tensor3<double>::from_shape({6, 3, 7}), cache),
                    Catch::Contains("RNN(4 -> 5)") && Catch::Contains("(6, 3, 7)") &&
                        Catch::Contains("(T, N, 4)"));
  const Tensor2<double> h0 = xt::zeros<double>({2, 5});
  CHECK_THROWS_AS(rnn.run(xt::zeros<double>({6, 3, 4}), {h0, {}}, nullptr, cache), ShapeError);
  const Tensor2<double> c0 = xt::zeros<double>({3, 5});
  CHECK_THROWS_WITH(rnn.run(xt::zeros<double>({6, 3, 4}), {{}, c0}, nullptr, cache),
                    Catch::Contains("only an LSTM"));
}
