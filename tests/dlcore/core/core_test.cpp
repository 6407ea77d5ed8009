#include <catch2/catch.hpp>

#include <random>
#include <sstream>

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

TEST_CASE("MersenneTwister64 is std::mt19937_64: same numbers, same state text", "[rng]") {
  for (std::uint64_t seed : {0ULL, 42ULL, 5489ULL, 9223372036854775813ULL}) {
    std::mt19937_64 ref(seed);
    MersenneTwister64 ours(seed);
    for (int i = 0; i < 1000; ++i) REQUIRE(ours() == ref());  // past three refills of 312
    std::ostringstream a, b;
    a << ref;
    b << ours;
    REQUIRE(a.str() == b.str());  // checkpoints written before this engine still read back
    std::istringstream in(a.str());
    MersenneTwister64 restored(1);
    in >> restored;
    REQUIRE(bool(in));
    for (int i = 0; i < 700; ++i) REQUIRE(restored() == ref());
  }
  Rng one(3), bulk(3);  // uniforms in bulk are the same numbers as one at a time
  std::vector<double> u(1000);
  bulk.uniforms(u.data(), 700);
  bulk.uniforms(u.data() + 700, 300);
  for (double v : u) REQUIRE(v == one.uniform());
  CHECK(bulk.state() == one.state());
  std::istringstream bad("1 2 3");
  MersenneTwister64 e(7), copy(7);
  bad >> e;
  CHECK(bad.fail());
  CHECK(e() == copy());  // a failed read leaves the engine as it was
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
