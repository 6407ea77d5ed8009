// Exercise 6.1: one RMSprop step on raw arrays, against hand-computed values and dl::RMSprop.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "dlcore/core/rng.hpp"
#include "dlcore/optim/rmsprop.hpp"
#include "exercise.hpp"

TEST_CASE("Exercise 6.1: one RMSprop step by hand", "[ch06][exercise]") {
  // s = 0.9 * 0 + 0.1 g^2 = (0.4, 0.025); w -= 0.01 g / (sqrt(s) + 1e-8)
  double w[2] = {1.0, -2.0}, s[2] = {0.0, 0.0};
  const double g[2] = {2.0, -0.5};
  ch06::rmsprop_step(w, g, s, 2, 0.01, 0.9, 1e-8);
  CHECK(s[0] == Approx(0.4));
  CHECK(s[1] == Approx(0.025));
  CHECK(w[0] == Approx(1 - 0.01 * 2 / (std::sqrt(0.4) + 1e-8)));
  CHECK(w[1] == Approx(-2 + 0.01 * 0.5 / (std::sqrt(0.025) + 1e-8)));
  CHECK(g[0] == 2.0);  // the gradient is read, not written
}

TEST_CASE("Exercise 6.1: the running mean square carries over between steps", "[ch06][exercise]") {
  double w[1] = {0.0}, s[1] = {0.0};
  const double g[1] = {2.0};
  ch06::rmsprop_step(w, g, s, 1, 0.1, 0.5, 0.0);  // s = 2, step 0.1 * 2 / sqrt(2)
  ch06::rmsprop_step(w, g, s, 1, 0.1, 0.5, 0.0);  // s = 0.5 * 2 + 0.5 * 4 = 3
  CHECK(s[0] == Approx(3.0));
  CHECK(w[0] == Approx(-0.1 * 2 / std::sqrt(2.0) - 0.1 * 2 / std::sqrt(3.0)));
}

TEST_CASE("Exercise 6.1: eps keeps a zero gradient harmless, other values still move", "[ch06][exercise]") {
  double w[2] = {0.5, 0.5}, s[2] = {0.0, 0.0};
  const double g[2] = {0.0, 3.0};
  ch06::rmsprop_step(w, g, s, 2, 0.01, 0.99, 1e-8);
  CHECK(w[0] == 0.5);  // 0 / (0 + eps) = 0, not NaN
  CHECK(s[0] == 0.0);
  CHECK(w[1] == Approx(0.5 - 0.01 * 3 / (std::sqrt(0.01 * 9) + 1e-8)));
}

TEST_CASE("Exercise 6.1: ten steps agree with dl::RMSprop", "[ch06][exercise]") {
  dl::Rng rng(6);
  dl::Tensor1<double> w_lib = {0.3, -1.2, 2.0, 0.0, 0.7}, g_lib = xt::zeros<double>({5});
  std::vector<double> w(w_lib.begin(), w_lib.end()), s(5, 0.0), g(5);
  dl::RMSprop<double> reference(0.05, 0.9, 1e-8);
  const std::vector<dl::ParamRef<double>> params = {dl::param_ref<double>("w", w_lib, g_lib)};
  for (int step = 0; step < 10; ++step) {
    for (std::size_t i = 0; i < 5; ++i) g[i] = g_lib(i) = rng.normal() * double(i + 1);
    reference.step(params);
    ch06::rmsprop_step(w.data(), g.data(), s.data(), 5, 0.05, 0.9, 1e-8);
    for (std::size_t i = 0; i < 5; ++i) CHECK(w[i] == Approx(w_lib(i)).epsilon(1e-12).margin(1e-14));
  }
  CHECK(s[4] == Approx((*reference.state()[0].data)[4]).epsilon(1e-12));
}
