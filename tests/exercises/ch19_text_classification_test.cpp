// Exercise 19.1: the skip-gram negative-sampling loss and its gradient for one example, checked
// against a value worked by hand and against central differences of the loss written out here.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "exercise.hpp"

namespace {
double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}
double loss(const std::vector<double>& v, const std::vector<double>& u_o, const std::vector<std::vector<double>>& u_neg) {
  double l = -std::log(sigmoid(dot(u_o, v)));
  for (const auto& u : u_neg) l -= std::log(sigmoid(-dot(u, v)));
  return l;
}
}  // namespace

TEST_CASE("Exercise 19.1: the skip-gram loss of one example, worked by hand", "[ch19][exercise]") {
  // v = (1, 0), u_o = (2, 1), one negative u = (-1, 3): scores 2 and -1
  std::vector<double> dv(2), du_o(2);
  std::vector<std::vector<double>> du_neg(1, std::vector<double>(2));
  const double l = ch19::skipgram_gradient({1, 0}, {2, 1}, {{-1, 3}}, dv, du_o, du_neg);
  CHECK(l == Approx(-std::log(sigmoid(2)) - std::log(sigmoid(1))));
  CHECK(du_o[0] == Approx(sigmoid(2) - 1));   // (sigma(s_o) - 1) v
  CHECK(du_o[1] == Approx(0).margin(1e-12));
  CHECK(du_neg[0][0] == Approx(sigmoid(-1)));  // sigma(s_k) v
  CHECK(dv[1] == Approx((sigmoid(2) - 1) * 1 + sigmoid(-1) * 3));
}

TEST_CASE("Exercise 19.1: the skip-gram gradient matches central differences", "[ch19][exercise]") {
  std::vector<double> v = {0.3, -1.2, 0.8, 0.5}, u_o = {1.1, 0.4, -0.6, 0.9};
  std::vector<std::vector<double>> u_neg = {{-0.7, 0.2, 1.5, 0.1}, {0.6, -0.9, -0.3, 1.2}, {0.6, -0.9, -0.3, 1.2}};
  std::vector<double> dv(4), du_o(4);
  std::vector<std::vector<double>> du_neg(3, std::vector<double>(4));
  ch19::skipgram_gradient(v, u_o, u_neg, dv, du_o, du_neg);
  const double eps = 1e-6;
  auto numeric = [&](double& x) {
    const double keep = x;
    x = keep + eps;
    const double lp = loss(v, u_o, u_neg);
    x = keep - eps;
    const double lm = loss(v, u_o, u_neg);
    x = keep;
    return (lp - lm) / (2 * eps);
  };
  for (std::size_t e = 0; e < 4; ++e) {
    INFO("component " << e);
    CHECK(dv[e] == Approx(numeric(v[e])).epsilon(1e-6).margin(1e-9));
    CHECK(du_o[e] == Approx(numeric(u_o[e])).epsilon(1e-6).margin(1e-9));
    for (std::size_t i = 0; i < 3; ++i) CHECK(du_neg[i][e] == Approx(numeric(u_neg[i][e])).epsilon(1e-6).margin(1e-9));
  }
}
