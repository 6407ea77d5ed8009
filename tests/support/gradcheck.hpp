#pragma once
// Gradient-check helpers for tests: every layer and loss test calls these in a line or two.
// Objective L = sum(R * f(x)) with a fixed random R, so backward receives R as dL/dY.
// Tolerance: relative error < 1e-6 in double, central differences with h = 1e-5.

#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <type_traits>

#include "dlcore/core/context.hpp"
#include "dlcore/core/param.hpp"
#include "dlcore/core/tensor.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/train/gradcheck.hpp"
#include "dlcore/train/module.hpp"

namespace testing {

constexpr double kGradTol = 1e-6;

/// A tensor shaped like `like`, filled with N(0, 1) values from a fixed generator.
template <class E>
E random_like(const E& like, std::uint64_t seed = 7) {
  dl::Rng rng(seed);
  E r = E::from_shape(like.shape());
  for (auto& v : r) v = typename E::value_type(rng.normal());
  return r;
}

/// A tensor of the given shape with N(0, scale^2) values.
template <class E, class S>
E random_tensor(const S& shape, std::uint64_t seed, double scale = 1.0) {
  dl::Rng rng(seed);
  E r = E::from_shape(shape);
  for (auto& v : r) v = typename E::value_type(scale * rng.normal());
  return r;
}

/// An image batch (n, c, h, w) of N(0, 1) values.
inline dl::Tensor4<double> random4(std::size_t n, std::size_t c, std::size_t h, std::size_t w,
                                   std::uint64_t seed) {
  return random_tensor<dl::Tensor4<double>>(std::array<std::size_t, 4>{n, c, h, w}, seed);
}

/// The contexts of a training step and of evaluation (no generator: no dropout).
inline const dl::Context kTrain{dl::Mode::train, nullptr};
inline const dl::Context kEval{dl::Mode::eval, nullptr};

/// REQUIRE that an analytic gradient of n values matches central differences of `objective`
/// with respect to the n values at x (restored afterwards).
template <class F>
void require_gradient(const std::string& name, double* x, const double* analytic, std::size_t n,
                      F&& objective, double tol = kGradTol) {
  const dl::GradCheck r = dl::numerical_gradient_check(name, x, analytic, n, objective);
  INFO(r.report());
  REQUIRE(r.rel_error < tol);
}

/// Check dX and every parameter gradient of `layer` at input x. `fwd(layer, x, cache)` runs
/// the forward pass (so layers that need a Context can be checked too).
template <class L, class X, class Fwd>
void check_layer_with(L& layer, X x, Fwd fwd, double tol = kGradTol) {
  typename L::Cache cache;
  const auto y = fwd(layer, x, cache);
  const auto R = random_like(y, 99);
  if constexpr (dl::detail::has_params<L>::value) dl::zero_grad(layer.params());
  const auto dx = layer.backward(R, cache);
  auto objective = [&] {
    typename L::Cache c;
    const auto yy = fwd(layer, x, c);
    double s = 0;
    for (std::size_t i = 0; i < yy.size(); ++i) s += R.data()[i] * yy.data()[i];
    return s;
  };
  REQUIRE(dx.size() == x.size());
  require_gradient("dX", x.data(), dx.data(), x.size(), objective, tol);
  if constexpr (dl::detail::has_params<L>::value)
    for (const auto& p : layer.params()) require_gradient("d" + p.name, p.value, p.grad, p.size(), objective, tol);
}

template <class L, class X>
void check_layer(L& layer, X x, double tol = kGradTol) {
  check_layer_with(layer, std::move(x), [](L& l, const X& in, typename L::Cache& c) { return l.forward(in, c); }, tol);
}

/// Check a loss's gradient with respect to its prediction argument.
template <class Loss, class P, class Y>
void check_loss(const Loss& loss, P pred, const Y& target, double tol = kGradTol) {
  typename Loss::Cache cache;
  loss.forward(pred, target, cache);
  const auto d = loss.backward(cache);
  auto objective = [&] {
    typename Loss::Cache c;
    return double(loss.forward(pred, target, c));
  };
  require_gradient("dpred", pred.data(), d.data(), pred.size(), objective, tol);
}

}  // namespace testing
