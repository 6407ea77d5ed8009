#include <catch2/catch.hpp>

#include <array>
#include <string>

#include "dlcore/layers/bottleneck.hpp"
#include "dlcore/train/sequential.hpp"
#include "support/golden.hpp"
#include "support/gradcheck.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;
using testing::random4;
using testing::kEval;
using testing::kTrain;

namespace {

// Every parameter and buffer away from its default, so each one is tested.
void randomise(Bottleneck<double>& blk) {
  std::uint64_t seed = 30;
  for (const auto& p : blk.params()) {
    Rng rng(seed++);
    const bool gamma = p.name.find("gamma") != std::string::npos;
    for (std::size_t i = 0; i < p.size(); ++i) p.value[i] = (gamma ? 1.0 : 0.0) + 0.4 * rng.normal();
  }
  for (const auto& b : blk.buffers()) {
    Rng rng(seed++);
    const bool var = b.name.find("var") != std::string::npos;
    for (std::size_t i = 0; i < b.size(); ++i) b.value[i] = var ? 0.5 + std::abs(rng.normal()) : 0.3 * rng.normal();
  }
}

void check_block(Bottleneck<double>& blk, const Tensor4<double>& x, const Context& ctx) {
  testing::check_layer_with(blk, x, [&](Bottleneck<double>& b, const Tensor4<double>& in, Bottleneck<double>::Cache& c) {
    return b.forward(in, c, ctx);
  });
}

std::string golden_name(std::string name) {  // "conv1.W" -> "conv1_W"
  for (auto& ch : name) ch = ch == '.' ? '_' : ch;
  return name;
}

template <std::size_t Rank>
xt::xtensor<double, Rank> as_tensor(const ParamRef<double>& p, const double* values) {
  std::array<std::size_t, Rank> shape;
  std::copy(p.shape.begin(), p.shape.end(), shape.begin());
  xt::xtensor<double, Rank> t = xt::xtensor<double, Rank>::from_shape(shape);
  std::copy(values, values + p.size(), t.data());
  return t;
}

void compare(const std::string& c, const std::string& name, const ParamRef<double>& p, const double* values) {
  if (p.shape.size() == 1)
    require_close(name, as_tensor<1>(p, values), golden<double, 1>(c, golden_name(name)), 1e-9, 1e-11);
  else
    require_close(name, as_tensor<4>(p, values), golden<double, 4>(c, golden_name(name)), 1e-9, 1e-11);
}

void block_parity(const std::string& c, std::size_t c_in, std::size_t width, std::size_t stride) {
  Rng rng(1);
  Bottleneck<double> blk(c_in, width, rng, stride);
  for (const auto& p : blk.params()) {  // PyTorch's parameters
    if (p.shape.size() == 1) {
      const auto v = golden<double, 1>(c, golden_name(p.name));
      REQUIRE(v.size() == p.size());
      std::copy(v.begin(), v.end(), p.value);
    } else {
      const auto v = golden<double, 4>(c, golden_name(p.name));
      REQUIRE(v.size() == p.size());
      std::copy(v.begin(), v.end(), p.value);
    }
  }
  Bottleneck<double>::Cache cache;
  const Tensor4<double> x = golden<double, 4>(c, "x");
  const Tensor4<double> y = blk.forward(x, cache, kTrain);
  const Tensor4<double> dx = blk.backward(golden<double, 4>(c, "dy"), cache);
  require_close("y", y, golden<double, 4>(c, "y"), 1e-9, 1e-11);
  require_close("dx", dx, golden<double, 4>(c, "dx"), 1e-9, 1e-11);
  for (const auto& p : blk.params()) compare(c, "d" + p.name, p, p.grad);
  for (const auto& b : blk.buffers()) compare(c, b.name, b, b.value);
  require_close("y_eval", blk.forward(x, cache, kEval), golden<double, 4>(c, "y_eval"), 1e-9, 1e-11);
}
}  // namespace

TEST_CASE("Bottleneck: shapes, shortcut choice and parameter count", "[bottleneck]") {
  Rng rng(1);
  Bottleneck<float> first(64, 64, rng);  // ResNet-50's first block: 64 -> 256, projection
  CHECK(first.projection);
  CHECK(first.c_out() == 256);
  CHECK(first.describe() == "Bottleneck(64 -> 64 -> 256, stride 1, projection)");
  // 1x1 64->64, 3x3 64->64, 1x1 64->256, projection 1x1 64->256 (no biases), and four BNs
  std::size_t n = 0;
  for (const auto& p : first.params()) n += p.size();
  CHECK(n == 64 * 64 + 9 * 64 * 64 + 64 * 256 + 64 * 256 + 2 * (64 + 64 + 256 + 256));
  Bottleneck<float> same(256, 64, rng);
  CHECK_FALSE(same.projection);
  CHECK(same.params().size() == 9);  // three W, three gamma, three beta
  Bottleneck<float> down(256, 128, rng, 2);
  CHECK(down.projection);
  CHECK(down.describe() == "Bottleneck(256 -> 128 -> 512, stride 2, projection)");
  Bottleneck<float>::Cache cache;
  const Tensor4<float> y = down.forward(xt::ones<float>({2, 256, 7, 7}), cache, kTrain);
  CHECK(y.shape() == std::array<std::size_t, 4>{2, 512, 4, 4});
}

