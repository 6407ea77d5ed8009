#include <catch2/catch.hpp>

#include "dlcore/core/error.hpp"
#include "dlcore/io/histogram.hpp"

using namespace dl;

TEST_CASE("histogram: counts, densities and values outside the range", "[histogram]") {
  const std::vector<double> v = {-1.0, -0.4, 0.1, 0.2, 0.9, 1.0, 3.0};
  const Histogram h = histogram(v.data(), v.size(), -1.0, 1.0, 4);  // bins of width 0.5
  REQUIRE(h.centers.size() == 4);
  CHECK(h.centers[0] == Approx(-0.75));
  CHECK(h.centers[3] == Approx(0.75));
  // counts 1 (-1.0), 1 (-0.4), 2 (0.1, 0.2), 2 (0.9 and 1.0, the upper edge); 3.0 outside
  CHECK(h.density[0] == Approx(1.0 / (7 * 0.5)));
  CHECK(h.density[2] == Approx(2.0 / (7 * 0.5)));
  CHECK(h.density[3] == Approx(2.0 / (7 * 0.5)));
  CHECK(h.outside == 1);
  CHECK_THROWS_WITH(histogram(v.data(), v.size(), 1.0, 1.0, 4), Catch::Contains("histogram"));
  CHECK_THROWS_AS(histogram(v.data(), v.size(), 0.0, 1.0, 0), ValueError);
}
