#include "dlcore/optim/test_functions.hpp"

#include <cmath>

#include <fmt/format.h>

#include "dlcore/core/error.hpp"

namespace dl {

Vec2 eigenvalues(const std::array<double, 3>& h) {
  // [[p, q], [q, r]]: lambda = (p + r)/2 -+ sqrt(((p - r)/2)^2 + q^2)
  const double mean = 0.5 * (h[0] + h[2]);
  const double radius = std::hypot(0.5 * (h[0] - h[2]), h[1]);
  return {mean - radius, mean + radius};
}

TestFunction quadratic(double a, double b, Vec2 c, double degrees) {
  if (!(a >= 0 && b >= 0))
    throw ValueError(fmt::format("quadratic: curvatures must be >= 0, got a = {}, b = {}", a, b));
  TestFunction f;
  f.name = degrees == 0 ? "quadratic" : "rotated_quadratic";
  f.formula = degrees == 0 ? fmt::format("f = ({} x^2 + {} y^2) / 2", a, b)
                           : fmt::format("f = ({} u^2 + {} v^2) / 2, axes turned by {} degrees", a, b, degrees);
  const double cs = std::cos(degrees * M_PI / 180), sn = std::sin(degrees * M_PI / 180);
  //! [quadratic]
  // (u, v): the coordinates along the bowl's axes; with no turn, u = x - c_x and v = y - c_y
  auto u = [=](double x, double y) { return cs * (x - c.x) + sn * (y - c.y); };
  auto v = [=](double x, double y) { return -sn * (x - c.x) + cs * (y - c.y); };
  f.value = [=](double x, double y) { return 0.5 * (a * u(x, y) * u(x, y) + b * v(x, y) * v(x, y)); };
  f.gradient = [=](double x, double y) {  // chain rule: d/dx = cos du - sin dv, ...
    const double du = a * u(x, y), dv = b * v(x, y);
    return Vec2{cs * du - sn * dv, sn * du + cs * dv};
  };
  f.hessian = [=](double, double) {  // R diag(a, b) R^T
    return std::array<double, 3>{a * cs * cs + b * sn * sn, (a - b) * cs * sn, a * sn * sn + b * cs * cs};
  };
  //! [quadratic]
  // a window about twice as wide as tall, so the zigzag across the valley shows
  f.x0 = c.x - 5, f.x1 = c.x + 5, f.y0 = c.y - 2.5, f.y1 = c.y + 2.5;
  f.minimum = c;
  f.min_value = 0;
  const double top = 0.5 * std::max(a * 25, b * 6.25);
  for (double l = top; l > 1e-3 * top; l *= 0.5) f.levels.insert(f.levels.begin(), l);
  return f;
}

TestFunction rosenbrock(double a, double b) {
  TestFunction f;
  f.name = "rosenbrock";
  f.formula = fmt::format("f = ({} - x)^2 + {} (y - x^2)^2", a, b);
  //! [rosenbrock]
  f.value = [=](double x, double y) { return (a - x) * (a - x) + b * (y - x * x) * (y - x * x); };
  f.gradient = [=](double x, double y) {
    return Vec2{-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)};
  };
  f.hessian = [=](double x, double y) {
    return std::array<double, 3>{2 - 4 * b * (y - x * x) + 8 * b * x * x, -4 * b * x, 2 * b};
  };
  //! [rosenbrock]
  f.x0 = -2, f.x1 = 2, f.y0 = -1, f.y1 = 3;
  f.minimum = {a, a * a};
  f.min_value = 0;
  f.levels = {0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000};
  return f;
}

TestFunction saddle() {
  TestFunction f;
  f.name = "saddle";
  f.formula = "f = x^2 - y^2";
  f.value = [](double x, double y) { return x * x - y * y; };
  f.gradient = [](double x, double y) { return Vec2{2 * x, -2 * y}; };
  f.hessian = [](double, double) { return std::array<double, 3>{2, 0, -2}; };
  f.minimum = {0, 0};
  f.min_value = 0;
  f.bounded_below = false;
  f.levels = {-3.5, -2.5, -1.5, -0.75, -0.25, 0.25, 0.75, 1.5, 2.5, 3.5};
  return f;
}

namespace {
// The lowest minimiser of the double well (x^2 - 1)^2 + t x: Newton on 4x^3 - 4x + t = 0
// from the well on the side the tilt lowers.
double deepest_well(double t) {
  double x = t >= 0 ? -1.0 : 1.0;
  for (int i = 0; i < 50; ++i) x -= (4 * x * x * x - 4 * x + t) / (12 * x * x - 4);
  return x;
}
}  // namespace

TestFunction wells(double tx, double ty) {
  TestFunction f;
  f.name = "wells";
  f.formula = fmt::format("f = (x^2 - 1)^2 + (y^2 - 1)^2 + {} x + {} y", tx, ty);
  f.value = [=](double x, double y) {
    return (x * x - 1) * (x * x - 1) + (y * y - 1) * (y * y - 1) + tx * x + ty * y;
  };
  f.gradient = [=](double x, double y) {
    return Vec2{4 * x * (x * x - 1) + tx, 4 * y * (y * y - 1) + ty};
  };
  f.hessian = [](double x, double y) {
    return std::array<double, 3>{12 * x * x - 4, 0, 12 * y * y - 4};
  };
  f.minimum = {deepest_well(tx), deepest_well(ty)};
  f.min_value = f.value(f.minimum.x, f.minimum.y);
  f.levels = {-0.4, -0.2, 0.0, 0.2, 0.4, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0};
  return f;
}

TestFunction plane(double gx, double gy) {
  TestFunction f;
  f.name = "plane";
  f.formula = fmt::format("f = {} x + {} y", gx, gy);
  f.value = [=](double x, double y) { return gx * x + gy * y; };
  f.gradient = [=](double, double) { return Vec2{gx, gy}; };
  f.hessian = [](double, double) { return std::array<double, 3>{0, 0, 0}; };
  f.bounded_below = gx == 0 && gy == 0;
  f.min_value = f.bounded_below ? 0 : -INFINITY;
  for (double l = -4; l <= 4; l += 1) f.levels.push_back(l);
  return f;
}

TestFunction test_function(const std::string& name) {
  if (name == "quadratic") return quadratic();
  if (name == "rosenbrock") return rosenbrock();
  if (name == "saddle") return saddle();
  if (name == "wells") return wells();
  throw ValueError("test_function: unknown name '" + name +
                   "' (valid: quadratic, rosenbrock, saddle, wells)");
}

}  // namespace dl
