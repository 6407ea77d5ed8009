// Exercises 21.1 and 21.2: the forward algorithm and Viterbi for one sequence, checked against
// enumerating every tag path.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include "exercise.hpp"

namespace {

using ch21::Matrix;

struct Problem {
  Matrix e, A;
  std::vector<double> start, end;
};

Problem random_problem(std::size_t L, std::size_t K, unsigned seed, double shift = 0) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> normal(0.0, 1.5);
  Problem p;
  p.e.assign(L, std::vector<double>(K));
  p.A.assign(K, std::vector<double>(K));
  for (auto& row : p.e)
    for (auto& v : row) v = normal(gen) + shift;
  for (auto& row : p.A)
    for (auto& v : row) v = normal(gen);
  for (std::size_t k = 0; k < K; ++k) p.start.push_back(normal(gen)), p.end.push_back(normal(gen));
  return p;
}

double score(const Problem& p, const std::vector<int>& y) {
  const std::size_t L = y.size();
  double s = p.start[std::size_t(y[0])] + p.end[std::size_t(y[L - 1])];
  for (std::size_t t = 0; t < L; ++t) s += p.e[t][std::size_t(y[t])];
  for (std::size_t t = 1; t < L; ++t) s += p.A[std::size_t(y[t - 1])][std::size_t(y[t])];
  return s;
}

// Every path: log Z (shifted by the best score) and the best path.
std::pair<double, std::vector<int>> enumerate(const Problem& p) {
  const std::size_t L = p.e.size(), K = p.start.size();
  std::vector<int> y(L, 0), best;
  std::vector<double> scores;
  double top = -1e300;
  while (true) {
    const double s = score(p, y);
    scores.push_back(s);
    if (s > top) top = s, best = y;
    std::size_t t = L;
    while (t > 0 && std::size_t(++y[t - 1]) == K) y[--t] = 0;
    if (t == 0) break;
  }
  double z = 0;
  for (double s : scores) z += std::exp(s - top);
  return {top + std::log(z), best};
}

}  // namespace

TEST_CASE("Exercise 21.1: the forward algorithm gives log Z of all K^L paths", "[ch21][exercise]") {
  for (const auto& [L, K, seed] : std::vector<std::tuple<std::size_t, std::size_t, unsigned>>{{5, 3, 1}, {4, 4, 2}, {1, 3, 3}, {7, 2, 4}}) {
    const Problem p = random_problem(L, K, seed);
    INFO("L = " << L << ", K = " << K);
    CHECK(ch21::crf_log_partition(p.e, p.A, p.start, p.end) == Approx(enumerate(p).first).epsilon(1e-10));
  }
}

TEST_CASE("Exercise 21.1: log space keeps log Z finite for scores in the hundreds", "[ch21][exercise]") {
  const Problem p = random_problem(6, 3, 5, 300.0);  // exp(1800) is far beyond a double
  const double log_z = ch21::crf_log_partition(p.e, p.A, p.start, p.end);
  REQUIRE(std::isfinite(log_z));
  CHECK(log_z == Approx(enumerate(p).first).epsilon(1e-12));
}

TEST_CASE("Exercise 21.2: Viterbi finds the best of all paths", "[ch21][exercise]") {
  for (const auto& [L, K, seed] : std::vector<std::tuple<std::size_t, std::size_t, unsigned>>{{5, 3, 6}, {6, 4, 7}, {3, 5, 8}}) {
    Problem p = random_problem(L, K, seed);
    p.e[L - 1][K - 1] += 10.0;  // the best path ends in tag K-1 (so it is not all zeros)
    const auto [log_z, best] = enumerate(p);
    (void)log_z;
    INFO("L = " << L << ", K = " << K);
    REQUIRE(best.back() == int(K) - 1);
    CHECK(ch21::crf_viterbi(p.e, p.A, p.start, p.end) == best);
  }
}
