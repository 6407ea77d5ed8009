// Multi-head self-attention (Chapter 20): gradient checks in double with and without padding,
// parity with torch.nn.MultiheadAttention (weights copied), heads that must divide the width.
#include <catch2/catch.hpp>

#include "dlcore/core/error.hpp"
#include "dlcore/layers/multi_head_attention.hpp"
#include "support/golden.hpp"
#include "support/gradcheck.hpp"

using namespace dl;
using testing::random_tensor;

namespace {
template <class T>
MultiHeadAttention<T> golden_mha(const std::string& name, std::size_t heads) {
  MultiHeadAttention<T> m;
  m.heads = heads;
  m.W_in = testing::golden<T, 2>(name, "W_in");
  m.b_in = testing::golden<T, 1>(name, "b_in");
  m.W_out = testing::golden<T, 2>(name, "W_out");
  m.b_out = testing::golden<T, 1>(name, "b_out");
  m.dW_in = xt::zeros_like(m.W_in);
  m.db_in = xt::zeros_like(m.b_in);
  m.dW_out = xt::zeros_like(m.W_out);
  m.db_out = xt::zeros_like(m.b_out);
  return m;
}

template <class T>
void require_golden_mha(const std::string& name, std::size_t heads, double rtol, double atol) {
  MultiHeadAttention<T> m = golden_mha<T>(name, heads);
  Lengths lengths;
  if (std::filesystem::exists(testing::golden_dir(name) / "lengths.npy"))
    for (auto v : testing::golden<std::int64_t, 1>(name, "lengths")) lengths.push_back(std::size_t(v));
  typename MultiHeadAttention<T>::Cache cache;
  const Context ctx{Mode::train, nullptr, lengths.empty() ? nullptr : &lengths};
  testing::require_close("Y", m.forward(testing::golden<T, 3>(name, "x"), cache, ctx),
                         testing::golden<T, 3>(name, "y"), rtol, atol);
  testing::require_close("weights", MultiHeadAttention<T>::mean_weights(cache),
                         testing::golden<T, 3>(name, "weights"), rtol, atol);
  testing::require_close("dX", m.backward(testing::golden<T, 3>(name, "dy"), cache),
                         testing::golden<T, 3>(name, "dx"), rtol, atol);
  testing::require_close("dW_in", m.dW_in, testing::golden<T, 2>(name, "dW_in"), rtol, atol);
  testing::require_close("db_in", m.db_in, testing::golden<T, 1>(name, "db_in"), rtol, atol);
  testing::require_close("dW_out", m.dW_out, testing::golden<T, 2>(name, "dW_out"), rtol, atol);
  testing::require_close("db_out", m.db_out, testing::golden<T, 1>(name, "db_out"), rtol, atol);
}
}  // namespace

TEST_CASE("multi-head attention backward matches central differences", "[mha][gradcheck]") {
  Rng rng(6);
  MultiHeadAttention<double> m(8, 2, rng);
  for (auto& b : m.b_in) b = rng.normal(0, 0.1);
  for (auto& b : m.b_out) b = rng.normal(0, 0.1);
  const std::array<std::size_t, 3> shape{5, 3, 8};
  SECTION("full sequences") {
    testing::check_layer(m, random_tensor<Tensor3<double>>(shape, 1));
  }
  SECTION("padded sequences (key padding mask)") {
    const Lengths lengths{5, 2, 1};
    const Context ctx{Mode::train, nullptr, &lengths};
    testing::check_layer_with(m, random_tensor<Tensor3<double>>(shape, 2),
                              [&](MultiHeadAttention<double>& l, const Tensor3<double>& x,
                                  MultiHeadAttention<double>::Cache& c) { return l.forward(x, c, ctx); });
  }
}

TEST_CASE("multi-head attention equals torch.nn.MultiheadAttention (self-attention, weights copied)", "[mha][golden]") {
  SECTION("double, 2 heads") { require_golden_mha<double>("mha_f64", 2, 1e-10, 1e-12); }
  SECTION("double, key padding mask") { require_golden_mha<double>("mha_padded", 2, 1e-10, 1e-12); }
  SECTION("float, 4 heads of 16 over 20 steps") { require_golden_mha<float>("mha_f32", 4, 1e-4, 2e-5); }
}

TEST_CASE("multi-head attention refuses heads that do not divide the width and wrong inputs", "[mha][errors]") {
  Rng rng(7);
  CHECK_THROWS_WITH(MultiHeadAttention<double>(10, 3, rng), Catch::Contains("3 heads") && Catch::Contains("10"));
  MultiHeadAttention<double> m(8, 2, rng);
  MultiHeadAttention<double>::Cache cache;
  CHECK_THROWS_WITH(m.forward(xt::zeros<double>({4, 2, 6}), cache),
                    Catch::Contains("MultiHeadAttention(8, 2 heads)") && Catch::Contains("(4, 2, 6)"));
  const Lengths lengths{4, 5};
  CHECK_THROWS_AS(m.forward(xt::zeros<double>({4, 2, 8}), cache, Context{Mode::eval, nullptr, &lengths}), ValueError);
  CHECK_THROWS_AS(m.backward(xt::zeros<double>({4, 2, 8}), cache), ValueError);
}
