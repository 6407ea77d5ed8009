// Exercise 3.1: the gradient of the Huber loss.
#include <catch2/catch.hpp>

#include "dlcore/losses/huber.hpp"
#include "dlcore/train/gradcheck.hpp"
#include "exercise.hpp"

using dl::Tensor2;

TEST_CASE("Exercise 3.1: inside the threshold the gradient is the error", "[ch03][exercise]") {
  // |e| <= delta: h(e) = e^2 / 2, h'(e) = e; the mean over 4 elements divides by 4
  const Tensor2<double> pred = {{0.5, -0.25}, {1.0, 2.0}};
  const Tensor2<double> target = {{0.0, 0.0}, {1.5, 1.0}};
  const Tensor2<double> g = ch03::huber_gradient(pred, target, 1.0);
  REQUIRE(g.shape() == pred.shape());
  CHECK(g(0, 0) == Approx(0.5 / 4));
  CHECK(g(0, 1) == Approx(-0.25 / 4));
  CHECK(g(1, 0) == Approx(-0.5 / 4));
  CHECK(g(1, 1) == Approx(1.0 / 4));  // exactly at the threshold: still e = delta
}

TEST_CASE("Exercise 3.1: outside the threshold the gradient is delta times the sign", "[ch03][exercise]") {
  // |e| > delta: h(e) = delta (|e| - delta / 2), h'(e) = delta sign(e)
  const Tensor2<double> pred = {{3.0, -5.0, 0.5}};
  const Tensor2<double> target = {{0.5, 0.0, 0.0}};
  const Tensor2<double> g1 = ch03::huber_gradient(pred, target, 1.0);
  REQUIRE(g1.shape() == pred.shape());
  CHECK(g1(0, 0) == Approx(1.0 / 3));
  CHECK(g1(0, 1) == Approx(-1.0 / 3));
  CHECK(g1(0, 2) == Approx(0.5 / 3));
  const Tensor2<double> g2 = ch03::huber_gradient(pred, target, 2.0);
  CHECK(g2(0, 0) == Approx(2.0 / 3));   // e = 2.5 > 2
  CHECK(g2(0, 1) == Approx(-2.0 / 3));  // e = -5
}

TEST_CASE("Exercise 3.1: matches a numerical gradient of the Huber loss", "[ch03][exercise]") {
  // errors spread over both regions, none within 0.05 of the corners |e| = delta
  Tensor2<double> pred = {{-3.1, -1.9, -1.2, -0.4}, {0.3, 0.9, 1.7, 2.6}, {4.0, -0.05, 1.3, -2.2}};
  const Tensor2<double> target = xt::zeros<double>(pred.shape());
  const double delta = 1.5;
  const dl::HuberLoss<double> huber(delta);
  const Tensor2<double> g = ch03::huber_gradient(pred, target, delta);
  REQUIRE(g.shape() == pred.shape());
  const dl::GradCheck r = dl::numerical_gradient_check("dpred", pred.data(), g.data(), pred.size(), [&] {
    dl::HuberLoss<double>::Cache c;
    return huber.forward(pred, target, c);
  });
  INFO(r.report());
  CHECK(r.rel_error < 1e-8);
}
