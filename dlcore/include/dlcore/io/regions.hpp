#pragma once
/// \file
/// Pictures of a 2-D classifier: its decision regions as a figure's background and the data
/// points coloured by class (@ref ch04_backprop "Chapter 4" draws them for XOR and spirals).

#include <cstddef>

#include "dlcore/core/tensor.hpp"
#include "dlcore/io/plot.hpp"

namespace dl::plot {

/// Colour of class k's points (a darker shade of its region colour), as "#rrggbb".
std::string class_color(std::size_t k);

/// The decision regions as `fig`'s background image: `grid_labels` are the classes predicted
/// at the nx * ny points of a regular grid over [x0, x1] x [y0, y1], row by row with y in the
/// outer loop (the order of datasets::grid_points). Class k is drawn in a light shade of
/// class_color(k). ShapeError if grid_labels does not hold nx * ny labels.
Figure& class_regions(Figure& fig, const Labels& grid_labels, std::size_t nx, std::size_t ny,
                      double x0, double x1, double y0, double y1, std::size_t K);

/// One scatter series per class ("class 0", "class 1", ... or the given names) of the rows of
/// X (N, 2), in the class colours. ShapeError unless X is (N, 2) with N labels.
template <class T>
Figure& class_points(Figure& fig, const Tensor2<T>& X, const Labels& y, std::size_t K,
                     const std::vector<std::string>& names = {});

}  // namespace dl::plot
