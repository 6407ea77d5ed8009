// Exercises 5.1 (the mini-batch gradient of softmax regression) and 5.2 (the contraction
// factor of gradient descent on a quadratic).
#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/layers/linear.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/optim/descend.hpp"
#include "dlcore/optim/sgd.hpp"
#include "dlcore/train/gradient_noise.hpp"
#include "exercise.hpp"
#include "support/gradcheck.hpp"

namespace {
double max_abs(const dl::Tensor2<double>& t) { return t.size() ? double(xt::amax(xt::abs(t))()) : 0.0; }
}  // namespace

TEST_CASE("Exercise 5.1: the gradient at zero weights by hand", "[ch05][exercise]") {
  // W = 0, b = 0: every softmax is (1/2, 1/2), so P - E is (-1/2, 1/2) for label 0 and
  // (1/2, -1/2) for label 1. Batch {0, 1}: dW = (x0^T r0 + x1^T r1) / 2.
  const dl::Tensor2<double> W = xt::zeros<double>({2, 2});
  const dl::Tensor1<double> b = xt::zeros<double>({2});
  const dl::Tensor2<double> X = {{1, 2}, {3, -1}, {0, 1}};
  const dl::Labels y = {0, 1, 1};
  const ch05::LinearGradient g = ch05::minibatch_gradient(W, b, X, y, {0, 1});
  REQUIRE(g.dW.shape(0) == 2);
  REQUIRE(g.dW.shape(1) == 2);
  CHECK(g.dW(0, 0) == Approx(0.5));
  CHECK(g.dW(0, 1) == Approx(-0.5));
  CHECK(g.dW(1, 0) == Approx(-0.75));
  CHECK(g.dW(1, 1) == Approx(0.75));
  CHECK(g.db(0) == Approx(0).margin(1e-12));
  // row 2 alone: label 1, so P - E = (1/2, -1/2), dW = x2^T (P - E), db = P - E
  const ch05::LinearGradient g2 = ch05::minibatch_gradient(W, b, X, y, {2});
  CHECK(g2.dW(1, 0) == Approx(0.5));
  CHECK(g2.db(1) == Approx(-0.5));
}

TEST_CASE("Exercise 5.1: the same gradient as dlcore's Linear and SoftmaxCrossEntropy", "[ch05][exercise]") {
  dl::Rng rng(3);
  const std::size_t N = 20, D = 5, K = 3;
  dl::Sequential<double> net;
  net.add(dl::Linear<double>(D, K, rng));
  auto& lin = net.layer<dl::Linear<double>>(0);
  lin.b = testing::random_like(lin.b, 4);
  const auto X = testing::random_tensor<dl::Tensor2<double>>(std::array<std::size_t, 2>{N, D}, 5);
  dl::Labels y = dl::Labels::from_shape({N});
  for (std::size_t i = 0; i < N; ++i) y(i) = std::int32_t(rng.below(K));
  const std::vector<std::size_t> batch = {4, 17, 0, 9, 12, 3, 11};
  const std::vector<double> lib = dl::batch_gradient(net, dl::SoftmaxCrossEntropy<double>{}, X, y, batch);
  const ch05::LinearGradient g = ch05::minibatch_gradient(lin.W, lin.b, X, y, batch);
  REQUIRE(g.dW.size() == D * K);
  REQUIRE(g.db.size() == K);
  for (std::size_t k = 0; k < D * K; ++k) CHECK(g.dW.data()[k] == Approx(lib[k]).margin(1e-12));
  for (std::size_t k = 0; k < K; ++k) CHECK(g.db(k) == Approx(lib[D * K + k]).margin(1e-12));
}

TEST_CASE("Exercise 5.1: the batches of a partition average to the full gradient", "[ch05][exercise]") {
  const auto W = testing::random_tensor<dl::Tensor2<double>>(std::array<std::size_t, 2>{4, 3}, 6);
  const dl::Tensor1<double> b = {0.1, -0.2, 0.3};
  const auto X = testing::random_tensor<dl::Tensor2<double>>(std::array<std::size_t, 2>{12, 4}, 7);
  const dl::Labels y = {0, 1, 2, 2, 1, 0, 0, 1, 2, 1, 1, 0};
  const auto full = ch05::minibatch_gradient(W, b, X, y, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  REQUIRE(full.dW.size() == 12);
  CHECK(max_abs(full.dW) > 0.01);  // a real gradient, not zeros
  dl::Tensor2<double> mean = xt::zeros<double>({4, 3});
  for (const std::vector<std::size_t>& batch : {std::vector<std::size_t>{5, 0, 9, 2}, {11, 3, 7, 1}, {4, 8, 6, 10}})
    mean += ch05::minibatch_gradient(W, b, X, y, batch).dW / 3.0;
  CHECK(max_abs(dl::Tensor2<double>(mean - full.dW)) < 1e-12);
}

TEST_CASE("Exercise 5.2: the contraction factor of gradient descent on a quadratic", "[ch05][exercise]") {
  CHECK(ch05::contraction_factor(0.1, {1, 10}) == Approx(0.9));
  CHECK(ch05::contraction_factor(0.02, {1, 10}) == Approx(0.98));
  CHECK(ch05::contraction_factor(2.0 / 11, {1, 10}) == Approx(9.0 / 11));  // (kappa - 1)/(kappa + 1)
  CHECK(ch05::contraction_factor(0.5, {1, 2, 3}) == Approx(0.5));
}

TEST_CASE("Exercise 5.2: above 2 over lambda_max the factor exceeds 1", "[ch05][exercise]") {
  CHECK(ch05::contraction_factor(0.21, {1, 10}) == Approx(1.1));
  CHECK(ch05::contraction_factor(0.25, {1, 10}) > 1.0);
  CHECK(ch05::contraction_factor(0.19, {1, 10}) < 1.0);
}

TEST_CASE("Exercise 5.2: the factor is the rate dl::SGD shows on the quadratic", "[ch05][exercise]") {
  const dl::TestFunction q = dl::quadratic(2, 5);
  for (double eta : {0.05, 0.2, 0.3}) {
    dl::SGD<double> gd(eta);
    const dl::Trajectory t = dl::descend(gd, q, {1, 1}, dl::DescendOptions(80));
    CHECK(ch05::contraction_factor(eta, {2, 5}) == Approx(dl::convergence_rate(t, q.minimum)).epsilon(0.01));
  }
}
