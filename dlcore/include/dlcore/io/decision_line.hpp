#pragma once
/// \file
/// A straight decision boundary \f$ a x + b y + c = 0 \f$ clipped to a plotted box, as a
/// two-point segment for plot::Figure::line (Chapter 1's perceptron lines).

#include <vector>

namespace dl::plot {

/// A piece of a line as its end points (x[0], y[0]) - (x[1], y[1]); empty when there is none.
struct Segment {
  std::vector<double> x, y;
  bool empty() const { return x.empty(); }
};

/// The part of the line \f$ a x + b y + c = 0 \f$ inside the box [x0, x1] x [y0, y1],
/// ordered by x; empty if the line misses the box, only touches a corner, or a = b = 0
/// (then it is no line at all).
Segment line_in_box(double a, double b, double c, double x0, double x1, double y0, double y1);

}  // namespace dl::plot
