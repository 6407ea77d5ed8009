// Exercise 19.1, reference solution: the skip-gram negative-sampling loss and its gradient.
#include "exercise.hpp"

#include <cmath>

namespace ch19 {

namespace {
double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}
double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
}  // namespace

double skipgram_gradient(const std::vector<double>& v, const std::vector<double>& u_o,
                         const std::vector<std::vector<double>>& u_neg, std::vector<double>& dv,
                         std::vector<double>& du_o, std::vector<std::vector<double>>& du_neg) {
  const std::size_t E = v.size();
  // the true pair: l = -log sigma(s), dl/ds = sigma(s) - 1
  const double s_o = dot(u_o, v), g_o = sigmoid(s_o) - 1;
  double loss = -std::log(sigmoid(s_o));
  for (std::size_t e = 0; e < E; ++e) {
    dv[e] = g_o * u_o[e];
    du_o[e] = g_o * v[e];
  }
  // each negative: l = -log sigma(-s) = -log(1 - sigma(s)), dl/ds = sigma(s)
  for (std::size_t i = 0; i < u_neg.size(); ++i) {
    const double s = dot(u_neg[i], v), g = sigmoid(s);
    loss -= std::log(sigmoid(-s));
    for (std::size_t e = 0; e < E; ++e) {
      dv[e] += g * u_neg[i][e];
      du_neg[i][e] = g * v[e];
    }
  }
  return loss;
}

}  // namespace ch19
