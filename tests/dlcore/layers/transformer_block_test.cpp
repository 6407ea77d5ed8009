// The Transformer encoder block and its companions (Chapter 20): gradient checks in double,
// parity with torch.nn.TransformerEncoderLayer (weights copied), the sinusoidal positional
// encoding, MeanSteps, and the whole classifier as a Sequential.
#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/core/error.hpp"
#include "dlcore/layers/mean_steps.hpp"
#include "dlcore/layers/positional_encoding.hpp"
#include "dlcore/layers/transformer_block.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/models/transformer.hpp"
#include "support/golden.hpp"
#include "support/gradcheck.hpp"

using namespace dl;
using testing::random_tensor;

namespace {
template <class T>
TransformerEncoderBlock<T> golden_block(const std::string& name, std::size_t heads) {
  using testing::golden;
  const auto W_1 = golden<T, 2>(name, "W_1");
  Rng rng(1);
  TransformerEncoderBlock<T> b(W_1.shape(1), heads, W_1.shape(0), rng);
  b.attn.W_in = golden<T, 2>(name, "W_in");
  b.attn.b_in = golden<T, 1>(name, "b_in");
  b.attn.W_out = golden<T, 2>(name, "W_out");
  b.attn.b_out = golden<T, 1>(name, "b_out");
  b.norm1.gamma = golden<T, 1>(name, "gamma1");
  b.norm1.beta = golden<T, 1>(name, "beta1");
  b.norm2.gamma = golden<T, 1>(name, "gamma2");
  b.norm2.beta = golden<T, 1>(name, "beta2");
  b.W_1 = W_1;
  b.b_1 = golden<T, 1>(name, "b_1");
  b.W_2 = golden<T, 2>(name, "W_2");
  b.b_2 = golden<T, 1>(name, "b_2");
  return b;
}

template <class T>
void require_golden_block(const std::string& name, std::size_t heads, double rtol, double atol) {
  using testing::golden;
  using testing::require_close;
  TransformerEncoderBlock<T> b = golden_block<T>(name, heads);
  Lengths lengths;
  if (std::filesystem::exists(testing::golden_dir(name) / "lengths.npy"))
    for (auto v : golden<std::int64_t, 1>(name, "lengths")) lengths.push_back(std::size_t(v));
  typename TransformerEncoderBlock<T>::Cache cache;
  const Context ctx{Mode::train, nullptr, lengths.empty() ? nullptr : &lengths};
  require_close("Y", b.forward(golden<T, 3>(name, "x"), cache, ctx), golden<T, 3>(name, "y"), rtol, atol);
  require_close("dX", b.backward(golden<T, 3>(name, "dy"), cache), golden<T, 3>(name, "dx"), rtol, atol);
  require_close("dW_in", b.attn.dW_in, golden<T, 2>(name, "dW_in"), rtol, atol);
  require_close("db_in", b.attn.db_in, golden<T, 1>(name, "db_in"), rtol, atol);
  require_close("dW_out", b.attn.dW_out, golden<T, 2>(name, "dW_out"), rtol, atol);
  require_close("db_out", b.attn.db_out, golden<T, 1>(name, "db_out"), rtol, atol);
  require_close("dgamma1", b.norm1.dgamma, golden<T, 1>(name, "dgamma1"), rtol, atol);
  require_close("dbeta1", b.norm1.dbeta, golden<T, 1>(name, "dbeta1"), rtol, atol);
  require_close("dW_1", b.dW_1, golden<T, 2>(name, "dW_1"), rtol, atol);
  require_close("db_1", b.db_1, golden<T, 1>(name, "db_1"), rtol, atol);
  require_close("dW_2", b.dW_2, golden<T, 2>(name, "dW_2"), rtol, atol);
  require_close("db_2", b.db_2, golden<T, 1>(name, "db_2"), rtol, atol);
  require_close("dgamma2", b.norm2.dgamma, golden<T, 1>(name, "dgamma2"), rtol, atol);
  require_close("dbeta2", b.norm2.dbeta, golden<T, 1>(name, "dbeta2"), rtol, atol);
}
}  // namespace

TEST_CASE("Transformer block backward matches central differences", "[transformer][gradcheck]") {
  Rng rng(8);
  TransformerEncoderBlock<double> b(8, 2, 12, rng);
  for (auto* v : {&b.norm1.gamma, &b.norm2.gamma}) for (auto& g : *v) g = rng.normal(1, 0.3);
  for (auto* v : {&b.norm1.beta, &b.norm2.beta, &b.attn.b_in, &b.attn.b_out}) for (auto& g : *v) g = rng.normal(0, 0.3);
  const std::array<std::size_t, 3> shape{5, 3, 8};
  SECTION("full sequences") { testing::check_layer(b, random_tensor<Tensor3<double>>(shape, 1)); }
  SECTION("padded sequences") {
    const Lengths lengths{3, 5, 1};
    const Context ctx{Mode::train, nullptr, &lengths};
    testing::check_layer_with(b, random_tensor<Tensor3<double>>(shape, 2),
                              [&](TransformerEncoderBlock<double>& l, const Tensor3<double>& x,
                                  TransformerEncoderBlock<double>::Cache& c) { return l.forward(x, c, ctx); });
  }
}

