// Exercise 2.1: leaky ReLU forward and backward.
#include <catch2/catch.hpp>

#include "dlcore/core/error.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/layers/activations.hpp"
#include "dlcore/train/gradcheck.hpp"
#include "exercise.hpp"

using dl::Tensor2;

TEST_CASE("Exercise 2.1: leaky ReLU forward by hand", "[ch02][exercise]") {
  const Tensor2<double> x = {{-2, -0.5, 0}, {0.25, 3, -10}};
  const Tensor2<double> y = ch02::leaky_relu_forward(x, 0.1);
  REQUIRE(y.shape() == x.shape());
  CHECK(y(0, 0) == Approx(-0.2));
  CHECK(y(0, 1) == Approx(-0.05));
  CHECK(y(0, 2) == 0.0);
  CHECK(y(1, 0) == Approx(0.25));
  CHECK(y(1, 1) == Approx(3.0));
  CHECK(y(1, 2) == Approx(-1.0));
  // alpha = 0 is ReLU, alpha = 1 the identity
  CHECK(ch02::leaky_relu_forward(x, 0.0)(1, 2) == 0.0);
  CHECK(ch02::leaky_relu_forward(x, 1.0)(1, 2) == Approx(-10.0));
}

TEST_CASE("Exercise 2.1: leaky ReLU backward by hand", "[ch02][exercise]") {
  const Tensor2<double> x = {{-2, 0.5}, {4, -1}};
  const Tensor2<double> dy = {{10, 20}, {-3, 7}};
  const Tensor2<double> dx = ch02::leaky_relu_backward(dy, x, 0.2);
  REQUIRE(dx.shape() == x.shape());
  CHECK(dx(0, 0) == Approx(2.0));   // 0.2 * 10
  CHECK(dx(0, 1) == Approx(20.0));
  CHECK(dx(1, 0) == Approx(-3.0));
  CHECK(dx(1, 1) == Approx(1.4));   // 0.2 * 7
  CHECK(dy(0, 0) == 10.0);          // dy untouched
}

TEST_CASE("Exercise 2.1: backward matches central differences of forward", "[ch02][exercise][gradcheck]") {
  dl::Rng rng(4);
  Tensor2<double> x = Tensor2<double>::from_shape({5, 7}), R = x;
  for (auto& v : x) v = rng.normal(), v += v >= 0 ? 0.1 : -0.1;  // away from the kink
  for (auto& v : R) v = rng.normal();
  const double alpha = 0.05;
  const Tensor2<double> dx = ch02::leaky_relu_backward(R, x, alpha);
  REQUIRE(xt::amax(xt::abs(dx))() > 0);  // a zero gradient checks nothing
  const auto r = dl::numerical_gradient_check<double>("dx", x.data(), dx.data(), x.size(), [&] {
    return double(xt::sum(R * ch02::leaky_relu_forward(x, alpha))());  // L = sum(R * f(x))
  });
  INFO(r.report());
  CHECK(r.rel_error < 1e-6);
  // and the library's LeakyReLU agrees
  dl::LeakyReLU<double> lib(alpha);
  dl::LeakyReLU<double>::Cache c;
  const Tensor2<double> y_lib = lib.forward(x, c);
  CHECK(xt::allclose(ch02::leaky_relu_forward(x, alpha), y_lib, 0.0, 1e-15));
  CHECK(xt::allclose(dx, lib.backward(R, c), 0.0, 1e-15));
}

TEST_CASE("Exercise 2.1: backward rejects a gradient of another shape", "[ch02][exercise][errors]") {
  const Tensor2<double> x = xt::ones<double>({2, 3});
  const Tensor2<double> dy = xt::ones<double>({3, 2});
  REQUIRE_THROWS_AS(ch02::leaky_relu_backward(dy, x, 0.1), dl::ShapeError);
  REQUIRE_THROWS_WITH(ch02::leaky_relu_backward(dy, x, 0.1),
                      Catch::Contains("(3, 2)") && Catch::Contains("(2, 3)"));
}
