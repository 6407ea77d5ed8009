// Exercise 1.1: the perceptron learning rule.
#include <catch2/catch.hpp>

#include "datasets/synthetic.hpp"
#include "exercise.hpp"

using dl::Perceptron;
using dl::Tensor1;

TEST_CASE("Exercise 1.1: a missed positive example pulls the weights towards it", "[ch01][exercise]") {
  Perceptron<double> p(2);  // w = 0, b = 0: everything scores 0 and is predicted 0
  ch01::perceptron_update(p, Tensor1<double>{1, 2}, 1, 0.5);
  CHECK(p.w(0) == Approx(0.5));  // w += 0.5 (1 - 0) (1, 2)
  CHECK(p.w(1) == Approx(1.0));
  CHECK(p.b == Approx(0.5));
  ch01::perceptron_update(p, Tensor1<double>{-3, 1}, 1, 2.0);  // scores -1.5 + 1 + 0.5 = 0: missed
  CHECK(p.w(0) == Approx(-5.5));  // w += 2 (-3, 1)
  CHECK(p.w(1) == Approx(3.0));
  CHECK(p.b == Approx(2.5));
}

TEST_CASE("Exercise 1.1: a missed negative example pushes them away and a right one changes nothing",
          "[ch01][exercise]") {
  Perceptron<double> p(2);
  p.w = {1, 0};
  p.b = 0.5;
  ch01::perceptron_update(p, Tensor1<double>{-2, 5}, 0, 0.1);  // scores -1.5: predicted 0, right
  CHECK(p.w(0) == 1.0);
  CHECK(p.w(1) == 0.0);
  CHECK(p.b == 0.5);
  ch01::perceptron_update(p, Tensor1<double>{2, 1}, 0, 0.1);   // scores 2.5: predicted 1, wrong
  CHECK(p.w(0) == Approx(0.8));  // w -= 0.1 (2, 1)
  CHECK(p.w(1) == Approx(-0.1));
  CHECK(p.b == Approx(0.4));
}

TEST_CASE("Exercise 1.1: training with your rule separates separable data like the library's",
          "[ch01][exercise]") {
  dl::Rng rng(3);
  const auto d = datasets::linearly_separable<double>(120, rng, 0.1);
  dl::PerceptronOptions opt;
  opt.epochs = 500;
  opt.stop_when_converged = true;
  dl::Rng rng_lib = rng;
  Perceptron<double> mine(2), lib(2);
  const auto h = dl::train_perceptron<double>(mine, d.X, d.y, rng, opt, ch01::perceptron_update);
  dl::train_perceptron(lib, d.X, d.y, rng_lib, opt);
  REQUIRE(h.converged_epoch > 0);
  CHECK(dl::count_errors(mine, d.X, d.y) == 0);
  CHECK(mine.w(0) == Approx(lib.w(0)));
  CHECK(mine.w(1) == Approx(lib.w(1)));
  CHECK(mine.b == Approx(lib.b));
  const auto nb = dl::novikoff_bound(d.X, d.y, Tensor1<double>{1.0, -0.6}, 0.1);
  CHECK(double(h.updates) <= nb.bound);
}
