// Scaled dot-product and additive attention (Chapter 20): values worked by hand, masking of
// padded keys, gradient checks in double, bad shapes.
#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/core/error.hpp"
#include "dlcore/layers/additive_attention.hpp"
#include "dlcore/layers/dot_product_attention.hpp"
#include "support/attention.hpp"

using namespace dl;
using testing::random_tensor;

TEST_CASE("masked softmax: weights of the valid entries sum to 1, masked ones are exactly 0", "[attention]") {
  std::vector<double> s = {1.0, 2.0, 3.0, 100.0, -5.0};
  masked_softmax_row(s.data(), 3, 5);
  const double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  CHECK(s[0] == Approx(std::exp(1.0) / z).epsilon(1e-14));
  CHECK(s[2] == Approx(std::exp(3.0) / z).epsilon(1e-14));
  CHECK(s[3] == 0.0);
  CHECK(s[4] == 0.0);
  std::vector<double> big = {1000.0, 999.0};  // no overflow: shifted by the maximum
  masked_softmax_row(big.data(), 2, 2);
  CHECK(big[0] == Approx(1 / (1 + std::exp(-1.0))).epsilon(1e-14));
}

TEST_CASE("dot-product attention by hand: one query, two keys, scaled by 1/sqrt(d)", "[attention]") {
  DotProductAttention<double> att;
  DotProductAttention<double>::Cache cache;
  const Tensor3<double> q = {{{1.0, 0.0}}};               // (1, 1, 2)
  const Tensor3<double> k = {{{1.0, 0.0}}, {{0.0, 1.0}}};  // (2, 1, 2)
  const Tensor3<double> v = {{{1.0}}, {{3.0}}};            // (2, 1, 1)
  const Tensor3<double> y = att.forward(q, k, v, nullptr, cache);
  const double a1 = std::exp(1 / std::sqrt(2.0)) / (std::exp(1 / std::sqrt(2.0)) + 1);  // scores 1/sqrt2, 0
  CHECK(cache.a(0, 0, 0) == Approx(a1).epsilon(1e-14));
  CHECK(y(0, 0, 0) == Approx(a1 * 1 + (1 - a1) * 3).epsilon(1e-14));
}

TEST_CASE("dot-product attention ignores padded keys and values entirely", "[attention]") {
  DotProductAttention<double> att;
  auto q = random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{4, 3, 5}, 1);
  auto k = random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{6, 3, 5}, 2);
  auto v = random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{6, 3, 2}, 3);
  const Lengths lengths{6, 2, 4};
  DotProductAttention<double>::Cache c1, c2;
  const auto y1 = att.forward(q, k, v, &lengths, c1);
  for (std::size_t s = 2; s < 6; ++s) {  // change what sequence 1 has after its length
    for (std::size_t j = 0; j < 5; ++j) k(s, 1, j) = 1e3;
    for (std::size_t j = 0; j < 2; ++j) v(s, 1, j) = -1e3;
  }
  const auto y2 = att.forward(q, k, v, &lengths, c2);
  for (std::size_t i = 0; i < y1.size(); ++i) CHECK(y1.data()[i] == y2.data()[i]);
  for (std::size_t t = 0; t < 4; ++t)
    for (std::size_t s = 2; s < 6; ++s) CHECK(c1.a(1, t, s) == 0.0);
}

TEST_CASE("dot-product attention backward matches central differences", "[attention][gradcheck]") {
  DotProductAttention<double> att;
  const std::array<std::size_t, 3> qs{4, 3, 5}, ks{6, 3, 5}, vs{6, 3, 2};
  SECTION("all keys valid") {
    testing::check_attention(att, random_tensor<Tensor3<double>>(qs, 4), random_tensor<Tensor3<double>>(ks, 5),
                             random_tensor<Tensor3<double>>(vs, 6), nullptr);
  }
  SECTION("padded keys") {
    const Lengths lengths{6, 1, 3};
    testing::check_attention(att, random_tensor<Tensor3<double>>(qs, 7), random_tensor<Tensor3<double>>(ks, 8),
                             random_tensor<Tensor3<double>>(vs, 9), &lengths);
  }
}

