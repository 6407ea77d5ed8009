#pragma once
/// \file
/// Input standardisation: every feature shifted and scaled to mean 0 and variance 1 over the
/// training set, \f$ x'_{nd} = (x_{nd} - \mu_d) / \sigma_d \f$, the same \f$ \mu, \sigma \f$ then
/// applied to validation and test data. @ref ch09_standardize "Chapter 9" measures what it
/// does to training.

#include <string>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// Per-feature mean and standard deviation of a training matrix (N, D), and the map that
/// standardises with them.
struct Standardizer {
  Tensor1<double> mean;  ///< \f$ \mu_d = \frac1N \sum_n x_{nd} \f$
  Tensor1<double> std;   ///< \f$ \sigma_d = \sqrt{\frac1N \sum_n (x_{nd} - \mu_d)^2} \f$
  /// Features whose \f$ \sigma_d \f$ is below this (constant in the training set, such as a
  /// border pixel that is black in every image) are only centred, not divided.
  double min_std = 1e-6;

  /// Measure mean and (biased) standard deviation of every column of X (N, D), in double.
  /// ValueError for an empty X.
  static Standardizer fit(const Tensor2<float>& X);
  /// \f$ (x - \mu) / \sigma \f$ for every row of X (N, D); ShapeError if D differs from the
  /// fitted one.
  Tensor2<float> transform(const Tensor2<float>& X) const;
};

}  // namespace dl
