#include <catch2/catch.hpp>

#include "dlcore/layers/activations.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;

namespace {
// Inputs for gradient checks: random, pushed away from the ReLU kink at 0.
Tensor2<double> away_from_zero(std::uint64_t seed) {
  Tensor2<double> x = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{4, 6}, seed);
  for (auto& v : x) v += v >= 0 ? 0.1 : -0.1;
  return x;
}

template <class L, std::size_t N = 2>
void parity(L layer, const std::string& c) {
  typename L::Cache cache;
  const auto x = golden<double, N>(c, "x");
  const auto y = layer.forward(x, cache);
  const auto dx = layer.backward(golden<double, N>(c, "dy"), cache);
  require_close("y", y, golden<double, N>(c, "y"), 1e-12, 1e-14);
  require_close("dx", dx, golden<double, N>(c, "dx"), 1e-12, 1e-14);
}
}  // namespace

TEST_CASE("Activations: hand-computed values", "[activations]") {
  const Tensor2<double> x = {{-2, 0, 3}};
  ReLU<double>::Cache rc;
  require_close("relu", ReLU<double>{}.forward(x, rc), Tensor2<double>{{0, 0, 3}});
  LeakyReLU<double>::Cache lc;
  require_close("leaky", LeakyReLU<double>(0.1).forward(x, lc), Tensor2<double>{{-0.2, 0, 3}});
  Sigmoid<double>::Cache sc;
  const Tensor2<double> s = Sigmoid<double>{}.forward(x, sc);
  CHECK(s(0, 1) == 0.5);
  CHECK(s(0, 2) == Approx(1 / (1 + std::exp(-3.0))).epsilon(1e-15));
  Softmax<double>::Cache smc;
  const Tensor2<double> p = Softmax<double>{}.forward(Tensor2<double>{{1, 1, 1, 1}}, smc);
  for (double v : p) CHECK(v == Approx(0.25));
}

TEST_CASE("Sigmoid and softmax are stable for extreme inputs", "[activations]") {
  Sigmoid<float>::Cache sc;
  const Tensor2<float> s = Sigmoid<float>{}.forward(Tensor2<float>{{-1000.f, 1000.f}}, sc);
  CHECK(s(0, 0) == 0.0f);
  CHECK(s(0, 1) == 1.0f);
  Softmax<float>::Cache smc;
  const Tensor2<float> p = Softmax<float>{}.forward(Tensor2<float>{{1000.f, 0.f, -1000.f}}, smc);
  CHECK(p(0, 0) == 1.0f);
  CHECK(std::isfinite(p(0, 1)));
}

TEST_CASE("Activation backward passes match central differences", "[activations][gradcheck]") {
  SECTION("ReLU") { ReLU<double> l; testing::check_layer(l, away_from_zero(1)); }
  SECTION("LeakyReLU") { LeakyReLU<double> l(0.1); testing::check_layer(l, away_from_zero(2)); }
  SECTION("Sigmoid") { Sigmoid<double> l; testing::check_layer(l, away_from_zero(3)); }
  SECTION("Tanh") { Tanh<double> l; testing::check_layer(l, away_from_zero(4)); }
  SECTION("Softmax") { Softmax<double> l; testing::check_layer(l, away_from_zero(5)); }
  SECTION("ReLU on an image batch (rank 4)") {
    ReLU<double> l;
    auto x = testing::random_tensor<Tensor4<double>>(std::array<std::size_t, 4>{2, 3, 2, 2}, 6);
    for (auto& v : x) v += v >= 0 ? 0.1 : -0.1;
    testing::check_layer(l, x);
  }
}

TEST_CASE("Activations match PyTorch", "[activations][pytorch]") {
  parity(ReLU<double>{}, "relu");
  parity<ReLU<double>, 4>(ReLU<double>{}, "relu_4d");
  parity(LeakyReLU<double>(0.1), "leaky_relu");
  parity(Sigmoid<double>{}, "sigmoid");
  parity(Tanh<double>{}, "tanh");
  parity(Softmax<double>{}, "softmax");
}

TEST_CASE("Activation backward rejects a gradient of another size", "[activations][errors]") {
  ReLU<double> relu;
  ReLU<double>::Cache c;
  relu.forward(Tensor2<double>(xt::zeros<double>({2, 3})), c);
  REQUIRE_THROWS_WITH(relu.backward(Tensor2<double>(xt::zeros<double>({2, 4})), c),
                      Catch::Contains("ReLU") && Catch::Contains("(2, 4)"));
  Softmax<double> sm;
  Softmax<double>::Cache sc;
  sm.forward(Tensor2<double>(xt::zeros<double>({2, 3})), sc);
  REQUIRE_THROWS_AS(sm.backward(Tensor2<double>(xt::zeros<double>({3, 3})), sc), ShapeError);
}

TEST_CASE("ReLU propagates NaN forward and its gradient backward, as PyTorch", "[activations]") {
  const Tensor2<double> x = {{-1, NAN, 2, 0}};
  ReLU<double>::Cache cache;
  const Tensor2<double> y = ReLU<double>{}.forward(x, cache);
  CHECK(y(0, 0) == 0);
  CHECK(std::isnan(y(0, 1)));  // torch.relu(nan) is nan: a diverging activation shows at once
  CHECK(y(0, 2) == 2);
  CHECK(y(0, 3) == 0);
  const Tensor2<double> dx = ReLU<double>{}.backward(Tensor2<double>{{5, 6, 7, 8}}, cache);
  // PyTorch's threshold_backward zeroes the gradient where x <= 0, and NaN <= 0 is false
  CHECK(dx == Tensor2<double>{{0, 6, 7, 0}});
}
