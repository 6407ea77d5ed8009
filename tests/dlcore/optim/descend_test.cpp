// dl::descend: real optimizers on 2-D test functions, checked against closed forms.
#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/core/error.hpp"
#include "dlcore/optim/adam.hpp"
#include "dlcore/optim/descend.hpp"
#include "dlcore/optim/make_optimizer.hpp"
#include "dlcore/optim/sgd.hpp"
#include "support/golden.hpp"

using namespace dl;

TEST_CASE("Gradient descent on a quadratic follows the closed form", "[optim][descend]") {
  // x_t = (1 - eta a)^t x_0, y_t = (1 - eta b)^t y_0
  const double a = 1, b = 10, eta = 0.05;
  SGD<double> opt(eta);
  DescendOptions o;
  o.steps = 20;
  const Trajectory t = descend(opt, quadratic(a, b), {-4, 2}, o);
  REQUIRE(t.steps() == 20);
  CHECK(t.x[0] == -4);
  for (std::size_t s = 0; s <= 20; ++s) {
    CHECK(t.x[s] == Approx(-4 * std::pow(1 - eta * a, double(s))));
    CHECK(t.y[s] == Approx(2 * std::pow(1 - eta * b, double(s))).margin(1e-12));
    CHECK(t.f[s] == Approx(0.5 * (a * t.x[s] * t.x[s] + b * t.y[s] * t.y[s])));
  }
  CHECK(!t.diverged);
  CHECK(t.grad_norm[0] == Approx(std::hypot(-4.0, 20.0)));
}

TEST_CASE("The measured rate is max |1 - eta lambda| and eta > 2/lambda_max diverges", "[optim][descend]") {
  const TestFunction q = quadratic(1, 10);
  DescendOptions o;
  o.steps = 60;
  for (double eta : {0.02, 0.1, 2.0 / 11, 0.19}) {
    INFO("eta " << eta);
    SGD<double> opt(eta);
    const Trajectory t = descend(opt, q, {-4, 2}, o);
    const double predicted = std::max(std::abs(1 - eta), std::abs(1 - 10 * eta));
    CHECK(convergence_rate(t, q.minimum) == Approx(predicted).epsilon(0.02));
  }
  SGD<double> too_large(0.21);  // |1 - 10 * 0.21| = 1.1 > 1
  o.escape = 100;
  const Trajectory t = descend(too_large, q, {-4, 2}, o);
  CHECK(t.diverged);
  CHECK(std::abs(t.y.back()) > 100);
  CHECK(t.steps() < 60);  // stopped once it left the box
  CHECK(t.steps_to_tol == -1);
}

TEST_CASE("descend counts the steps to a tolerance and can stop there", "[optim][descend]") {
  // y_0 = 0: f_t = 0.5 x_0^2 (1 - eta)^(2t) < tol
  const double eta = 0.1, tol = 1e-6;
  DescendOptions o;
  o.steps = 500;
  o.tol = tol;
  SGD<double> opt(eta);
  const Trajectory t = descend(opt, quadratic(1, 10), {1, 0}, o);
  const long expected = long(std::ceil(std::log(2 * tol) / (2 * std::log(1 - eta)) + 1e-12));
  CHECK(t.steps_to_tol == expected);
  CHECK(t.steps() == 500);
  CHECK(t.steps_to_settle == expected);  // monotone descent: it stays below once there
  o.stop_at_tol = true;
  SGD<double> again(eta);
  CHECK(descend(again, quadratic(1, 10), {1, 0}, o).steps() == std::size_t(expected));
}

TEST_CASE("steps_to_settle waits until the tolerance holds for good", "[optim][descend]") {
  // eta = 0.19 on b = 10: y flips sign each step, f falls monotonically; with eta = 0.21
  // f drops first (x converges) then grows: it reaches the tolerance band never or briefly
  SGD<double> a(0.19), b(0.21);
  const auto o = DescendOptions(100).with_tol(0.5).with_escape(1e3);
  const Trajectory fine = descend(a, quadratic(1, 10), {2, 0.1}, o);
  CHECK(fine.steps_to_settle == fine.steps_to_tol);
  CHECK(fine.steps_to_settle > 0);
  const Trajectory bad = descend(b, quadratic(1, 10), {2, 0.01}, o);
  CHECK(bad.steps_to_tol > 0);      // it passed below 0.5 on the way
  CHECK(bad.steps_to_settle == -1);  // but did not stay
}

TEST_CASE("Gradient noise is seeded, and needs a generator", "[optim][descend]") {
  DescendOptions o;
  o.steps = 30;
  o.noise = {0.1, 0.1};
  SGD<double> a(0.1), b(0.1), c(0.1);
  Rng r1(3), r2(3);
  const Trajectory t1 = descend(a, saddle(), {1, 0}, o, &r1);
  const Trajectory t2 = descend(b, saddle(), {1, 0}, o, &r2);
  CHECK(t1.x == t2.x);
  CHECK(t1.y == t2.y);
  CHECK(t1.y.back() != 0);  // noise pushed it off the line y = 0
  REQUIRE_THROWS_WITH(descend(c, saddle(), {1, 0}, o), Catch::Contains("Rng"));
}

TEST_CASE("Annealed noise shrinks to zero over the run", "[optim][descend]") {
  // on a plane the position is the running sum of the noise: its last steps barely move
  SGD<double> a(1.0);
  Rng rng(4);
  const auto o = DescendOptions(1000).with_noise({1, 1}, true);
  const Trajectory t = descend(a, plane(0, 0), {0, 0}, o, &rng);
  double early = 0, late = 0;
  for (std::size_t s = 1; s <= 100; ++s) early += std::abs(t.x[s] - t.x[s - 1]);
  for (std::size_t s = 901; s <= 1000; ++s) late += std::abs(t.x[s] - t.x[s - 1]);
  CHECK(late < 0.2 * early);  // noise scale 1 - (s-1)/1000: about 0.05 vs 0.95
}

