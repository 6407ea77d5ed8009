#pragma once
// Test helpers for the attention layers (Chapter 20): a gradient check of a layer with three
// inputs (queries, keys, values) and, where it has them, its parameters.

#include <catch2/catch.hpp>

#include "dlcore/layers/dot_product_attention.hpp"
#include "support/gradcheck.hpp"

namespace testing {

/// Objective L = sum(R * attention(q, k, v)); checks dq, dk, dv and every parameter gradient
/// (for layers with params()) against central differences.
template <class Layer>
void check_attention(Layer& layer, dl::Tensor3<double> q, dl::Tensor3<double> k, dl::Tensor3<double> v,
                     const dl::Lengths* lengths, double tol = kGradTol) {
  typename Layer::Cache cache;
  const auto y = layer.forward(q, k, v, lengths, cache);
  const auto R = random_like(y, 99);
  if constexpr (dl::detail::has_params<Layer>::value) dl::zero_grad(layer.params());
  const dl::AttentionGrads<double> g = layer.backward(R, cache);
  auto objective = [&] {
    typename Layer::Cache c;
    const auto yy = layer.forward(q, k, v, lengths, c);
    double s = 0;
    for (std::size_t i = 0; i < yy.size(); ++i) s += R.data()[i] * yy.data()[i];
    return s;
  };
  REQUIRE(g.dq.shape() == q.shape());
  REQUIRE(g.dk.shape() == k.shape());
  REQUIRE(g.dv.shape() == v.shape());
  require_gradient("dQ", q.data(), g.dq.data(), q.size(), objective, tol);
  require_gradient("dK", k.data(), g.dk.data(), k.size(), objective, tol);
  require_gradient("dV", v.data(), g.dv.data(), v.size(), objective, tol);
  if constexpr (dl::detail::has_params<Layer>::value)
    for (const auto& p : layer.params()) require_gradient("d" + p.name, p.value, p.grad, p.size(), objective, tol);
}

}  // namespace testing
