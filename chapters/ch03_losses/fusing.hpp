#pragma once
// Chapter 3: the gradient of softmax + cross-entropy with respect to the logits, two ways.
// Text: docs/ch03_losses.md, "Why fuse softmax and cross-entropy".
#include <algorithm>
#include <vector>

#include <dlcore/dlcore.hpp>
#include <dlcore/losses/categorical_cross_entropy.hpp>
#include <dlcore/losses/per_example.hpp>

namespace ch03 {

//! [fused]
/// Each example's dL/dz through the fused loss: p - e_y.
template <class T>
dl::Tensor2<T> fused_gradient(const dl::Tensor2<T>& Z, const dl::Labels& y) {
  return dl::per_example(dl::SoftmaxCrossEntropy<T>{}, Z, y).grad;
}
//! [fused]

//! [unfused]
/// Each example's dL/dz through a Softmax layer and the cross-entropy of its probabilities:
/// the gradient -e_y / p, then back through the softmax Jacobian.
template <class T>
dl::Tensor2<T> unfused_gradient(const dl::Tensor2<T>& Z, const dl::Labels& y) {
  dl::Softmax<T> softmax;
  typename dl::Softmax<T>::Cache cache;
  const dl::Tensor2<T> P = softmax.forward(Z, cache);
  const dl::Tensor2<T> E = dl::one_hot<T>(y, Z.shape(1));                   // the targets e_y
  const auto ce = dl::per_example(dl::CategoricalCrossEntropy<T>{}, P, E);  // grad: -e_y / p
  return softmax.backward(ce.grad, cache);                                  // J^T grad
}
//! [unfused]

/// The first margin whose gradient has a relative error above tol (-1 if none).
inline double first_failure(const dl::Tensor1<double>& margin, const std::vector<double>& err,
                            double tol = 1e-3) {
  const auto it = std::find_if(err.begin(), err.end(), [tol](double r) { return r > tol; });
  return it == err.end() ? -1.0 : margin(std::size_t(it - err.begin()));
}

/// Errors for a log axis: exact results (0) drawn at 1e-17, failures (infinite) at 1.
inline std::vector<double> for_log_plot(std::vector<double> err) {
  for (double& e : err) e = std::clamp(e, 1e-17, 1.0);
  return err;
}

}  // namespace ch03
