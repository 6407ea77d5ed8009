#pragma once
/// \file
/// Tensor aliases used everywhere in dlcore, and shape printing for error messages.
/// Shape letters (docs/appendix_notation.md): N batch, T time, D features, H hidden,
/// C channels, K classes, V vocabulary.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <xtensor/xnoalias.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

namespace dl {

template <class T> using Tensor1 = xt::xtensor<T, 1>;  ///< vector, e.g. a bias (D)
template <class T> using Tensor2 = xt::xtensor<T, 2>;  ///< matrix, e.g. a batch (N, D)
template <class T> using Tensor3 = xt::xtensor<T, 3>;  ///< e.g. a sequence batch (T, N, D)
template <class T> using Tensor4 = xt::xtensor<T, 4>;  ///< e.g. an image batch (N, C, H, W)

/// Class labels, one per example: values in [0, K).
using Labels = xt::xtensor<std::int32_t, 1>;

/// Valid steps of each sequence of a batch (variable-length sequences): values in [1, T].
using Lengths = std::vector<std::size_t>;

/// One label per step of each sequence, one row per sequence (N, T), as a dataset stores
/// them (sequence labelling, Chapter 21): values in [0, K) at the valid steps; what stands
/// at the padded steps (t >= the sequence's length) is never read.
using Tags = xt::xtensor<std::int32_t, 2>;

/// "(128, 784)": how shapes appear in every error message.
template <class S>
std::string shape_str(const S& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + (shape.size() == 1 ? ",)" : ")");
}

/// The shape of any xtensor container as a std::vector (for ParamRef, files, messages).
template <class E>
std::vector<std::size_t> shape_of(const E& e) {
  return std::vector<std::size_t>(e.shape().begin(), e.shape().end());
}

}  // namespace dl
