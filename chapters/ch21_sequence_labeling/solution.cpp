// Exercises 21.1 and 21.2, solved: the forward algorithm and Viterbi for one sequence.
#include <algorithm>
#include <cmath>

#include "exercise.hpp"

namespace ch21 {

namespace {
// log sum_i exp(v_i), shifted by the maximum so that no exp overflows
double log_sum_exp(const std::vector<double>& v) {
  const double m = *std::max_element(v.begin(), v.end());
  double s = 0;
  for (double x : v) s += std::exp(x - m);
  return m + std::log(s);
}
}  // namespace

double crf_log_partition(const Matrix& e, const Matrix& A, const std::vector<double>& start,
                         const std::vector<double>& end) {
  const std::size_t L = e.size(), K = start.size();
  std::vector<double> alpha(K), next(K), tmp(K);
  for (std::size_t j = 0; j < K; ++j) alpha[j] = start[j] + e[0][j];
  for (std::size_t t = 1; t < L; ++t) {
    for (std::size_t j = 0; j < K; ++j) {
      for (std::size_t i = 0; i < K; ++i) tmp[i] = alpha[i] + A[i][j];
      next[j] = e[t][j] + log_sum_exp(tmp);
    }
    alpha.swap(next);
  }
  for (std::size_t j = 0; j < K; ++j) tmp[j] = alpha[j] + end[j];
  return log_sum_exp(tmp);
}

std::vector<int> crf_viterbi(const Matrix& e, const Matrix& A, const std::vector<double>& start,
                             const std::vector<double>& end) {
  const std::size_t L = e.size(), K = start.size();
  std::vector<double> delta(K), next(K);
  std::vector<std::vector<int>> psi(L, std::vector<int>(K, 0));
  for (std::size_t j = 0; j < K; ++j) delta[j] = start[j] + e[0][j];
  for (std::size_t t = 1; t < L; ++t) {
    for (std::size_t j = 0; j < K; ++j) {
      std::size_t arg = 0;
      for (std::size_t i = 1; i < K; ++i)
        if (delta[i] + A[i][j] > delta[arg] + A[arg][j]) arg = i;
      next[j] = e[t][j] + delta[arg] + A[arg][j];
      psi[t][j] = int(arg);
    }
    delta.swap(next);
  }
  std::size_t last = 0;
  for (std::size_t j = 1; j < K; ++j)
    if (delta[j] + end[j] > delta[last] + end[last]) last = j;
  std::vector<int> y(L);
  y[L - 1] = int(last);
  for (std::size_t t = L - 1; t > 0; --t) y[t - 1] = psi[t][std::size_t(y[t])];
  return y;
}

}  // namespace ch21
