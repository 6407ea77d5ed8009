#include <catch2/catch.hpp>

#include "dlcore/optim/adam.hpp"
#include "dlcore/optim/regularizers.hpp"
#include "dlcore/optim/sgd.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;

namespace {
// Two weight matrices and a bias (decay off), as tools/golden/regularization.py builds them.
struct ThreeParams {
  Tensor2<double> W1, W2, dW1, dW2;
  Tensor1<double> b1, db1;
  std::vector<ParamRef<double>> params() {
    return {param_ref<double>("W1", W1, dW1), param_ref<double>("b1", b1, db1, false),
            param_ref<double>("W2", W2, dW2)};
  }
  static ThreeParams from_golden(const std::string& c) {
    ThreeParams t;
    t.W1 = golden<double, 2>(c, "W1");
    t.b1 = golden<double, 1>(c, "b1");
    t.W2 = golden<double, 2>(c, "W2");
    t.dW1 = xt::zeros_like(t.W1);
    t.db1 = xt::zeros_like(t.b1);
    t.dW2 = xt::zeros_like(t.W2);
    return t;
  }
  static ThreeParams random(std::uint64_t seed) {
    ThreeParams t;
    t.W1 = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{4, 3}, seed);
    t.b1 = testing::random_tensor<Tensor1<double>>(std::array<std::size_t, 1>{3}, seed + 1);
    t.W2 = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{3, 2}, seed + 2);
    for (auto* w : {&t.W1, &t.W2})
      for (auto& v : *w) v += v >= 0 ? 0.1 : -0.1;  // away from |w|'s kink at 0
    t.dW1 = xt::zeros_like(t.W1);
    t.db1 = xt::zeros_like(t.b1);
    t.dW2 = xt::zeros_like(t.W2);
    return t;
  }
};
}  // namespace

TEST_CASE("Penalties: hand-computed values, biases not penalised", "[regularizers]") {
  Tensor1<double> w = {1, -2, 0, 3}, gw = {0.5, 0.5, 0.5, 0.5};
  Tensor1<double> b = {10, -10}, gb = {1, 1};
  const std::vector<ParamRef<double>> ps = {param_ref<double>("w", w, gw),
                                            param_ref<double>("b", b, gb, false)};
  CHECK(l2_penalty(ps, 0.1) == Approx(0.5 * 0.1 * 14));
  CHECK(l1_penalty(ps, 0.1) == Approx(0.1 * 6));
  add_l2_grad(ps, 0.1);
  require_close("l2 grad", gw, Tensor1<double>{0.6, 0.3, 0.5, 0.8});
  add_l1_grad(ps, 0.1);
  require_close("l1 grad, sign(0) = 0", gw, Tensor1<double>{0.7, 0.2, 0.5, 0.9});
  require_close("bias grad untouched", gb, Tensor1<double>{1, 1});
  CHECK(fraction_near_zero(ps, 1e-12) == Approx(0.25));
}

TEST_CASE("Penalty gradients match central differences", "[regularizers][gradcheck]") {
  ThreeParams t = ThreeParams::random(5);
  auto ps = t.params();
  SECTION("L2") {
    add_l2_grad(ps, 0.7);
    for (const auto& p : ps) testing::require_gradient(p.name, p.value, p.grad, p.size(), [&] { return l2_penalty(ps, 0.7); });
  }
  SECTION("L1 (away from 0)") {
    add_l1_grad(ps, 0.7);
    for (const auto& p : ps) testing::require_gradient(p.name, p.value, p.grad, p.size(), [&] { return l1_penalty(ps, 0.7); });
  }
}

TEST_CASE("Penalties and their gradients match PyTorch autograd", "[regularizers][pytorch]") {
  for (const std::string c : {"l2_penalty", "l1_penalty"}) {
    ThreeParams t = ThreeParams::from_golden(c);
    const double lam = golden<double, 1>(c, "lam")(0);
    const auto ps = t.params();
    const double value = c == "l2_penalty" ? l2_penalty(ps, lam) : l1_penalty(ps, lam);
    CHECK(value == Approx(golden<double, 1>(c, "penalty")(0)).epsilon(1e-12));
    if (c == "l2_penalty") add_l2_grad(ps, lam);
    else add_l1_grad(ps, lam);
    require_close(c + " dW1", t.dW1, golden<double, 2>(c, "dW1"), 1e-12, 1e-14);
    require_close(c + " db1", t.db1, golden<double, 1>(c, "db1"), 1e-12, 1e-14);
    require_close(c + " dW2", t.dW2, golden<double, 2>(c, "dW2"), 1e-12, 1e-14);
  }
}

