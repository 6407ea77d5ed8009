// The 2-D test functions: hand values, analytic gradients and Hessians against central
// differences, the minima, and the errors.
#include <catch2/catch.hpp>

#include <array>

#include "dlcore/core/error.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/optim/test_functions.hpp"
#include "support/gradcheck.hpp"

using namespace dl;

namespace {
// Gradient and Hessian of f at (x, y) against central differences (relative error < 1e-6).
void check_derivatives(const TestFunction& f, double x, double y) {
  INFO(f.name << " at (" << x << ", " << y << ")");
  std::array<double, 2> p = {x, y};
  const Vec2 g = f.gradient(x, y);
  const std::array<double, 2> analytic = {g.x, g.y};
  testing::require_gradient("grad " + f.name, p.data(), analytic.data(), 2,
                            [&] { return f.value(p[0], p[1]); });
  // the Hessian's rows are the gradients of df/dx and df/dy
  const auto h = f.hessian(x, y);
  const std::array<double, 2> row_x = {h[0], h[1]}, row_y = {h[1], h[2]};
  testing::require_gradient("d(df/dx) " + f.name, p.data(), row_x.data(), 2,
                            [&] { return f.gradient(p[0], p[1]).x; });
  testing::require_gradient("d(df/dy) " + f.name, p.data(), row_y.data(), 2,
                            [&] { return f.gradient(p[0], p[1]).y; });
}
}  // namespace

TEST_CASE("Test functions have the values computed by hand", "[optim][test_functions]") {
  CHECK(rosenbrock()(1, 1) == 0);
  CHECK(rosenbrock()(0, 0) == 1);
  CHECK(rosenbrock()(-1.2, 1) == Approx(24.2));  // 2.2^2 + 100 (1 - 1.44)^2
  CHECK(quadratic(1, 10)(2, 1) == Approx(0.5 * (4 + 10)));
  CHECK(quadratic(1, 10, {1, -1})(1, -1) == 0);
  CHECK(saddle()(1, 2) == -3);
  CHECK(wells(0, 0)(1, -1) == 0);
  CHECK(plane(2, -3)(1, 1) == -1);
  const Vec2 g = rosenbrock().gradient(0, 0);
  CHECK(g.x == -2);
  CHECK(g.y == 0);
}

TEST_CASE("Test function gradients and Hessians match central differences", "[optim][test_functions][gradcheck]") {
  Rng rng(5);
  for (const TestFunction& f : {quadratic(1, 10), quadratic(0.5, 40, {1, 2}), quadratic(1, 20, {0.5, -1}, 30), rosenbrock(),
                                rosenbrock(2, 10), saddle(), wells(), wells(-0.5, 0.1),
                                plane(0.3, -2)})
    for (int k = 0; k < 5; ++k)
      check_derivatives(f, rng.uniform(f.x0, f.x1), rng.uniform(f.y0, f.y1));
}

TEST_CASE("Each test function's minimum is a stationary point and the lowest one", "[optim][test_functions]") {
  for (const TestFunction& f : {quadratic(1, 10, {0.5, 1}), rosenbrock(), saddle(), wells()}) {
    INFO(f.name);
    const Vec2 g = f.gradient(f.minimum.x, f.minimum.y);
    CHECK(std::abs(g.x) < 1e-12);
    CHECK(std::abs(g.y) < 1e-12);
    CHECK(f(f.minimum) == Approx(f.min_value));
  }
  // the four wells: the global minimum is below the three local ones
  const TestFunction w = wells();
  CHECK(w.minimum.x == Approx(-1.036).margin(0.01));
  CHECK(w.minimum.y == Approx(-1.024).margin(0.01));
  for (Vec2 local : {Vec2{0.96, 0.97}, Vec2{0.96, -1.02}, Vec2{-1.04, 0.97}})
    CHECK(w(local) > w.min_value + 0.1);
  CHECK(!saddle().bounded_below);
  CHECK(saddle()(0, 0.1) < saddle().min_value);  // f goes below its stationary value
}

TEST_CASE("Hessian eigenvalues give the curvatures and the condition number", "[optim][test_functions]") {
  const Vec2 q = eigenvalues(quadratic(1, 10).hessian(3, 4));
  CHECK(q.x == 1);
  CHECK(q.y == 10);
  // turning the bowl keeps its curvatures and mixes the coordinates
  const TestFunction turned = quadratic(1, 10, {}, 45);
  const Vec2 qt = eigenvalues(turned.hessian(0, 0));
  CHECK(qt.x == Approx(1));
  CHECK(qt.y == Approx(10));
  CHECK(turned.hessian(0, 0)[1] == Approx(-4.5));  // (a - b) cos sin
  CHECK(turned(std::sqrt(0.5), std::sqrt(0.5)) == Approx(0.5));  // one unit along u: a/2
  CHECK(turned.name == "rotated_quadratic");
  // Rosenbrock at (1, 1): [[802, -400], [-400, 200]], eigenvalues 501 -+ sqrt(301^2 + 400^2)
  const Vec2 r = eigenvalues(rosenbrock().hessian(1, 1));
  CHECK(r.x == Approx(0.39936).epsilon(1e-4));
  CHECK(r.y == Approx(1001.6006).epsilon(1e-6));
  const Vec2 s = eigenvalues(saddle().hessian(0, 0));
  CHECK(s.x == -2);  // one direction of negative curvature: not a minimum
  CHECK(s.y == 2);
}

TEST_CASE("Test functions reject bad settings and unknown names", "[optim][test_functions][errors]") {
  REQUIRE_THROWS_AS(quadratic(-1, 1), ValueError);
  REQUIRE_THROWS_WITH(quadratic(1, -2), Catch::Contains("quadratic") && Catch::Contains("-2"));
  REQUIRE_THROWS_WITH(test_function("himmelblau"),
                      Catch::Contains("himmelblau") && Catch::Contains("rosenbrock"));
  CHECK(test_function("saddle").name == "saddle");
}
