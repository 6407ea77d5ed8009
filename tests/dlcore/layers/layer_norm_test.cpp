// LayerNorm (Chapter 20): a row worked by hand, gradient checks in double, parity with
// torch.nn.LayerNorm, bad shapes.
#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/core/error.hpp"
#include "dlcore/layers/layer_norm.hpp"
#include "support/golden.hpp"
#include "support/gradcheck.hpp"

using namespace dl;
using testing::random_tensor;

TEST_CASE("LayerNorm by hand: a row of 1, 2, 3, 6 to mean 0 and variance 1, then scaled and shifted", "[layernorm]") {
  LayerNorm<double> ln(4);
  ln.gamma = {1.0, 2.0, 1.0, 1.0};
  ln.beta = {0.0, 0.0, 0.5, 0.0};
  LayerNorm<double>::Cache cache;
  const Tensor2<double> x = {{1.0, 2.0, 3.0, 6.0}};
  const Tensor2<double> y = ln.forward(x, cache);
  const double mu = 3.0, var = (4.0 + 1.0 + 0.0 + 9.0) / 4, rs = 1 / std::sqrt(var + 1e-5);
  CHECK(y(0, 0) == Approx((1 - mu) * rs).epsilon(1e-14));
  CHECK(y(0, 1) == Approx(2 * (2 - mu) * rs).epsilon(1e-14));
  CHECK(y(0, 2) == Approx(0.5).epsilon(1e-14));
  CHECK(y(0, 3) == Approx((6 - mu) * rs).epsilon(1e-14));
}

TEST_CASE("LayerNorm backward matches central differences, on matrices and sequence batches", "[layernorm][gradcheck]") {
  LayerNorm<double> ln(6);
  Rng rng(5);
  for (auto& g : ln.gamma) g = rng.normal(1, 0.5);
  for (auto& b : ln.beta) b = rng.normal(0, 0.5);
  SECTION("(N, D)") { testing::check_layer(ln, random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{5, 6}, 1, 2.0)); }
  SECTION("(T, N, D)") {
    testing::check_layer(ln, random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{4, 3, 6}, 2, 2.0));
  }
}

TEST_CASE("LayerNorm equals torch.nn.LayerNorm: output, dX, dgamma, dbeta", "[layernorm][golden]") {
  auto run = [](auto tag, const std::string& name, double rtol, double atol) {
    using T = decltype(tag);
    const auto x = testing::golden<T, 3>(name, "x");
    LayerNorm<T> ln(x.shape(2));
    ln.gamma = testing::golden<T, 1>(name, "gamma");
    ln.beta = testing::golden<T, 1>(name, "beta");
    typename LayerNorm<T>::Cache cache;
    testing::require_close("Y", ln.forward(x, cache), testing::golden<T, 3>(name, "y"), rtol, atol);
    testing::require_close("dX", ln.backward(testing::golden<T, 3>(name, "dy"), cache),
                           testing::golden<T, 3>(name, "dx"), rtol, atol);
    testing::require_close("dgamma", ln.dgamma, testing::golden<T, 1>(name, "dgamma"), rtol, atol);
    testing::require_close("dbeta", ln.dbeta, testing::golden<T, 1>(name, "dbeta"), rtol, atol);
  };
  SECTION("double") { run(double{}, "layernorm_f64", 1e-10, 1e-12); }
  SECTION("float, 64 features") { run(float{}, "layernorm_f32", 1e-4, 1e-4); }
}

TEST_CASE("LayerNorm rejects inputs of the wrong width and bad settings", "[layernorm][errors]") {
  LayerNorm<double> ln(4);
  LayerNorm<double>::Cache cache;
  CHECK_THROWS_WITH(ln.forward(Tensor2<double>(xt::zeros<double>({2, 5})), cache),
                    Catch::Contains("LayerNorm(4)") && Catch::Contains("(2, 5)"));
  CHECK_THROWS_AS(ln.backward(Tensor2<double>(xt::zeros<double>({2, 4})), cache), ValueError);
  CHECK_THROWS_AS(LayerNorm<double>(0), ValueError);
  CHECK_THROWS_AS(LayerNorm<double>(3, 0.0), ValueError);
}
