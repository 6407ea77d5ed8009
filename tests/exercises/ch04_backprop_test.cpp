// Exercise 4.1: the backward pass of a 2-layer MLP by hand.
#include <catch2/catch.hpp>

#include <string>

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/train/gradcheck.hpp"
#include "dlcore/train/sequential.hpp"
#include "exercise.hpp"

using namespace dl;
using ch04::Hidden;

namespace {

// The network of the exercise as a library Sequential: Linear, tanh or ReLU, Linear.
struct Mlp {
  Sequential<double> net;
  Tensor2<double> X;
  Labels y = {0, 2, 1, 1, 0, 2};
  Mlp(Hidden f, std::uint64_t seed) {
    Rng rng(seed);
    net.add(Linear<double>(3, 5, rng));
    if (f == Hidden::tanh) net.add(Tanh<double>{});
    else net.add(ReLU<double>{});
    net.add(Linear<double>(5, 3, rng));
    for (auto* b : {&W(0).b, &W(2).b})  // non-zero biases, so a missing db shows
      for (auto& v : *b) v = rng.normal(0.0, 0.3);
    X = Tensor2<double>::from_shape({6, 3});
    for (auto& v : X) v = rng.normal();
  }
  Linear<double>& W(std::size_t i) { return net.layer<Linear<double>>(i); }
  ch04::MlpGrads mine(Hidden f) { return ch04::mlp2_backward(X, W(0).W, W(0).b, W(2).W, W(2).b, y, f); }
  double loss() {
    SoftmaxCrossEntropy<double>::Cache c;
    return SoftmaxCrossEntropy<double>{}.forward(net.forward2(X), y, c);
  }
};

template <class A>
void require_numerical(const std::string& name, double* value, const A& analytic, std::size_t n, Mlp& m) {
  REQUIRE(analytic.size() == n);
  const GradCheck r = numerical_gradient_check(name, value, analytic.data(), n, [&] { return m.loss(); });
  INFO(r.report());
  CHECK(r.rel_error < 1e-7);
}

void check_numerically(Hidden f) {
  Mlp m(f, 41);
  const ch04::MlpGrads g = m.mine(f);
  require_numerical("dW1", m.W(0).W.data(), g.dW1, m.W(0).W.size(), m);
  require_numerical("db1", m.W(0).b.data(), g.db1, m.W(0).b.size(), m);
  require_numerical("dW2", m.W(2).W.data(), g.dW2, m.W(2).W.size(), m);
  require_numerical("db2", m.W(2).b.data(), g.db2, m.W(2).b.size(), m);
}

template <class A, class B>
void require_same(const std::string& what, const A& mine, const B& library) {
  INFO(what);
  REQUIRE(mine.shape() == library.shape());
  for (std::size_t i = 0; i < mine.size(); ++i) CHECK(mine.data()[i] == Approx(library.data()[i]).margin(1e-12));
}

}  // namespace

TEST_CASE("Exercise 4.1: a one-example network computed by hand", "[ch04][exercise]") {
  // X = [1], W1 = [0], b1 = [0]: a1 = f(0) = 0; W2 = [1 -1], b2 = 0: z2 = (0, 0), p = (1/2, 1/2);
  // label 0: G2 = p - e_0 = (-1/2, 1/2), dW2 = a1^T G2 = 0, db2 = G2;
  // dA1 = G2 W2^T = -1, G1 = dA1 * tanh'(0) = -1, dW1 = X^T G1 = -1, db1 = -1.
  const ch04::MlpGrads g = ch04::mlp2_backward(Tensor2<double>{{1.0}}, Tensor2<double>{{0.0}}, Tensor1<double>{0.0},
                                               Tensor2<double>{{1.0, -1.0}}, Tensor1<double>{0.0, 0.0}, Labels{0},
                                               Hidden::tanh);
  REQUIRE(g.db2.size() == 2);
  CHECK(g.db2(0) == Approx(-0.5));
  CHECK(g.db2(1) == Approx(0.5));
  CHECK(g.dW2(0, 0) == Approx(0.0));
  CHECK(g.dW1(0, 0) == Approx(-1.0));
  CHECK(g.db1(0) == Approx(-1.0));
}

TEST_CASE("Exercise 4.1: tanh network matches central differences", "[ch04][exercise]") {
  check_numerically(Hidden::tanh);
}

TEST_CASE("Exercise 4.1: ReLU network matches central differences", "[ch04][exercise]") {
  // keep the check away from ReLU's kink: no hidden pre-activation within 1e-3 of 0
  Mlp m(Hidden::relu, 41);
  Linear<double>::Cache lc;
  const Tensor2<double> z1 = m.W(0).forward(m.X, lc);
  REQUIRE(xt::amin(xt::abs(z1))() > 1e-3);
  check_numerically(Hidden::relu);
}

TEST_CASE("Exercise 4.1: agrees with the library's Sequential backward", "[ch04][exercise]") {
  for (Hidden f : {Hidden::tanh, Hidden::relu}) {
    INFO((f == Hidden::tanh ? "tanh" : "relu"));
    Mlp m(f, 43);
    SoftmaxCrossEntropy<double> loss;
    SoftmaxCrossEntropy<double>::Cache c;
    m.net.zero_grad();
    loss.forward(m.net.forward2(m.X), m.y, c);
    m.net.backward(loss.backward(c));
    const ch04::MlpGrads g = m.mine(f);
    require_same("dW1", g.dW1, m.W(0).dW);
    require_same("db1", g.db1, m.W(0).db);
    require_same("dW2", g.dW2, m.W(2).dW);
    require_same("db2", g.db2, m.W(2).db);
  }
}