TEST_CASE("Decoupled weight decay turns Adam into AdamW exactly, and equals SGD's weight decay", "[regularizers]") {
  SECTION("Adam + decoupled_weight_decay == AdamW") {
    ThreeParams a = ThreeParams::random(11), b = ThreeParams::random(11);
    Adam<double> adam(0.01);
    AdamW<double> adamw(0.01, 0.9, 0.999, 1e-8, 0.1);
    const auto pa = a.params(), pb = b.params();
    for (int step = 0; step < 3; ++step) {
      for (auto* t : {&a, &b}) {  // the same gradients for both, written into the buffers the ParamRefs see
        xt::noalias(t->dW1) = testing::random_like(t->W1, 20 + step);
        xt::noalias(t->db1) = testing::random_like(t->b1, 30 + step);
        xt::noalias(t->dW2) = testing::random_like(t->W2, 40 + step);
      }
      decoupled_weight_decay(pa, adam.lr, 0.1);
      adam.step(pa);
      adamw.step(pb);
    }
    require_close("W1", a.W1, b.W1, 0, 0);
    require_close("b1", a.b1, b.b1, 0, 0);
    require_close("W2", a.W2, b.W2, 0, 0);
  }
  SECTION("plain SGD: decoupled decay == coupled weight_decay == L2 gradient") {
    ThreeParams a = ThreeParams::random(12), b = ThreeParams::random(12), c = ThreeParams::random(12);
    SGD<double> plain(0.1), decayed(0.1, 0, false, 0.05);
    a.dW1 = b.dW1 = c.dW1 = testing::random_like(a.W1, 3);
    decoupled_weight_decay(a.params(), 0.1, 0.05);
    plain.step(a.params());
    decayed.step(b.params());
    add_l2_grad(c.params(), 0.05);
    plain.step(c.params());
    require_close("decoupled vs weight_decay", a.W1, b.W1, 1e-14, 1e-15);
    require_close("L2 gradient vs weight_decay", c.W1, b.W1, 1e-14, 1e-15);
    require_close("bias not decayed", a.b1, ThreeParams::random(12).b1, 0, 0);
  }
}

TEST_CASE("L1 drives weights to zero, L2 only shrinks them", "[regularizers]") {
  // Minimise 0.5 (w - target)^2 + penalty by gradient steps: L1 sets the small targets to 0.
  Tensor1<double> w = {0.05, -0.03, 2.0}, g = xt::zeros_like(w);
  Tensor1<double> v = w, gv = xt::zeros_like(v);
  const Tensor1<double> target = w;
  const std::vector<ParamRef<double>> pw = {param_ref<double>("w", w, g)}, pv = {param_ref<double>("v", v, gv)};
  SGD<double> opt(0.01);
  for (int k = 0; k < 2000; ++k) {
    xt::noalias(g) = w - target;
    xt::noalias(gv) = v - target;
    add_l1_grad(pw, 0.1);
    add_l2_grad(pv, 0.1);
    opt.step(pw);
    opt.step(pv);
  }
  CHECK(std::abs(w(0)) < 2e-3);  // L1's fixed point is 0 (up to the step's chatter)
  CHECK(std::abs(w(1)) < 2e-3);
  CHECK(w(2) == Approx(1.9).margin(1e-3));        // large weights move by lambda: 2 - 0.1
  CHECK(v(0) == Approx(0.05 / 1.1).epsilon(1e-6));  // L2: w* = target / (1 + lambda)
  CHECK(v(2) == Approx(2.0 / 1.1).epsilon(1e-6));
}

TEST_CASE("Regularizers reject a negative coefficient", "[regularizers][errors]") {
  Tensor1<double> w = {1}, g = {0};
  const std::vector<ParamRef<double>> ps = {param_ref<double>("w", w, g)};
  CHECK_THROWS_WITH(l2_penalty(ps, -1.0), Catch::Contains("l2_penalty") && Catch::Contains("-1"));
  CHECK_THROWS_AS(add_l1_grad(ps, -0.5), ValueError);
  CHECK_THROWS_AS(decoupled_weight_decay(ps, 0.1, -0.5), ValueError);
  Tensor1<double> b = {1}, gb = {0};
  CHECK_THROWS_WITH(fraction_near_zero(std::vector<ParamRef<double>>{param_ref<double>("b", b, gb, false)}, 0.1),
                    Catch::Contains("no parameter"));
}
