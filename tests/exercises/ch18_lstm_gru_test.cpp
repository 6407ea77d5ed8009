// Exercise 18.1: one LSTM step backward, checked against central differences of the step's
// forward pass written out here, and against a case worked by hand.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "exercise.hpp"

namespace {
double sigmoid(double v) { return 1 / (1 + std::exp(-v)); }

// L = sum(dh h_t) + sum(dc c_t) for pre-activations a (4H) and c_{t-1}: the quantity whose
// gradient the exercise computes (dc stands for what reaches c_t from step t+1).
double step_objective(const std::vector<double>& a, const std::vector<double>& c_prev,
                      const std::vector<double>& dh, const std::vector<double>& dc) {
  const std::size_t H = c_prev.size();
  double L = 0;
  for (std::size_t j = 0; j < H; ++j) {
    const double i = sigmoid(a[j]), f = sigmoid(a[H + j]), g = std::tanh(a[2 * H + j]), o = sigmoid(a[3 * H + j]);
    const double c = f * c_prev[j] + i * g;
    L += dh[j] * o * std::tanh(c) + dc[j] * c;
  }
  return L;
}
}  // namespace

TEST_CASE("Exercise 18.1: one LSTM step backward matches central differences", "[ch18][exercise]") {
  const std::size_t H = 3;
  const std::vector<double> a = {0.3, -1.2, 0.8, 1.5, 0.1, -0.4, -0.7, 0.9, 2.0, 0.2, -1.1, 0.6};
  const std::vector<double> c_prev = {0.5, -1.5, 0.25}, dh = {1.0, -0.5, 2.0}, dc = {-0.3, 0.8, 0.1};
  std::vector<double> gates(4 * H), tanh_c(H);
  for (std::size_t j = 0; j < H; ++j) {
    gates[j] = sigmoid(a[j]);
    gates[H + j] = sigmoid(a[H + j]);
    gates[2 * H + j] = std::tanh(a[2 * H + j]);
    gates[3 * H + j] = sigmoid(a[3 * H + j]);
    tanh_c[j] = std::tanh(gates[H + j] * c_prev[j] + gates[j] * gates[2 * H + j]);
  }
  std::vector<double> da(4 * H, 0.0), dc_prev(H, 0.0);
  ch18::lstm_step_backward(gates, c_prev, tanh_c, dh, dc, da, dc_prev);
  const double eps = 1e-6;
  for (std::size_t k = 0; k < 4 * H; ++k) {
    auto ap = a, am = a;
    ap[k] += eps;
    am[k] -= eps;
    const double numeric = (step_objective(ap, c_prev, dh, dc) - step_objective(am, c_prev, dh, dc)) / (2 * eps);
    INFO("da[" << k << "]");
    CHECK(da[k] == Approx(numeric).epsilon(1e-6).margin(1e-9));
  }
  for (std::size_t j = 0; j < H; ++j) {
    auto cp = c_prev, cm = c_prev;
    cp[j] += eps;
    cm[j] -= eps;
    const double numeric = (step_objective(a, cp, dh, dc) - step_objective(a, cm, dh, dc)) / (2 * eps);
    INFO("dc_prev[" << j << "]");
    CHECK(dc_prev[j] == Approx(numeric).epsilon(1e-6).margin(1e-9));
  }
}

TEST_CASE("Exercise 18.1: with the output gate closed only the cell path carries gradient", "[ch18][exercise]") {
  // o = 0: h_t = 0 whatever c_t is, so dL/dc_t is dc_next alone, and dL/da^o = dh tanh(c_t) o (1 - o) = 0.
  const std::vector<double> gates = {0.5, 0.25, 0.8, 0.0}, c_prev = {2.0}, tanh_c = {0.6};
  const std::vector<double> dh = {3.0}, dc = {1.0};
  std::vector<double> da(4, 9.0), dc_prev(1, 9.0);
  ch18::lstm_step_backward(gates, c_prev, tanh_c, dh, dc, da, dc_prev);
  CHECK(da[0] == Approx(1.0 * 0.8 * 0.5 * 0.5));    // dc g i (1 - i)
  CHECK(da[1] == Approx(1.0 * 2.0 * 0.25 * 0.75));  // dc c_prev f (1 - f)
  CHECK(da[2] == Approx(1.0 * 0.5 * (1 - 0.64)));   // dc i (1 - g^2)
  CHECK(da[3] == Approx(0.0).margin(1e-15));
  CHECK(dc_prev[0] == Approx(0.25));                // dc f
}
