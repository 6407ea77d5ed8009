#pragma once
/// \file
/// Small 2-D datasets generated from a seed: the playgrounds of Part I.

#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/train/data.hpp"

namespace datasets {

template <class T>
using Points = dl::Dataset<dl::Tensor2<T>>;  ///< X (N, 2), labels (N)

/// Two classes on either side of the line w.x + b = 0 (w = (1, -0.6), b = 0.1), with a
/// gap of `margin` around it: linearly separable.
template <class T>
Points<T> linearly_separable(std::size_t n, dl::Rng& rng, double margin = 0.1);

/// XOR: points uniform in [-1, 1]^2, label 1 when x and y have different signs; `noise`
/// is the standard deviation of Gaussian jitter added after labelling. Not linearly separable.
template <class T>
Points<T> xor_points(std::size_t n, dl::Rng& rng, double noise = 0.0);

/// K interleaved spirals (CS231n), n_per_class points each, angular noise `noise`.
template <class T>
Points<T> spirals(std::size_t n_per_class, std::size_t K, dl::Rng& rng, double noise = 0.2);

/// Two interleaving half circles (scikit-learn's make_moons).
template <class T>
Points<T> moons(std::size_t n, dl::Rng& rng, double noise = 0.1);

/// y = slope x + intercept + N(0, noise^2) for x uniform in [0, 10], with a fraction of the
/// targets replaced by gross outliers (shifted up by 20-40). X (N, 1), y (N, 1).
template <class T>
dl::Dataset<dl::Tensor2<T>, dl::Tensor2<T>> line_with_outliers(std::size_t n, double slope,
                                                               double intercept, double noise,
                                                               double outlier_fraction,
                                                               dl::Rng& rng);

/// The points of a regular nx-by-ny grid over [x0, x1] x [y0, y1], row by row (y outer):
/// the inputs for drawing decision regions. (nx*ny, 2)
template <class T>
dl::Tensor2<T> grid_points(double x0, double x1, double y0, double y1, std::size_t nx,
                           std::size_t ny);

}  // namespace datasets
