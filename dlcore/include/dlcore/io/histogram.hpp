#pragma once
/// \file
/// Histograms of values (weights, activations) for plots: bin centres and densities.

#include <cstddef>
#include <vector>

namespace dl {

/// Equal-width bins over [lo, hi]: `centers` of the bins and `density` = count / (n width),
/// so the bars integrate to the fraction of the n values inside [lo, hi]; `outside` counts
/// the values beyond it (they are in no bin).
struct Histogram {
  std::vector<double> centers, density;
  std::size_t outside = 0;
};

/// The histogram of n values. ValueError for bins == 0 or hi <= lo.
template <class T>
Histogram histogram(const T* values, std::size_t n, double lo, double hi, std::size_t bins);

}  // namespace dl
