#pragma once
/// \file
/// Synthetic sequence tasks with long-range dependencies, generated from a seed at any
/// length T: the adding problem and the copy (recall) task. Chapters 17 and 18.

#include <cstdint>

#include "dlcore/core/rng.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/train/data.hpp"

namespace datasets {

/// The adding problem (Hochreiter & Schmidhuber 1997, in the form of Le, Jaitly & Hinton
/// 2015): each of the T steps carries (value ~ U(0, 1), marker); exactly two markers are 1,
/// one in the first half [0, T/2) and one in the second [T/2, T); the target is the sum of
/// the two marked values. Always answering the mean, 1, gives an MSE of 1/6 = 0.167.
/// X (T, N, 2), y (N, 1). T >= 2.
template <class T>
dl::Dataset<dl::Tensor3<T>, dl::Tensor2<T>> adding_problem(std::size_t n, std::size_t steps,
                                                           dl::Rng& rng);

/// The copy task ("copying memory", Hochreiter & Schmidhuber 1997; Arjovsky, Shah & Bengio
/// 2016): `symbols` random symbols from an alphabet of K, then `delay` - 1 blanks, a
/// delimiter, and `symbols` more blanks during which the network must repeat the symbols in
/// order. Inputs are one-hot over K + 2 codes (0 blank, 1..K the symbols, K + 1 the
/// delimiter): X (delay + 2 symbols, N, K + 2). Targets: the symbols as classes in [0, K),
/// one row per recall step, step-major: y (symbols N), y[s N + n] = symbol s of sequence n.
/// Guessing gives accuracy 1/K and cross-entropy log K. (y is not one row per sequence: a
/// copy-task set is used whole, as one batch, e.g. by fit_stream.)
template <class T>
dl::Dataset<dl::Tensor3<T>, dl::Labels> copy_task(std::size_t n, std::size_t delay,
                                                  std::size_t symbols, std::size_t K,
                                                  dl::Rng& rng);

}  // namespace datasets
