#pragma once
/// \file
/// Contour lines of a sampled 2-D function (marching squares), and a plot::Figure that
/// draws a dl::TestFunction's level curves so optimizer paths can be drawn over them
/// (@ref ch05_gradient_descent "Chapter 5", @ref ch06_optimizers "Chapter 6").

#include <string>
#include <vector>

#include "dlcore/core/tensor.hpp"
#include "dlcore/io/plot.hpp"
#include "dlcore/optim/test_functions.hpp"

namespace dl::plot {

/// Polylines as one x and one y list, pieces separated by NaN (gnuplot breaks a line there).
struct Polylines {
  std::vector<double> x, y;
  std::size_t pieces = 0;  ///< number of separate polylines
  /// Append one more polyline (e.g. a path), separated from the others by NaN.
  Polylines& add(const std::vector<double>& px, const std::vector<double>& py);
};

/// The curves values = level for each level, by marching squares with linear interpolation
/// along cell edges, joined into polylines. values(r, c) is the sample at
/// x = x0 + (x1 - x0) c / (C - 1), y = y0 + (y1 - y0) r / (R - 1). ShapeError if the grid
/// is smaller than 2 x 2.
Polylines contour_lines(const Tensor2<double>& values, double x0, double x1, double y0,
                        double y1, const std::vector<double>& levels);

/// f sampled on a grid x grid lattice over its window (rows over y), as contour_lines wants.
Tensor2<double> sample(const TestFunction& f, std::size_t grid = 200);

/// Colour lines first, first + 1, ... of `fig` from a palette that stays distinct for
/// colour-blind readers and on white (Okabe & Ito's, with grey for its yellow): blue,
/// vermillion, green, purple, orange, sky blue, black, grey.
Figure& distinct_colors(Figure& fig, int first = 1);

/// A Figure over f's window with equal axis scales, its level curves (f.levels) in grey and
/// its minimum (or saddle point) marked; the paths added next get distinct_colors().
/// Add paths with line() or linespoints(), then save().
Figure contour_figure(const TestFunction& f, const std::string& title, std::size_t grid = 200);

}  // namespace dl::plot