TEST_CASE("additive attention by hand: one unit scorer", "[attention]") {
  Rng rng(1);
  AdditiveAttention<double> att(1, 1, 1, rng);
  att.W_q = {{2.0}};
  att.W_k = {{1.0}};
  att.b = {0.0};
  att.v = {1.0};
  AdditiveAttention<double>::Cache cache;
  const Tensor3<double> q = {{{0.5}}}, k = {{{0.0}}, {{1.0}}}, x = {{{1.0}}, {{3.0}}};
  const Tensor3<double> y = att.forward(q, k, x, nullptr, cache);
  const double e1 = std::tanh(1.0), e2 = std::tanh(2.0);  // v tanh(q W_q + k W_k + b)
  const double a1 = std::exp(e1) / (std::exp(e1) + std::exp(e2));
  CHECK(cache.a(0, 0, 0) == Approx(a1).epsilon(1e-14));
  CHECK(y(0, 0, 0) == Approx(a1 * 1 + (1 - a1) * 3).epsilon(1e-14));
}

TEST_CASE("additive attention backward matches central differences, parameters included", "[attention][gradcheck]") {
  Rng rng(2);
  AdditiveAttention<double> att(5, 4, 3, rng);
  for (auto& b : att.b) b = rng.normal(0, 0.5);  // a nonzero bias
  const std::array<std::size_t, 3> qs{4, 3, 5}, ks{6, 3, 4}, vs{6, 3, 2};
  SECTION("all keys valid") {
    testing::check_attention(att, random_tensor<Tensor3<double>>(qs, 4), random_tensor<Tensor3<double>>(ks, 5),
                             random_tensor<Tensor3<double>>(vs, 6), nullptr);
  }
  SECTION("padded keys") {
    const Lengths lengths{2, 6, 1};
    testing::check_attention(att, random_tensor<Tensor3<double>>(qs, 7), random_tensor<Tensor3<double>>(ks, 8),
                             random_tensor<Tensor3<double>>(vs, 9), &lengths);
  }
}

TEST_CASE("attention layers reject mismatched shapes and lengths, naming both shapes", "[attention][errors]") {
  DotProductAttention<double> dot;
  DotProductAttention<double>::Cache dc;
  const Tensor3<double> q = xt::zeros<double>({2, 3, 4}), k = xt::zeros<double>({5, 3, 4}), v = xt::zeros<double>({5, 3, 2});
  CHECK_THROWS_WITH(dot.forward(q, xt::zeros<double>({5, 3, 6}), v, nullptr, dc),
                    Catch::Contains("(5, 3, 6)") && Catch::Contains("(2, 3, 4)"));
  CHECK_THROWS_AS(dot.forward(q, k, xt::zeros<double>({4, 3, 2}), nullptr, dc), ShapeError);
  const Lengths bad{5, 0, 2};
  CHECK_THROWS_WITH(dot.forward(q, k, v, &bad, dc), Catch::Contains("length 0"));
  const Lengths short_list{5, 2};
  CHECK_THROWS_AS(dot.forward(q, k, v, &short_list, dc), ShapeError);
  Rng rng(3);
  AdditiveAttention<double> add(4, 4, 3, rng);
  AdditiveAttention<double>::Cache ac;
  CHECK_THROWS_WITH(add.forward(xt::zeros<double>({2, 3, 7}), k, v, nullptr, ac),
                    Catch::Contains("AdditiveAttention") && Catch::Contains("(2, 3, 7)"));
  CHECK_THROWS_AS(add.backward(xt::zeros<double>({2, 3, 2}), ac), ValueError);  // before forward
  CHECK_THROWS_AS(AdditiveAttention<double>(0, 4, 3, rng), ValueError);
}