TEST_CASE("Transformer block equals torch.nn.TransformerEncoderLayer (post-norm, ReLU, no dropout)", "[transformer][golden]") {
  SECTION("double") { require_golden_block<double>("transformer_f64", 2, 1e-10, 1e-12); }
  SECTION("double, src_key_padding_mask") { require_golden_block<double>("transformer_padded", 2, 1e-10, 1e-12); }
  SECTION("float, E 64, 4 heads, F 256, 20 steps") { require_golden_block<float>("transformer_f32", 4, 1e-4, 1e-4); }
}

TEST_CASE("sinusoidal positional encoding: the table of Vaswani et al., and dx = dy", "[transformer]") {
  const Tensor2<double> P = PositionalEncoding<double>::table(50, 6);
  CHECK(P(0, 0) == 0.0);
  CHECK(P(0, 1) == 1.0);
  CHECK(P(7, 0) == Approx(std::sin(7.0)).epsilon(1e-14));
  CHECK(P(7, 3) == Approx(std::cos(7.0 / std::pow(10000.0, 2.0 / 6))).epsilon(1e-14));
  CHECK(P(49, 4) == Approx(std::sin(49.0 / std::pow(10000.0, 4.0 / 6))).epsilon(1e-14));
  PositionalEncoding<double> pe;
  pe.scale = 2.0;
  testing::check_layer(pe, random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{4, 2, 6}, 3));
}

TEST_CASE("MeanSteps averages each sequence over its own length", "[transformer]") {
  MeanSteps<double> mean;
  MeanSteps<double>::Cache cache;
  const Tensor3<double> x = {{{1.0}, {10.0}}, {{3.0}, {20.0}}, {{8.0}, {90.0}}};  // (3, 2, 1)
  const Lengths lengths{3, 2};
  const Tensor2<double> y = mean.forward(x, cache, Context{Mode::eval, nullptr, &lengths});
  CHECK(y(0, 0) == Approx(4.0));
  CHECK(y(1, 0) == Approx(15.0));  // 90 is padding
  const Context ctx{Mode::train, nullptr, &lengths};
  testing::check_layer_with(mean, random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{3, 2, 4}, 4),
                            [&](MeanSteps<double>& l, const Tensor3<double>& in, MeanSteps<double>::Cache& c) {
                              return l.forward(in, c, ctx);
                            });
}

TEST_CASE("the Transformer classifier: every parameter gradient through the loss matches central differences",
          "[transformer][gradcheck]") {
  Rng rng(9);
  Sequential<double> net = transformer_classifier<double>({7, 8, 2, 12, 3}, rng);
  REQUIRE(net.size() == 5);
  const Tensor2<double> ids = {{1, 2, 3, 4, 0}, {6, 5, 0, 0, 0}, {2, 2, 2, 1, 3}};
  const Lengths lengths{4, 2, 5};
  const Labels y = {0, 2, 1};
  SoftmaxCrossEntropy<double> loss;
  const Context ctx{Mode::train, nullptr, &lengths};
  auto objective = [&] {
    SoftmaxCrossEntropy<double>::Cache c;
    return double(loss.forward(net.forward2(ids, ctx), y, c));
  };
  net.zero_grad();
  SoftmaxCrossEntropy<double>::Cache c;
  loss.forward(net.forward2(ids, ctx), y, c);
  net.backward(loss.backward(c));
  for (const auto& p : net.params()) testing::require_gradient("d" + p.name, p.value, p.grad, p.size(), objective);
  // the padding of sequence 1 (ids 0 after its length) does not change its logits
  Tensor2<double> ids2 = ids;
  ids2(1, 3) = 4;
  const Tensor2<double> a = net.forward2(ids, ctx), b = net.forward2(ids2, ctx);
  for (std::size_t k = 0; k < 3; ++k) CHECK(a(1, k) == Approx(b(1, k)).epsilon(1e-13));
}

TEST_CASE("Transformer block rejects a wrong width", "[transformer][errors]") {
  Rng rng(10);
  TransformerEncoderBlock<double> b(8, 2, 16, rng);
  TransformerEncoderBlock<double>::Cache cache;
  CHECK_THROWS_WITH(b.forward(xt::zeros<double>({3, 2, 6}), cache),
                    Catch::Contains("TransformerEncoderBlock(8, 2 heads, 16)") && Catch::Contains("(3, 2, 6)"));
  CHECK_THROWS_AS(b.backward(xt::zeros<double>({3, 2, 8}), cache), ValueError);
  CHECK_THROWS_AS(TransformerEncoderBlock<double>(8, 3, 16, rng), ValueError);
}
