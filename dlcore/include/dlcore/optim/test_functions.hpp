#pragma once
/// \file
/// Two-dimensional test functions with analytic gradients and Hessians: the landscapes on
/// which @ref ch05_gradient_descent "Chapter 5" and @ref ch06_optimizers "Chapter 6" watch
/// optimizers move. dl::descend (optim/descend.hpp) runs any dl::Optimizer on them.

#include <array>
#include <functional>
#include <string>
#include <vector>

namespace dl {

/// A point (or a vector) of the plane.
struct Vec2 {
  double x = 0, y = 0;
};

/// A function \f$ f(x, y) \f$ with its gradient and Hessian, a window to draw it in and the
/// contour levels that draw it well.
struct TestFunction {
  std::string name;     ///< short, key-safe: "quadratic", "rosenbrock", "saddle", "wells"
  std::string formula;  ///< for titles, e.g. "f = (1 - x)^2 + 100 (y - x^2)^2"
  std::function<double(double, double)> value;     ///< f(x, y)
  std::function<Vec2(double, double)> gradient;     ///< (df/dx, df/dy)
  /// The Hessian (f_xx, f_xy, f_yy) at (x, y).
  std::function<std::array<double, 3>(double, double)> hessian;
  double x0 = -2, x1 = 2, y0 = -2, y1 = 2;  ///< the drawing window
  Vec2 minimum;                             ///< the global minimiser (the saddle point for saddle())
  double min_value = 0;                     ///< f at `minimum`
  bool bounded_below = true;                ///< false for saddle(): descent can run off forever
  std::vector<double> levels;               ///< contour levels for plots, increasing

  double operator()(double x, double y) const { return value(x, y); }
  double operator()(Vec2 p) const { return value(p.x, p.y); }
};

/// The eigenvalues (smallest, largest) of a symmetric 2 x 2 Hessian (f_xx, f_xy, f_yy).
Vec2 eigenvalues(const std::array<double, 3>& h);

/// The ill-conditioned quadratic \f$ f = \tfrac12\big(a (x - c_x)^2 + b (y - c_y)^2\big) \f$:
/// Hessian diag(a, b), condition number b/a. With `degrees` != 0 the bowl is turned by that
/// angle about its centre: \f$ f = \tfrac12 (a u^2 + b v^2) \f$ with
/// \f$ (u, v) = R(-\theta)\,(x - c_x, y - c_y) \f$, the same curvatures along turned axes.
/// ValueError unless a, b >= 0.
TestFunction quadratic(double a = 1, double b = 10, Vec2 center = {}, double degrees = 0);

/// Rosenbrock's banana valley \f$ f = (a - x)^2 + b (y - x^2)^2 \f$, minimum (a, a^2).
TestFunction rosenbrock(double a = 1, double b = 100);

/// The saddle \f$ f = x^2 - y^2 \f$: a stationary point at the origin that is no minimum.
TestFunction saddle();

/// Four wells of different depths: \f$ f = (x^2 - 1)^2 + (y^2 - 1)^2 + t_x x + t_y y \f$.
/// With the default tilts the deepest well is near (-1, -1), the shallowest near (1, 1):
/// one global and three local minima.
TestFunction wells(double tilt_x = 0.3, double tilt_y = 0.2);

/// A plane \f$ f = g_x x + g_y y \f$: the same gradient everywhere, so an optimizer's state
/// can be watched under a stationary (optionally noisy) gradient. Unbounded below.
TestFunction plane(double gx, double gy);

/// A test function by name ("quadratic", "rosenbrock", "saddle", "wells") with default
/// parameters; ValueError listing the names otherwise.
TestFunction test_function(const std::string& name);

}  // namespace dl
