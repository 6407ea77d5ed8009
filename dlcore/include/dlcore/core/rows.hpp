#pragma once
/// \file
/// Row-wise helpers used by layers: bias broadcast and batch sums. Written as plain loops
/// over contiguous rows (a lazy xtensor reduction over the batch axis is 40-75x slower).

#include "dlcore/core/tensor.hpp"

namespace dl {

/// Y (N, D) with every row equal to b (D): \f$ \mathbf{1} b^\top \f$.
template <class T>
Tensor2<T> repeat_rows(const Tensor1<T>& b, std::size_t n);

/// db += column sums of G: \f$ db \mathrel{+}= \mathbf{1}^\top G \f$.
template <class T>
void add_column_sums(const Tensor2<T>& g, Tensor1<T>& db);

/// Index of the largest entry in each row (the predicted class).
template <class T>
Labels argmax_rows(const Tensor2<T>& x);

}  // namespace dl
