// Exercises 11.1 (log-uniform draws) and 11.2 (k-fold cross-validation folds).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include <dlcore/core/error.hpp>

#include "exercise.hpp"

TEST_CASE("Exercise 11.1: log-uniform draws stay in range and share the decades equally",
          "[ch11][exercise]") {
  dl::Rng rng(5);
  std::size_t decade[3] = {0, 0, 0};
  for (int i = 0; i < 6000; ++i) {
    const double v = ch11::log_uniform(rng, 1e-4, 1e-1);
    REQUIRE(v >= 1e-4);
    REQUIRE(v < 1e-1);
    ++decade[std::min(2, int(std::floor(std::log10(v) + 4)))];
  }
  for (std::size_t d : decade) CHECK(std::abs(double(d) - 2000.0) < 150);
}

TEST_CASE("Exercise 11.1: one uniform draw gives lo (hi / lo) to the power u", "[ch11][exercise]") {
  dl::Rng a(8), b(8);
  for (int i = 0; i < 5; ++i) {
    const double u = b.uniform();
    CHECK(ch11::log_uniform(a, 3e-5, 3e-2) == Approx(3e-5 * std::pow(1000.0, u)).epsilon(1e-12));
  }
}

TEST_CASE("Exercise 11.1: a range that is not 0 < lo < hi is refused", "[ch11][exercise]") {
  dl::Rng rng(1);
  CHECK_THROWS_AS(ch11::log_uniform(rng, 0.0, 1.0), dl::ValueError);
  CHECK_THROWS_AS(ch11::log_uniform(rng, 1e-2, 1e-3), dl::ValueError);
}

TEST_CASE("Exercise 11.2: the folds partition the examples into near-equal blocks",
          "[ch11][exercise]") {
  const std::size_t n = 23, k = 5;  // sizes 5, 5, 5, 4, 4
  std::vector<std::size_t> all;
  for (std::size_t f = 0; f < k; ++f) {
    const auto idx = ch11::fold_indices(n, k, f);
    CHECK(idx.size() == (f < 3 ? 5u : 4u));
    all.insert(all.end(), idx.begin(), idx.end());
  }
  REQUIRE(all.size() == n);
  for (std::size_t i = 0; i < n; ++i) CHECK(all[i] == i);  // in order, each index once
  CHECK(ch11::fold_indices(n, k, 3) == std::vector<std::size_t>{15, 16, 17, 18});
}

TEST_CASE("Exercise 11.2: impossible fold requests are refused", "[ch11][exercise]") {
  CHECK_THROWS_AS(ch11::fold_indices(10, 0, 0), dl::ValueError);
  CHECK_THROWS_AS(ch11::fold_indices(3, 4, 0), dl::ValueError);
  CHECK_THROWS_AS(ch11::fold_indices(10, 5, 5), dl::ValueError);
  CHECK(ch11::fold_indices(10, 10, 9) == std::vector<std::size_t>{9});
}
