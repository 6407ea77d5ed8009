#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/core/error.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/train/standardize.hpp"

using namespace dl;

TEST_CASE("Standardizer: mean and biased std per column, by hand", "[standardize]") {
  const Tensor2<float> X = {{1, 10, 5}, {3, 10, 7}, {5, 10, 0}};
  const Standardizer s = Standardizer::fit(X);
  CHECK(s.mean(0) == Approx(3.0));
  CHECK(s.mean(1) == Approx(10.0));
  CHECK(s.mean(2) == Approx(4.0));
  CHECK(s.std(0) == Approx(std::sqrt(8.0 / 3)));  // deviations -2, 0, 2
  CHECK(s.std(1) == 0.0);                          // a constant feature
  CHECK(s.std(2) == Approx(std::sqrt(26.0 / 3)));  // deviations 1, 3, -4
  const Tensor2<float> Z = s.transform(X);
  CHECK(Z(0, 0) == Approx(-2 / std::sqrt(8.0 / 3)));
  CHECK(Z(2, 2) == Approx(-4 / std::sqrt(26.0 / 3)));
  for (std::size_t n = 0; n < 3; ++n) CHECK(Z(n, 1) == 0.0f);  // centred, not divided by 0
}

TEST_CASE("Standardizer: the training set comes out with mean 0 and variance 1, others use its statistics",
          "[standardize]") {
  Rng rng(4);
  Tensor2<float> X = Tensor2<float>::from_shape({500, 4});
  for (std::size_t n = 0; n < 500; ++n)
    for (std::size_t d = 0; d < 4; ++d) X(n, d) = float(0.3 * d + (1.0 + d) * rng.normal());
  const Standardizer s = Standardizer::fit(X);
  const Tensor2<float> Z = s.transform(X);
  for (std::size_t d = 0; d < 4; ++d) {
    double m = 0, v = 0;
    for (std::size_t n = 0; n < 500; ++n) m += Z(n, d);
    m /= 500;
    for (std::size_t n = 0; n < 500; ++n) v += (Z(n, d) - m) * (Z(n, d) - m);
    CHECK(std::abs(m) < 1e-6);
    CHECK(v / 500 == Approx(1.0).epsilon(1e-5));
  }
  const Tensor2<float> other = {{0.0f, 0.3f, 0.6f, 0.9f}};  // the means: maps to zeros
  const Standardizer t = Standardizer::fit(Tensor2<float>{{0.0f, 0.3f, 0.6f, 0.9f}, {0.0f, 0.3f, 0.6f, 0.9f}});
  const Tensor2<float> zero = t.transform(other);
  for (std::size_t d = 0; d < 4; ++d) CHECK(zero(0, d) == 0.0f);
  REQUIRE_THROWS_WITH(s.transform(Tensor2<float>(xt::zeros<float>({2, 3}))),
                      Catch::Contains("Standardizer") && Catch::Contains("4 features"));
  REQUIRE_THROWS_AS(Standardizer::fit(Tensor2<float>::from_shape({0, 4})), ValueError);
}