TEST_CASE("Bottleneck with F = 0 is relu(x) and passes dy through the shortcut", "[bottleneck]") {
  Rng rng(2);
  Bottleneck<double> blk(8, 2, rng);
  blk.bn3.gamma.fill(0.0);  // F(x) = BN_3(...) = beta = 0
  Bottleneck<double>::Cache cache;
  const auto x = random4(2, 8, 3, 3, 3);
  const Tensor4<double> y = blk.forward(x, cache, kTrain);
  require_close("Y with F = 0", y, Tensor4<double>(xt::maximum(x, 0.0)));
  const auto dy = random4(2, 8, 3, 3, 4);
  require_close("dX with F = 0", blk.backward(dy, cache), Tensor4<double>(dy * xt::cast<double>(x > 0.0)));
}

TEST_CASE("Bottleneck backward matches central differences", "[bottleneck][gradcheck]") {
  Rng rng(3);
  SECTION("identity shortcut, train") {
    Bottleneck<double> blk(8, 2, rng);
    randomise(blk);
    check_block(blk, random4(2, 8, 4, 3, 5), kTrain);
  }
  SECTION("projection, stride 2, train") {
    Bottleneck<double> blk(3, 2, rng, 2);
    randomise(blk);
    check_block(blk, random4(2, 3, 5, 6, 6), kTrain);
  }
  SECTION("projection, stride 1, eval") {
    Bottleneck<double> blk(3, 2, rng);
    randomise(blk);
    check_block(blk, random4(2, 3, 4, 4, 7), kEval);
  }
}

TEST_CASE("Bottleneck matches torchvision's block in PyTorch (projection and identity)", "[bottleneck][pytorch]") {
  block_parity("bottleneck_projection", 3, 2, 2);
  block_parity("bottleneck_identity", 8, 2, 1);
}

TEST_CASE("Bottleneck in a Sequential: named parameters, buffers, no input gradient first", "[bottleneck]") {
  Rng rng(4);
  Sequential<float> net;
  net.add(Bottleneck<float>(4, 2, rng, 2)).add(Bottleneck<float>(8, 2, rng));
  const auto params = net.params();
  REQUIRE(params.size() == 12 + 9);
  CHECK(params[0].name == "0.conv1.W");
  CHECK(params[1].name == "0.bn1.gamma");
  CHECK(params[9].name == "0.proj.W");
  CHECK(params[12].name == "1.conv1.W");
  CHECK(net.buffers().size() == 8 + 6);
  AnyTensor<float> x = testing::random_tensor<Tensor4<float>>(std::array<std::size_t, 4>{2, 4, 6, 6}, 9);
  const AnyTensor<float> y = net.forward(x, kTrain);
  CHECK(shape_of_any(y) == std::vector<std::size_t>{2, 8, 3, 3});
  const AnyTensor<float> dx = net.backward(y);
  CHECK(std::visit([](const auto& t) { return t.size(); }, dx) == 0);  // the first block computes no dX...
  CHECK(net.params()[0].grad[0] != 0.0f);                               // ...but its weights still learn
}

TEST_CASE("Bottleneck rejects bad sizes and shapes", "[bottleneck][errors]") {
  Rng rng(5);
  REQUIRE_THROWS_AS(Bottleneck<float>(4, 0, rng), ValueError);
  Bottleneck<float> blk(8, 2, rng);
  Bottleneck<float>::Cache cache;
  REQUIRE_THROWS_WITH(blk.forward(xt::zeros<float>({2, 3, 5, 5}), cache, kTrain),
                      Catch::Contains("Bottleneck(8 -> 2 -> 8") && Catch::Contains("(2, 3, 5, 5)") &&
                          Catch::Contains("(N, 8, H, W)"));
  blk.forward(xt::ones<float>({2, 8, 5, 5}), cache, kTrain);
  REQUIRE_THROWS_WITH(blk.backward(xt::zeros<float>({2, 8, 5, 4}), cache), Catch::Contains("dY"));
}
