#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/core/error.hpp"
#include "dlcore/train/search.hpp"

using namespace dl;

TEST_CASE("log_uniform gives every decade the same share", "[search]") {
  Rng rng(3);
  std::size_t decade[4] = {0, 0, 0, 0};
  for (int i = 0; i < 8000; ++i) {
    const double v = log_uniform(rng, 1e-5, 1e-1);
    REQUIRE(v >= 1e-5);
    REQUIRE(v < 1e-1);
    ++decade[std::min(3, int(std::floor(std::log10(v) + 5)))];
  }
  for (std::size_t d : decade) CHECK(std::abs(double(d) - 2000.0) < 150);  // ~4.5 sigma
  // one uniform draw: lo * (hi / lo)^u
  Rng a(9), b(9);
  CHECK(log_uniform(a, 2.0, 50.0) == Approx(2.0 * std::pow(25.0, b.uniform())).epsilon(1e-15));
  REQUIRE_THROWS_AS(log_uniform(rng, 0.0, 1.0), ValueError);
  REQUIRE_THROWS_WITH(log_uniform(rng, 1.0, 1.0), Catch::Contains("lo < hi"));
}

TEST_CASE("log_uniform_int covers lo to hi, denser at the small end", "[search]") {
  Rng rng(4);
  std::size_t small = 0, lowest = 1000, highest = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::size_t w = log_uniform_int(rng, 16, 1024);
    lowest = std::min(lowest, w);
    highest = std::max(highest, w);
    small += w < 128;  // 16..127 is half of the log range 16..1025
  }
  CHECK(lowest == 16);
  CHECK(highest > 900);
  CHECK(highest <= 1024);
  CHECK(std::abs(double(small) / 4000 - std::log(128.0 / 16) / std::log(1025.0 / 16)) < 0.03);
  CHECK(log_uniform_int(rng, 7, 7) == 7);
  REQUIRE_THROWS_AS(log_uniform_int(rng, 0, 4), ValueError);
}
