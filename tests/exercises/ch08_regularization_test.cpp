// Exercises 8.1 (inverted dropout) and 8.2 (L2 and L1 penalties).
#include <catch2/catch.hpp>

#include "exercise.hpp"

TEST_CASE("Exercise 8.1: inverted dropout forward", "[ch08][exercise]") {
  const std::vector<double> x = {1.0, -2.0, 3.0, 4.0};
  const std::vector<int> keep = {1, 0, 0, 1};
  const auto y = ch08::dropout_forward(x, keep, 0.5);  // kept values doubled
  REQUIRE(y.size() == 4);
  CHECK(y[0] == Approx(2.0));
  CHECK(y[1] == 0.0);
  CHECK(y[2] == 0.0);
  CHECK(y[3] == Approx(8.0));
  const auto z = ch08::dropout_forward(x, {1, 1, 1, 0}, 0.2);  // scale 1 / 0.8
  REQUIRE(z.size() == 4);
  CHECK(z[2] == Approx(3.75));
  CHECK(z[3] == 0.0);
}

TEST_CASE("Exercise 8.1: inverted dropout backward", "[ch08][exercise]") {
  const std::vector<double> dy = {0.5, 0.5, -1.0, 2.0};
  const auto dx = ch08::dropout_backward(dy, {0, 1, 1, 0}, 0.75);  // scale 4
  REQUIRE(dx.size() == 4);
  CHECK(dx[0] == 0.0);
  CHECK(dx[1] == Approx(2.0));
  CHECK(dx[2] == Approx(-4.0));
  CHECK(dx[3] == 0.0);
}

TEST_CASE("Exercise 8.2: the L2 penalty and its gradient", "[ch08][exercise]") {
  const std::vector<double> w = {1.0, -2.0, 0.5};
  std::vector<double> g;
  CHECK(ch08::l2_penalty(w, 0.2, g) == Approx(0.5 * 0.2 * 5.25));
  REQUIRE(g.size() == 3);
  CHECK(g[0] == Approx(0.2));
  CHECK(g[1] == Approx(-0.4));
  CHECK(g[2] == Approx(0.1));
}

TEST_CASE("Exercise 8.2: the L1 penalty and its subgradient, sign(0) = 0", "[ch08][exercise]") {
  const std::vector<double> w = {1.5, -2.0, 0.0, 0.25};
  std::vector<double> g;
  CHECK(ch08::l1_penalty(w, 0.1, g) == Approx(0.1 * 3.75));
  REQUIRE(g.size() == 4);
  CHECK(g[0] == Approx(0.1));
  CHECK(g[1] == Approx(-0.1));
  CHECK(g[2] == 0.0);
  CHECK(g[3] == Approx(0.1));
}
