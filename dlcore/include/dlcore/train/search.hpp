#pragma once
/// \file
/// Drawing hyperparameters for a random search (Bergstra & Bengio 2012): scale parameters
/// such as a learning rate or a layer width are drawn uniformly in their logarithm, so every
/// decade gets the same share of the trials. @ref ch11_model_selection "Chapter 11".

#include <cstddef>

#include "dlcore/core/rng.hpp"

namespace dl {

/// \f$ \exp(u) \f$ with \f$ u \sim U[\ln lo, \ln hi) \f$, from one uniform draw:
/// \f$ lo \cdot (hi/lo)^{U[0,1)} \f$. ValueError unless 0 < lo < hi.
double log_uniform(Rng& rng, double lo, double hi);

/// An integer in [lo, hi], log-uniform: floor of a log-uniform draw in [lo, hi + 1).
/// ValueError unless 1 <= lo <= hi.
std::size_t log_uniform_int(Rng& rng, std::size_t lo, std::size_t hi);

}  // namespace dl
