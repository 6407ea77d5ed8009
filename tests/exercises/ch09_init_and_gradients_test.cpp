// Exercises 9.1 (Xavier and He standard deviations) and 9.2 (clipping by global norm).
#include <catch2/catch.hpp>

#include <cmath>

#include "exercise.hpp"

TEST_CASE("Exercise 9.1: Xavier's standard deviation", "[ch09][exercise]") {
  CHECK(ch09::xavier_std(100, 100) == Approx(0.1));
  CHECK(ch09::xavier_std(784, 16) == Approx(0.05));
  CHECK(ch09::xavier_std(1, 1) == Approx(1.0));
}

TEST_CASE("Exercise 9.1: He's standard deviation", "[ch09][exercise]") {
  CHECK(ch09::he_std(200) == Approx(0.1));
  CHECK(ch09::he_std(2) == Approx(1.0));
  CHECK(ch09::he_std(512) == Approx(0.0625));
}

TEST_CASE("Exercise 9.2: gradients above max_norm are scaled to it", "[ch09][exercise]") {
  std::vector<std::vector<double>> g = {{3.0, 0.0}, {0.0, 4.0, 0.0}};
  CHECK(ch09::clip_by_global_norm(g, 1.0) == Approx(5.0));  // the norm before clipping
  CHECK(g[0][0] == Approx(0.6).epsilon(1e-6));
  CHECK(g[1][1] == Approx(0.8).epsilon(1e-6));
  CHECK(g[1][0] == 0.0);
}

TEST_CASE("Exercise 9.2: gradients below max_norm are left alone", "[ch09][exercise]") {
  std::vector<std::vector<double>> g = {{0.3}, {-0.4}};
  CHECK(ch09::clip_by_global_norm(g, 1.0) == Approx(0.5));
  CHECK(g[0][0] == 0.3);
  CHECK(g[1][0] == -0.4);
}
