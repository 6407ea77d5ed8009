#include <catch2/catch.hpp>

#include "dlcore/core/gemm.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/core/rows.hpp"
#include "support/golden.hpp"

using namespace dl;

TEST_CASE("gemm: all four transpose combinations and accumulation", "[gemm]") {
  const Tensor2<double> A = {{1, 2, 3}, {4, 5, 6}};      // (2, 3)
  const Tensor2<double> B = {{1, 0}, {0, 1}, {1, 1}};    // (3, 2)
  const Tensor2<double> AB = {{4, 5}, {10, 11}};
  Tensor2<double> C;
  gemm(A, B, C);
  testing::require_close("AB", C, AB);
  const Tensor2<double> At = xt::transpose(A), Bt = xt::transpose(B);
  gemm(At, B, C, Op::T, Op::N);
  testing::require_close("(A^T)^T B", C, AB);
  gemm(A, Bt, C, Op::N, Op::T);
  testing::require_close("A (B^T)^T", C, AB);
  gemm(At, Bt, C, Op::T, Op::T);
  testing::require_close("both", C, AB);
  gemm(A, B, C, Op::N, Op::N, 2.0, 1.0);  // C = AB + 2 AB
  testing::require_close("accumulate", C, Tensor2<double>(3.0 * AB));
}

TEST_CASE("gemm: shape errors name both shapes", "[gemm][errors]") {
  Tensor2<float> A = xt::zeros<float>({2, 3}), B = xt::zeros<float>({4, 2}), C;
  REQUIRE_THROWS_WITH(gemm(A, B, C), Catch::Contains("(2, 3)") && Catch::Contains("(4, 2)"));
  Tensor2<float> C2 = xt::zeros<float>({5, 5}), B2 = xt::zeros<float>({3, 2});
  REQUIRE_THROWS_AS(gemm(A, B2, C2, Op::N, Op::N, 1.0f, 1.0f), ShapeError);
}

TEST_CASE("Rng: the same seed gives the same numbers and the state round-trips", "[rng]") {
  Rng a(5), b(5);
  for (int i = 0; i < 10; ++i) REQUIRE(a.normal() == b.normal());
  const std::string s = a.state();
  const double next = a.uniform(), next2 = a.normal();
  Rng c(0);
  c.restore(s);
  CHECK(c.uniform() == next);
  CHECK(c.normal() == next2);
  const auto p = a.permutation(100);
  std::vector<std::size_t> sorted(p);
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < 100; ++i) REQUIRE(sorted[i] == i);
  REQUIRE_THROWS_AS(c.restore("garbage"), ValueError);
}

TEST_CASE("Rng: normal draws have mean 0 and variance 1", "[rng]") {
  Rng r(11);
  double s = 0, s2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double x = r.normal();
    s += x, s2 += x * x;
  }
  CHECK(s / n == Approx(0).margin(0.01));
  CHECK(s2 / n == Approx(1).epsilon(0.01));
}

TEST_CASE("Row helpers", "[rows]") {
  const Tensor2<double> g = {{1, 2}, {3, 4}, {5, 6}};
  Tensor1<double> db = {1, 1};
  add_column_sums(g, db);
  CHECK(db(0) == 10);
  CHECK(db(1) == 13);
  const Labels am = argmax_rows(Tensor2<double>{{0, 3, 1}, {7, 2, 2}});
  CHECK(am(0) == 1);
  CHECK(am(1) == 0);
  const Tensor2<double> r = repeat_rows(Tensor1<double>{1, 2}, 3);
  CHECK(r(2, 1) == 2);
}
