// line_in_box: the visible piece of a straight decision boundary.
#include <catch2/catch.hpp>

#include "dlcore/io/decision_line.hpp"

using dl::plot::line_in_box;

TEST_CASE("line_in_box clips lines of every direction to the box", "[plot]") {
  SECTION("the diagonal x - y = 0") {
    const auto s = line_in_box(1, -1, 0, -1, 1, -1, 1);
    REQUIRE(s.x.size() == 2);
    CHECK(s.x[0] == Approx(-1)); CHECK(s.y[0] == Approx(-1));
    CHECK(s.x[1] == Approx(1));  CHECK(s.y[1] == Approx(1));
  }
  SECTION("a vertical line x = 0.5") {
    const auto s = line_in_box(2, 0, -1, -1, 1, -1, 1);
    REQUIRE(s.x.size() == 2);
    CHECK(s.x[0] == Approx(0.5)); CHECK(s.x[1] == Approx(0.5));
    CHECK(std::min(s.y[0], s.y[1]) == Approx(-1));
    CHECK(std::max(s.y[0], s.y[1]) == Approx(1));
  }
  SECTION("a horizontal line y = -0.25") {
    const auto s = line_in_box(0, 4, 1, -1, 1, -1, 1);
    REQUIRE(s.x.size() == 2);
    CHECK(s.x[0] == Approx(-1)); CHECK(s.x[1] == Approx(1));
    CHECK(s.y[0] == Approx(-0.25)); CHECK(s.y[1] == Approx(-0.25));
  }
  SECTION("a steep line through the top and bottom edges") {
    const auto s = line_in_box(1, -0.2, 0, 0, 2, -1, 1);  // x = 0.2 y
    REQUIRE(s.x.size() == 2);
    CHECK(s.x[0] == Approx(0)); CHECK(s.y[0] == Approx(0));  // enters at the left edge's (0, 0)
    CHECK(s.x[1] == Approx(0.2)); CHECK(s.y[1] == Approx(1));
  }
}

TEST_CASE("line_in_box is empty when there is nothing to draw", "[plot]") {
  CHECK(line_in_box(1, 1, -5, -1, 1, -1, 1).empty());  // x + y = 5 misses the box
  CHECK(line_in_box(1, 1, -2, -1, 1, -1, 1).empty());  // x + y = 2 only touches the corner (1, 1)
  CHECK(line_in_box(0, 0, 1, -1, 1, -1, 1).empty());   // 1 = 0: no line at all
}
