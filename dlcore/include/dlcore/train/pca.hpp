#pragma once
/// \file
/// Principal component analysis: the directions of largest variance of a set of vectors, to
/// draw learned embeddings in two dimensions (@ref ch19_embeddings "Chapter 19").

#include <vector>

#include "dlcore/core/tensor.hpp"

namespace dl {

/// The first k principal components of the rows of X (N, D).
struct Pca {
  Tensor1<double> mean;           ///< the mean row (D)
  Tensor2<double> components;     ///< unit directions (k, D), largest variance first
  std::vector<double> variance;   ///< the variance along each component
  double total_variance = 0;      ///< the trace of the covariance: variance[i] / total is "explained"
  /// (X - mean) components^T: the coordinates of each row (N, k).
  Tensor2<double> project(const Tensor2<double>& X) const;
};

/// The top k eigenvectors of the covariance \f$ S = \frac1N (X - \bar x)^\top (X - \bar x) \f$ by
/// power iteration with deflation (deterministic; each component's sign is chosen so that its
/// largest entry is positive). ValueError for k > D or fewer than two rows.
Pca pca(const Tensor2<double>& X, std::size_t k);

}  // namespace dl
