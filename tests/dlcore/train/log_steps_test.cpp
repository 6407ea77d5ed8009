// Callbacks at logarithmically spaced steps.
#include <catch2/catch.hpp>

#include "dlcore/core/error.hpp"
#include "dlcore/train/log_steps.hpp"

using namespace dl;

TEST_CASE("every_log_step calls back at 1, 2, ... then 10% apart", "[train][log_steps]") {
  std::vector<std::size_t> seen;
  auto cb = every_log_step([&](std::size_t s) { seen.push_back(s); }, 1.1);
  for (std::size_t step = 1; step <= 40; ++step) cb(step, 0.0);
  const std::vector<std::size_t> expected = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                                             14, 15, 16, 17, 18, 19, 20, 22, 24, 26, 28, 30, 33, 36, 39};
  CHECK(seen == expected);
  CHECK(log_steps(40, 1.1) == expected);
  CHECK(log_steps(1000000, 1.1).size() < 160);  // a long run still gives a short curve
  REQUIRE_THROWS_AS(every_log_step([](std::size_t) {}, 1.0), ValueError);
  REQUIRE_THROWS_WITH(log_steps(10, 0.5), Catch::Contains("0.5"));
}