TEST_CASE("tune_learning_rate keeps the rate that reaches the tolerance first", "[optim][descend]") {
  // GD on quadratic(1, 10): 0.1 settles fastest of the grid; 0.3 diverges
  const auto o = DescendOptions(500).with_tol(1e-8).with_escape(1e3);
  const TunedPath best = tune_learning_rate("sgd", quadratic(1, 10), {-4, 2}, {0.01, 0.1, 0.3}, o);
  CHECK(best.lr == 0.1);
  CHECK(best.path.steps_to_tol > 0);
  // nothing reaches an impossible tolerance: the lowest final value that did not diverge wins
  const TunedPath fallback = tune_learning_rate("sgd", quadratic(1, 10), {-4, 2}, {0.01, 0.1, 0.3},
                                                DescendOptions(5).with_tol(-1));
  CHECK(fallback.lr == 0.1);
  REQUIRE_THROWS_AS(tune_learning_rate("sgd", quadratic(), {0, 0}, {}, o), ValueError);
}

TEST_CASE("Plain gradient descent on the saddle's stable manifold stalls at the saddle", "[optim][descend]") {
  DescendOptions o;
  o.steps = 200;
  SGD<double> opt(0.1);
  const Trajectory t = descend(opt, saddle(), {-1.5, 0}, o);
  CHECK(t.y.back() == 0);
  CHECK(std::abs(t.x.back()) < 1e-12);
  CHECK(t.grad_norm.back() < 1e-12);  // a vanishing gradient, and no minimum
}

TEST_CASE("Adam's recorded moments are biased towards 0, and bias_corrected removes it", "[optim][descend]") {
  // constant gradient 2: m_t = (1 - 0.9^t) 2, v_t = (1 - 0.999^t) 4
  Adam<double> opt(1e-3);
  DescendOptions o;
  o.steps = 10;
  o.record_state = true;
  const Trajectory t = descend(opt, plane(2, 0), {0, 0}, o);
  REQUIRE(t.state.count("m/w") == 1);
  REQUIRE(t.state.at("m/w").size() == 10);
  CHECK(t.state.at("m/w")[0] == Approx(0.2));
  CHECK(t.state.at("v/w")[2] == Approx(4 * (1 - std::pow(0.999, 3))));
  for (double m_hat : bias_corrected(t.state.at("m/w"), 0.9)) CHECK(m_hat == Approx(2));
  for (double v_hat : bias_corrected(t.state.at("v/w"), 0.999)) CHECK(v_hat == Approx(4));
  REQUIRE_THROWS_AS(bias_corrected({1.0}, 1.0), ValueError);
}

TEST_CASE("Trajectory helpers thin, measure and index the path", "[optim][descend]") {
  SGD<float> opt(0.1f);  // the float instantiation drives the same way
  DescendOptions o;
  o.steps = 10;
  const Trajectory t = descend(opt, quadratic(1, 1), {3, 4}, o);
  const Trajectory thin = t.every(4);
  REQUIRE(thin.x.size() == 4);  // steps 0, 4, 8 and the last, 10
  CHECK(thin.x[3] == t.x[10]);
  CHECK(t.distance_to({0, 0})[0] == Approx(5));
  CHECK(t.gap(0)[0] == Approx(12.5));
  CHECK(t.step.back() == 10);
  CHECK(thin.step == std::vector<double>{0, 4, 8, 10});
  const Trajectory logt = t.log_thinned(1.5);  // steps 0, 1, 2, 3, 4, 6, 9 and the last
  CHECK(logt.step == std::vector<double>{0, 1, 2, 3, 4, 6, 9, 10});
  CHECK(logt.steps() == 10);
  CHECK(t.first(3).step == std::vector<double>{0, 1, 2, 3});
  CHECK(t.first(3).x[3] == t.x[3]);
  CHECK(t.last().x == t.x.back());
  REQUIRE_THROWS_AS(t.every(0), ValueError);
  CHECK(max_distance(t, t) == 0);
  REQUIRE_THROWS_WITH(max_distance(t, thin), Catch::Contains("11") && Catch::Contains("4"));
  REQUIRE_THROWS_WITH(convergence_rate(t.first(1), {0, 0}), Catch::Contains("convergence_rate") && Catch::Contains("1"));
}

TEST_CASE("dl::descend follows torch.optim's path on Rosenbrock, step for step", "[optim][descend][pytorch]") {
  // tools/make_golden.py: 60 steps from (-1.2, 1) with autograd's gradient
  const std::vector<std::tuple<std::string, double, double>> cases = {
      {"sgd", 1e-3, 0.0},     {"momentum", 1e-3, 0.0}, {"nesterov", 1e-3, 0.0}, {"adagrad", 0.5, 0.0},
      {"rmsprop", 0.01, 0.0}, {"adam", 0.05, 0.0},     {"adamw", 0.05, 0.1}};
  for (const auto& [name, lr, wd] : cases) {
    const auto opt = make_optimizer<double>(name, lr, wd);
    const Trajectory t = descend(*opt, rosenbrock(), {-1.2, 1}, DescendOptions(60));
    Tensor2<double> path = xt::zeros<double>({t.x.size(), std::size_t(2)});
    for (std::size_t i = 0; i < t.x.size(); ++i) path(i, 0) = t.x[i], path(i, 1) = t.y[i];
    testing::require_close("descend_" + name, path, testing::golden<double, 2>("descend_" + name, "path"), 1e-9, 1e-12);
  }
}
