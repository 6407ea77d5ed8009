#pragma once
/// \file
/// The numerical gradient check of a whole network: every parameter gradient of a
/// Sequential under a loss, against central differences. Method: @ref ch04_backprop
/// "Chapter 4, checking a gradient".

#include <algorithm>
#include <vector>

#include "dlcore/core/context.hpp"
#include "dlcore/train/gradcheck.hpp"
#include "dlcore/train/sequential.hpp"

namespace dl {

/// One backward pass of `net` under `loss` at (X, y), then dl::numerical_gradient_check of
/// every parameter tensor with step h: one GradCheck per parameter, in net.params() order.
/// Leaves the analytic gradients in the parameters' grad buffers and the values unchanged.
/// The network must be deterministic in `ctx` (no dropout masks drawn per forward pass).
template <class T, class Loss, class XT, class YT>
std::vector<GradCheck> check_gradients(Sequential<T>& net, const Loss& loss, const XT& X,
                                       const YT& y, T h = T(1e-5), const Context& ctx = {}) {
  const AnyTensor<T> input = X;
  typename Loss::Cache cache;
  net.zero_grad();
  loss.forward(net.forward2(input, ctx), y, cache);
  net.backward(loss.backward(cache));
  auto objective = [&] {
    typename Loss::Cache c;
    return loss.forward(net.forward2(input, ctx), y, c);
  };
  std::vector<GradCheck> results;
  for (const auto& p : net.params())
    results.push_back(numerical_gradient_check(p.name, p.value, p.grad, p.size(), objective, h));
  return results;
}

/// The largest relative error of a set of checks (0 for none).
inline double max_rel_error(const std::vector<GradCheck>& checks) {
  double worst = 0;
  for (const auto& c : checks) worst = std::max(worst, c.rel_error);
  return worst;
}

}  // namespace dl
