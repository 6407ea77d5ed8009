// Exercise 23.1: a tanh node for the tape, checked against its derivative and against
// dlcore's hand-written Tanh backward inside chapter 4's gradient-check MLP.
#include <catch2/catch.hpp>

#include <cmath>

#include <dlcore/core/compare.hpp>
#include <dlcore/layers/activations.hpp>
#include <dlcore/layers/linear.hpp>
#include <dlcore/losses/cross_entropy.hpp>
#include <dlcore/train/data.hpp>
#include <dlcore/train/sequential.hpp>

#include "exercise.hpp"

using ch23::Mat;

TEST_CASE("Exercise 23.1: the tanh node's gradient is 1 - tanh^2", "[ch23][exercise]") {
  ch23::Tape tape;
  const ch23::Var x = tape.leaf(Mat{{0.5, -1.0, 2.0}});
  const ch23::Var y = ch23::tanh(tape, x);
  // L = sum(R * tanh(x)) with R = (1, 2, 3): dL/dx_j = R_j (1 - tanh^2 x_j)
  const ch23::Var r = tape.leaf(Mat{{1.0}, {2.0}, {3.0}});
  tape.backward(tape.matmul(y, r));
  CHECK(tape.value(y)(0, 0) == Approx(std::tanh(0.5)));
  CHECK(tape.grad(x)(0, 0) == Approx(1 - std::pow(std::tanh(0.5), 2)).epsilon(1e-12));
  CHECK(tape.grad(x)(0, 1) == Approx(2 * (1 - std::pow(std::tanh(-1.0), 2))).epsilon(1e-12));
  CHECK(tape.grad(x)(0, 2) == Approx(3 * (1 - std::pow(std::tanh(2.0), 2))).epsilon(1e-12));
}

TEST_CASE("Exercise 23.1: a tanh MLP on the tape has dlcore's gradients", "[ch23][exercise]") {
  dl::Rng rng(3);
  dl::Sequential<double> net;  // 2 -> 8 tanh -> 3, as chapter 4's gradient check
  net.add(dl::Linear<double>(2, 8, rng)).add(dl::Tanh<double>{}).add(dl::Linear<double>(8, 3, rng));
  const Mat X = {{0.3, -0.7}, {1.2, 0.4}, {-0.5, -0.9}, {0.8, 1.1}};
  const dl::Labels y = {0, 2, 1, 2};
  dl::SoftmaxCrossEntropy<double> loss;
  dl::SoftmaxCrossEntropy<double>::Cache cache;
  net.zero_grad();
  loss.forward(net.forward2(X), y, cache);
  net.backward(loss.backward(cache));

  ch23::Tape tape;
  const auto& l0 = net.layer<dl::Linear<double>>(0);
  const auto& l2 = net.layer<dl::Linear<double>>(2);
  const ch23::Var W1 = tape.leaf(l0.W), b1 = tape.leaf(xt::reshape_view(l0.b, {std::size_t(1), std::size_t(8)}));
  const ch23::Var W2 = tape.leaf(l2.W), b2 = tape.leaf(xt::reshape_view(l2.b, {std::size_t(1), std::size_t(3)}));
  const ch23::Var h = ch23::tanh(tape, tape.add_bias(tape.matmul(tape.leaf(X), W1), b1));
  tape.backward(tape.softmax_cross_entropy(tape.add_bias(tape.matmul(h, W2), b2), y));
  CHECK(dl::relative_error(tape.grad(W1), l0.dW) < 1e-12);  // through the tanh node
  CHECK(dl::relative_error(Mat(xt::reshape_view(l0.db, {std::size_t(1), std::size_t(8)})), tape.grad(b1)) < 1e-12);
  CHECK(dl::relative_error(tape.grad(W2), l2.dW) < 1e-12);
}
