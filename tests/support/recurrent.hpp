#pragma once
// Test helpers for the recurrent layers: a gradient check through time (inputs, initial
// states, final-state gradients, parameters), and loading a PyTorch golden case into a layer.

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <string>

#include "dlcore/layers/recurrent.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

namespace testing {

/// The shapes of the recurrent layers' gradient checks: T = 6 steps, N = 3 sequences of D = 4
/// inputs, H = 5 hidden units.
inline const std::array<std::size_t, 3> kSeqShape{6, 3, 4};
inline const std::array<std::size_t, 2> kStateShape{3, 5};

/// The logistic function, for forward values worked by hand.
inline double sigmoid(double v) { return 1 / (1 + std::exp(-v)); }

/// Objective L = sum(R * Y) + sum(Rh * h_T) [+ sum(Rc * c_T)], so backward_full receives
/// dY = R and the final-state gradients (Rh, Rc); checks dX, dh0, dc0 and every parameter.
template <class Layer>
void check_recurrent(Layer& layer, dl::Tensor3<double> x, dl::RecurrentState<double> init,
                     const dl::Lengths* lengths, double tol = kGradTol) {
  typename Layer::Cache cache;
  const dl::Tensor3<double> y = layer.run(x, init, lengths, cache);
  const auto fin = cache.final_state();
  const auto R = random_like(y, 99);
  dl::RecurrentState<double> dfin{random_like(fin.h, 98), {}};
  if (fin.c.size()) dfin.c = random_like(fin.c, 97);
  dl::zero_grad(layer.params());
  const auto g = layer.backward_full(R, dfin, cache);
  auto objective = [&] {
    typename Layer::Cache c;
    const auto yy = layer.run(x, init, lengths, c);
    const auto f = c.final_state();
    double s = 0;
    for (std::size_t i = 0; i < yy.size(); ++i) s += R.data()[i] * yy.data()[i];
    for (std::size_t i = 0; i < f.h.size(); ++i) s += dfin.h.data()[i] * f.h.data()[i];
    for (std::size_t i = 0; i < f.c.size(); ++i) s += dfin.c.data()[i] * f.c.data()[i];
    return s;
  };
  REQUIRE(g.dx.size() == x.size());
  require_gradient("dX", x.data(), g.dx.data(), x.size(), objective, tol);
  REQUIRE(g.dh0.size() == init.h.size());
  require_gradient("dh0", init.h.data(), g.dh0.data(), init.h.size(), objective, tol);
  if (init.c.size()) {
    REQUIRE(g.dc0.size() == init.c.size());
    require_gradient("dc0", init.c.data(), g.dc0.data(), init.c.size(), objective, tol);
  }
  for (const auto& p : layer.params())
    require_gradient("d" + p.name, p.value, p.grad, p.size(), objective, tol);
}

/// The weights of golden case `name` (W_ih, W_hh, b_ih, b_hh) copied into `layer`.
template <class T, class Layer>
void load_golden_weights(Layer& layer, const std::string& name) {
  layer.W_ih = golden<T, 2>(name, "W_ih");
  layer.W_hh = golden<T, 2>(name, "W_hh");
  layer.b_ih = golden<T, 1>(name, "b_ih");
  layer.b_hh = golden<T, 1>(name, "b_hh");
  layer.dW_ih = xt::zeros_like(layer.W_ih);
  layer.dW_hh = xt::zeros_like(layer.W_hh);
  layer.db_ih = xt::zeros_like(layer.b_ih);
  layer.db_hh = xt::zeros_like(layer.b_hh);
}

/// Forward and backward of `layer` on golden case `name` against PyTorch's figures: Y, the
/// final states, dX, the initial states' gradients and every parameter gradient.
template <class T, class Layer>
void require_golden_recurrent(const std::string& name, bool has_c, double rtol, double atol) {
  Layer layer;
  load_golden_weights<T>(layer, name);
  const auto x = golden<T, 3>(name, "x");
  dl::RecurrentState<T> init{golden<T, 2>(name, "h0"), {}}, dfin{golden<T, 2>(name, "dhT"), {}};
  if (has_c) {
    init.c = golden<T, 2>(name, "c0");
    dfin.c = golden<T, 2>(name, "dcT");
  }
  dl::Lengths lengths;
  const bool ragged = std::filesystem::exists(golden_dir(name) / "lengths.npy");
  if (ragged)
    for (auto v : golden<std::int64_t, 1>(name, "lengths")) lengths.push_back(std::size_t(v));
  typename Layer::Cache cache;
  const auto y = layer.run(x, init, ragged ? &lengths : nullptr, cache);
  require_close("Y", y, golden<T, 3>(name, "y"), rtol, atol);
  const auto fin = cache.final_state();
  require_close("h_T", fin.h, golden<T, 2>(name, "hT"), rtol, atol);
  if (has_c) require_close("c_T", fin.c, golden<T, 2>(name, "cT"), rtol, atol);
  const auto g = layer.backward_full(golden<T, 3>(name, "dy"), dfin, cache);
  require_close("dX", g.dx, golden<T, 3>(name, "dx"), rtol, atol);
  require_close("dh0", g.dh0, golden<T, 2>(name, "dh0"), rtol, atol);
  if (has_c) require_close("dc0", g.dc0, golden<T, 2>(name, "dc0"), rtol, atol);
  require_close("dW_ih", layer.dW_ih, golden<T, 2>(name, "dW_ih"), rtol, atol);
  require_close("dW_hh", layer.dW_hh, golden<T, 2>(name, "dW_hh"), rtol, atol);
  require_close("db_ih", layer.db_ih, golden<T, 1>(name, "db_ih"), rtol, atol);
  require_close("db_hh", layer.db_hh, golden<T, 1>(name, "db_hh"), rtol, atol);
}

}  // namespace testing
