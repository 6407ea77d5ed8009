#pragma once
/// \file
/// Looking inside a network: the output of every module for one batch, percentiles of a
/// tensor's values, and a moving average for noisy per-step curves
/// (activation distributions per layer, @ref ch10_batchnorm "Chapter 10").

#include <cstddef>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/train/module.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

/// The output of every module of `net` for the input x, in order (element i is module i's
/// output). A probe: the network's buffers (BatchNorm's running statistics, which a
/// Mode::train pass would move) are restored afterwards, so looking changes nothing.
template <class T>
std::vector<AnyTensor<T>> layer_outputs(Sequential<T>& net, const AnyTensor<T>& x,
                                        const Context& ctx);

/// Percentiles (each p in [0, 100]) of n values, interpolated linearly between order
/// statistics as NumPy's default does: rank \f$ p (n-1)/100 \f$. ValueError for n = 0 or p
/// outside [0, 100].
template <class T>
std::vector<double> percentiles(const T* values, std::size_t n, const std::vector<double>& ps);
/// Percentiles of every value an AnyTensor holds.
template <class T>
std::vector<double> percentiles(const AnyTensor<T>& x, const std::vector<double>& ps);

/// Mean and standard deviation (population, divide by n) of a tensor's values.
struct Moments {
  double mean = 0, std = 0;
};
template <class T>
Moments moments(const AnyTensor<T>& x);

/// Trailing moving average: out[i] = mean of v[max(0, i-window+1) .. i]. ValueError for
/// window 0.
std::vector<double> moving_average(const std::vector<double>& v, std::size_t window);

extern template std::vector<AnyTensor<float>> layer_outputs(Sequential<float>&, const AnyTensor<float>&,
                                                            const Context&);
extern template std::vector<AnyTensor<double>> layer_outputs(Sequential<double>&,
                                                             const AnyTensor<double>&, const Context&);
extern template std::vector<double> percentiles(const float*, std::size_t, const std::vector<double>&);
extern template std::vector<double> percentiles(const double*, std::size_t, const std::vector<double>&);
extern template std::vector<double> percentiles(const AnyTensor<float>&, const std::vector<double>&);
extern template std::vector<double> percentiles(const AnyTensor<double>&, const std::vector<double>&);
extern template Moments moments(const AnyTensor<float>&);
extern template Moments moments(const AnyTensor<double>&);

}  // namespace dl
