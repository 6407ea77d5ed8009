#pragma once
/// \file
/// A loss evaluated example by example: for plotting a loss and its gradient as functions of
/// one prediction, and for finding the examples a model gets most wrong.

#include <string>

#include "dlcore/core/error.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/train/data.hpp"

namespace dl {

/// Each example's own loss and gradient (see per_example()).
template <class T>
struct PerExample {
  Tensor1<T> loss;  ///< (N): the loss of row i alone
  Tensor2<T> grad;  ///< (N, D): the gradient of loss(i) with respect to row i of the prediction
};

/// Run `loss` on every row of `pred` (N, D) and `target` (N rows: a matrix or Labels) alone.
/// Row i of the result is what the loss gives a batch of that one example. For a loss that
/// averages over the batch, these gradients are N times the rows of the batch gradient.
template <class Loss, class T, class Y>
PerExample<T> per_example(const Loss& loss, const Tensor2<T>& pred, const Y& target) {
  const std::size_t n = pred.shape(0);
  if (target.shape(0) != n)
    throw ShapeError("per_example: prediction has shape " + shape_str(pred.shape()) +
                     " but target has shape " + shape_str(target.shape()));
  PerExample<T> r{Tensor1<T>::from_shape({n}), Tensor2<T>::from_shape(pred.shape())};
  typename Loss::Cache cache;
  for (std::size_t i = 0; i < n; ++i) {
    r.loss(i) = loss.forward(slice_rows(pred, i, i + 1), slice_rows(target, i, i + 1), cache);
    const Tensor2<T> g = loss.backward(cache);
    std::copy(g.begin(), g.end(), r.grad.data() + i * pred.shape(1));
  }
  return r;
}

}  // namespace dl
