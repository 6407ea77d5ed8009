// Exercises 10.1 and 10.2: batch normalisation of a matrix (N, D), forward and backward.
#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/core/compare.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/train/gradcheck.hpp"
#include "exercise.hpp"

namespace {
xt::xtensor<double, 2> random_matrix(std::size_t n, std::size_t d, std::uint64_t seed, double scale, double shift) {
  dl::Rng rng(seed);
  xt::xtensor<double, 2> x = xt::zeros<double>({n, d});
  for (auto& v : x) v = shift + scale * rng.normal();
  return x;
}
}  // namespace

TEST_CASE("Exercise 10.1: batch normalisation forward by hand", "[ch10][exercise]") {
  // feature 0: 1, 3 (mean 2, biased variance 1); feature 1: 0, 4 (mean 2, variance 4)
  const xt::xtensor<double, 2> x = {{1, 0}, {3, 4}};
  const xt::xtensor<double, 1> gamma = {2, 1}, beta = {0.5, -1};
  const ch10::BnForward f = ch10::batchnorm_forward(x, gamma, beta);
  REQUIRE(f.y.shape() == x.shape());
  REQUIRE(f.mean.size() == 2);
  REQUIRE(f.var.size() == 2);
  CHECK(f.mean(0) == Approx(2));
  CHECK(f.mean(1) == Approx(2));
  CHECK(f.var(0) == Approx(1));  // biased: divide by N, not N - 1
  CHECK(f.var(1) == Approx(4));
  CHECK(f.xhat(0, 0) == Approx(-1 / std::sqrt(1 + 1e-5)));
  CHECK(f.y(0, 0) == Approx(0.5 - 2 / std::sqrt(1 + 1e-5)));
  CHECK(f.y(1, 1) == Approx(-1 + 2 / std::sqrt(4 + 1e-5)));
}

TEST_CASE("Exercise 10.1: every feature comes out with mean beta and spread gamma", "[ch10][exercise]") {
  const auto x = random_matrix(50, 3, 1, 3.0, 5.0);
  const xt::xtensor<double, 1> gamma = {1, 2, 0.5}, beta = {0, -1, 3};
  const ch10::BnForward f = ch10::batchnorm_forward(x, gamma, beta);
  REQUIRE(f.y.shape() == x.shape());
  for (std::size_t j = 0; j < 3; ++j) {
    double mean = 0, sq = 0;
    for (std::size_t i = 0; i < 50; ++i) mean += f.y(i, j) / 50;
    for (std::size_t i = 0; i < 50; ++i) sq += (f.y(i, j) - mean) * (f.y(i, j) - mean) / 50;
    CHECK(mean == Approx(beta(j)).margin(1e-9));
    CHECK(std::sqrt(sq) == Approx(gamma(j)).epsilon(1e-5));
  }
}

TEST_CASE("Exercise 10.2: the backward pass matches central differences", "[ch10][exercise]") {
  auto x = random_matrix(6, 4, 2, 2.0, 1.0);
  auto gamma = xt::xtensor<double, 1>{1.5, 0.5, -1, 2};
  auto beta = xt::xtensor<double, 1>{0.1, 0.2, 0.3, 0.4};
  const auto R = random_matrix(6, 4, 3, 1.0, 0.0);  // L = sum(R * y): dL/dy = R
  const ch10::BnForward f = ch10::batchnorm_forward(x, gamma, beta);
  const ch10::BnGrads g = ch10::batchnorm_backward(R, f, gamma);
  REQUIRE(g.dx.shape() == x.shape());
  REQUIRE(g.dgamma.size() == 4);
  REQUIRE(g.dbeta.size() == 4);
  auto objective = [&] {
    const ch10::BnForward ff = ch10::batchnorm_forward(x, gamma, beta);
    double s = 0;
    for (std::size_t i = 0; i < R.size(); ++i) s += R.data()[i] * ff.y.data()[i];
    return s;
  };
  for (auto [name, v, d] : {std::tuple{"dx", x.data(), g.dx.data()}, {"dgamma", gamma.data(), g.dgamma.data()},
                            {"dbeta", beta.data(), g.dbeta.data()}}) {
    const auto r = dl::numerical_gradient_check(name, v, d, name == std::string("dx") ? x.size() : 4, objective);
    INFO(r.report());
    CHECK(r.rel_error < 1e-6);
  }
}

TEST_CASE("Exercise 10.2: dx sums to zero over the batch and is orthogonal to xhat", "[ch10][exercise]") {
  // the two constraints normalisation puts on its gradient (derived in the chapter); they
  // are exact with eps = 0
  const auto x = random_matrix(8, 2, 4, 1.0, 0.0);
  const xt::xtensor<double, 1> gamma = {1.3, 0.7}, beta = {0, 0};
  const ch10::BnForward f = ch10::batchnorm_forward(x, gamma, beta, 0.0);
  const ch10::BnGrads g = ch10::batchnorm_backward(random_matrix(8, 2, 5, 1.0, 0.5), f, gamma, 0.0);
  REQUIRE(g.dx.shape() == x.shape());
  REQUIRE(f.xhat.shape() == x.shape());
  double scale = 0;
  for (double v : g.dx) scale = std::max(scale, std::abs(v));
  REQUIRE(scale > 0.1);
  for (std::size_t j = 0; j < 2; ++j) {
    double sum = 0, dot = 0;
    for (std::size_t i = 0; i < 8; ++i) sum += g.dx(i, j), dot += g.dx(i, j) * f.xhat(i, j);
    CHECK(sum == Approx(0).margin(1e-9));
    CHECK(dot == Approx(0).margin(1e-9));
  }
}
