// Contour lines by marching squares, and the contour figure of a test function.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "dlcore/core/error.hpp"
#include "dlcore/io/contour.hpp"
#include "support/scratch.hpp"

using namespace dl;

TEST_CASE("Contour lines of x^2 + y^2 are closed circles of the right radius", "[io][contour]") {
  TestFunction bowl = quadratic(2, 2);  // f = x^2 + y^2
  bowl.x0 = bowl.y0 = -2, bowl.x1 = bowl.y1 = 2;
  const Tensor2<double> v = plot::sample(bowl, 81);
  const plot::Polylines c = plot::contour_lines(v, -2, 2, -2, 2, {1.0, 2.25});
  CHECK(c.pieces == 2);  // one closed polyline per level
  std::size_t n = 0;
  for (std::size_t i = 0; i < c.x.size(); ++i) {
    if (std::isnan(c.x[i])) continue;
    const double r = std::hypot(c.x[i], c.y[i]);
    const bool on_a_circle = std::abs(r - 1) < 0.01 || std::abs(r - 1.5) < 0.01;
    CHECK(on_a_circle);
    ++n;
  }
  CHECK(n > 100);
  // the first polyline closes on itself
  std::size_t end = 0;
  while (!std::isnan(c.x[end])) ++end;
  CHECK(c.x[0] == Approx(c.x[end - 1]));
  CHECK(c.y[0] == Approx(c.y[end - 1]));
}

TEST_CASE("Contour lines cross a saddle cell without joining the wrong corners", "[io][contour]") {
  // 2 x 2 samples, high on one diagonal, low on the other: level 0.5 cuts off two corners
  const Tensor2<double> v = {{1, 0}, {0, 1}};
  const plot::Polylines c = plot::contour_lines(v, 0, 1, 0, 1, {0.5});
  CHECK(c.pieces == 2);
  REQUIRE(c.x.size() == 5);  // two segments and a NaN between them
  CHECK(std::isnan(c.x[2]));
  REQUIRE_THROWS_AS(plot::contour_lines(Tensor2<double>{{1, 2}}, 0, 1, 0, 1, {1.5}), ShapeError);
  REQUIRE_THROWS_WITH(plot::contour_lines(Tensor2<double>{{1, 2}}, 0, 1, 0, 1, {1.5}),
                      Catch::Contains("(1, 2)"));
}

TEST_CASE("contour_figure draws level curves and the minimum, with the CSV beside", "[io][contour]") {
  const auto dir = testing::scratch_dir("io", "contour");
  plot::Figure fig = plot::contour_figure(rosenbrock(), "Rosenbrock", 60);
  fig.line("a path", {-1.2, 0, 1}, {1, 0, 1});
  fig.save(dir / "rosenbrock.svg");
  REQUIRE(std::filesystem::exists(dir / "rosenbrock.csv"));
  CHECK(std::filesystem::file_size(dir / "rosenbrock.csv") > 1000);
}

TEST_CASE("Polylines and sampling reject bad sizes, naming both", "[io][contour][errors]") {
  plot::Polylines p;
  p.add({0, 1}, {0, 1}).add({2}, {2});
  CHECK(p.pieces == 2);
  CHECK(p.x.size() == 4);  // two points, a NaN, one point
  REQUIRE_THROWS_WITH(p.add({0, 1, 2}, {0, 1}), Catch::Contains("3 x values") && Catch::Contains("2 y values"));
  REQUIRE_THROWS_WITH(plot::sample(rosenbrock(), 1), Catch::Contains("sample") && Catch::Contains("1"));
}
