// Exercise 20.1: scaled dot-product attention backward for one query, checked against central
// differences of the forward pass written out here, and against a case worked by hand.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "exercise.hpp"

namespace {
struct Problem {
  std::vector<double> q, K, V, dout;
  std::size_t S, d, dv;
};

std::vector<double> weights(const Problem& p) {
  std::vector<double> e(p.S);
  double m = -1e300, z = 0;
  for (std::size_t s = 0; s < p.S; ++s) {
    e[s] = 0;
    for (std::size_t i = 0; i < p.d; ++i) e[s] += p.q[i] * p.K[s * p.d + i];
    e[s] /= std::sqrt(double(p.d));
    m = std::max(m, e[s]);
  }
  for (auto& v : e) z += (v = std::exp(v - m));
  for (auto& v : e) v /= z;
  return e;
}

// L = dout . o with o = sum_s a_s v_s
double objective(const Problem& p) {
  const auto a = weights(p);
  double L = 0;
  for (std::size_t s = 0; s < p.S; ++s)
    for (std::size_t j = 0; j < p.dv; ++j) L += p.dout[j] * a[s] * p.V[s * p.dv + j];
  return L;
}

void check_numeric(Problem p, const std::vector<double>& analytic, std::vector<double> Problem::*field,
                   const char* name) {
  const double eps = 1e-6;
  std::vector<double>& x = p.*field;
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double keep = x[k];
    x[k] = keep + eps;
    const double lp = objective(p);
    x[k] = keep - eps;
    const double lm = objective(p);
    x[k] = keep;
    INFO(name << "[" << k << "]");
    CHECK(analytic[k] == Approx((lp - lm) / (2 * eps)).epsilon(1e-6).margin(1e-9));
  }
}
}  // namespace

TEST_CASE("Exercise 20.1: attention backward for one query matches central differences", "[ch20][exercise]") {
  Problem p{{0.3, -1.2, 0.8, 1.5}, {}, {}, {1.0, -0.5, 2.0}, 5, 4, 3};
  for (std::size_t i = 0; i < p.S * p.d; ++i) p.K.push_back(std::sin(1.7 * double(i) + 0.3));
  for (std::size_t i = 0; i < p.S * p.dv; ++i) p.V.push_back(std::cos(0.9 * double(i)) * 2);
  const auto a = weights(p);
  std::vector<double> dq(p.d, 7.0), dK(p.S * p.d, 7.0), dV(p.S * p.dv, 7.0);
  ch20::attention_backward_one(p.q, p.K, p.V, a, p.dout, dq, dK, dV);
  check_numeric(p, dq, &Problem::q, "dq");
  check_numeric(p, dK, &Problem::K, "dK");
  check_numeric(p, dV, &Problem::V, "dV");
}

TEST_CASE("Exercise 20.1: with identical keys the weights are uniform and the query gets no gradient", "[ch20][exercise]") {
  // Two identical keys: e_1 = e_2 whatever q is, so a = (1/2, 1/2) and dL/dq = 0; the values
  // get half of dout each; dK_s = de_s q / sqrt(d) with de_s = a_s (da_s - sum a da).
  const std::vector<double> q = {1.0, 2.0, 0.0, -1.0}, K = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
  const std::vector<double> V = {1.0, 3.0}, a = {0.5, 0.5}, dout = {2.0};
  std::vector<double> dq(4, 9.0), dK(8, 9.0), dV(2, 9.0);
  ch20::attention_backward_one(q, K, V, a, dout, dq, dK, dV);
  for (double g : dq) CHECK(g == Approx(0.0).margin(1e-15));
  CHECK(dV[0] == Approx(1.0));
  CHECK(dV[1] == Approx(1.0));
  // da = dout v = (2, 6), sum a da = 4, de = (0.5 (2 - 4), 0.5 (6 - 4)) = (-1, 1), / sqrt(4) = 2
  CHECK(dK[0] == Approx(-0.5 * q[0]));
  CHECK(dK[5] == Approx(0.5 * q[1]));
}
