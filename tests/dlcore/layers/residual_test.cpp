#include <catch2/catch.hpp>

#include <array>
#include <string>

#include "dlcore/layers/residual.hpp"
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
void randomise(ResidualBlock<double>& blk) {
  std::uint64_t seed = 20;
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

// Like testing::check_layer_with, except for a convolution bias that feeds a BN in train
// mode: BN subtracts the batch mean, so that bias's gradient is exactly 0 (Chapter 10) and a
// relative error of two rounding noises means nothing; it is checked to be 0 instead.
void check_block(ResidualBlock<double>& blk, Tensor4<double> x, const Context& ctx) {
  ResidualBlock<double>::Cache cache;
  const Tensor4<double> y = blk.forward(x, cache, ctx);
  const auto R = testing::random_like(y, 99);
  zero_grad(blk.params());
  Tensor4<double> dx = blk.backward(R, cache);
  auto objective = [&] {
    ResidualBlock<double>::Cache c;
    const Tensor4<double> yy = blk.forward(x, c, ctx);
    double s = 0;
    for (std::size_t i = 0; i < yy.size(); ++i) s += R.data()[i] * yy.data()[i];
    return s;
  };
  REQUIRE(dx.size() == x.size());
  testing::require_gradient("dX", x.data(), dx.data(), x.size(), objective);
  for (const auto& p : blk.params()) {
    const bool before_bn = p.name == "conv1.b" || p.name == "conv2.b" || (p.name == "proj.b" && blk.proj_batchnorm);
    if (ctx.mode == Mode::train && before_bn) {
      INFO(p.name << " feeds a train-mode BN: its gradient must vanish");
      for (std::size_t i = 0; i < p.size(); ++i) CHECK(std::abs(p.grad[i]) < 1e-10);
    } else {
      testing::require_gradient("d" + p.name, p.value, p.grad, p.size(), objective);
    }
  }
}

// golden file name of a parameter: "conv1.W" -> "conv1_W"
std::string golden_name(std::string name) {
  for (auto& ch : name) ch = ch == '.' ? '_' : ch;
  return name;
}

template <class Ref>
void load_golden(const std::string& c, const Ref& p) {
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

template <class Ref>
void compare_golden(const std::string& what, const std::string& c, const std::string& name, const Ref& p,
                    const double* values) {
  const std::size_t n = p.size();
  if (p.shape.size() == 1) {
    const auto g = golden<double, 1>(c, name);
    Tensor1<double> v = Tensor1<double>::from_shape({n});
    std::copy(values, values + n, v.data());
    require_close(what, v, g, 1e-9, 1e-11);
  } else {
    const auto g = golden<double, 4>(c, name);
    Tensor4<double> v = Tensor4<double>::from_shape(g.shape());
    REQUIRE(v.size() == n);
    std::copy(values, values + n, v.data());
    require_close(what, v, g, 1e-9, 1e-11);
  }
}
}  // namespace

TEST_CASE("ResidualBlock with an identity shortcut: the output is relu(F(x) + x)", "[residual]") {
  Rng rng(1);
  ResidualBlock<double> blk(2, 2, rng);
  CHECK(blk.shortcut == Shortcut::identity);
  CHECK(blk.describe() == "ResidualBlock(2 -> 2, stride 1, identity)");
  // F = 0 (second BN's gamma and beta 0): the block is relu(x)
  blk.bn2.gamma.fill(0.0);
  ResidualBlock<double>::Cache cache;
  const auto x = random4(2, 2, 4, 4, 3);
  const Tensor4<double> y = blk.forward(x, cache, kTrain);
  require_close("Y with F = 0", y, Tensor4<double>(xt::maximum(x, 0.0)));
  // the gradient of relu(x) reaches x through the shortcut alone
  const auto dy = random4(2, 2, 4, 4, 4);
  const Tensor4<double> dx = blk.backward(dy, cache);
  require_close("dX with F = 0", dx, Tensor4<double>(dy * xt::cast<double>(x > 0.0)));
}

TEST_CASE("ResidualBlock backward matches central differences", "[residual][gradcheck]") {
  Rng rng(2);
  SECTION("identity shortcut, train") {
    ResidualBlock<double> blk(3, 3, rng);
    randomise(blk);
    check_block(blk, random4(2, 3, 5, 4, 5), kTrain);
  }
  SECTION("projection shortcut with BN, stride 2, train") {
    ResidualBlock<double> blk(2, 3, rng, 2);
    CHECK(blk.shortcut == Shortcut::projection);
    randomise(blk);
    check_block(blk, random4(3, 2, 5, 6, 6), kTrain);
  }
  SECTION("projection without BN, eval") {
    ResidualBlock<double> blk(2, 3, rng, 1, Shortcut::projection, /*proj_batchnorm=*/false);
    randomise(blk);
    check_block(blk, random4(2, 2, 4, 4, 7), kEval);
  }
  SECTION("no shortcut (plain block), train") {
    ResidualBlock<double> blk(2, 2, rng, 1, Shortcut::none);
    randomise(blk);
    check_block(blk, random4(2, 2, 4, 5, 8), kTrain);
  }
}

void block_parity(const std::string& c, std::size_t c_in, std::size_t c_out, std::size_t stride) {
  Rng rng(1);
  ResidualBlock<double> blk(c_in, c_out, rng, stride);
  for (const auto& p : blk.params()) load_golden(c, p);
  ResidualBlock<double>::Cache cache;
  const Tensor4<double> x = golden<double, 4>(c, "x");
  const Tensor4<double> y = blk.forward(x, cache, kTrain);
  const Tensor4<double> dx = blk.backward(golden<double, 4>(c, "dy"), cache);
  require_close("y", y, golden<double, 4>(c, "y"), 1e-9, 1e-11);
  require_close("dx", dx, golden<double, 4>(c, "dx"), 1e-9, 1e-11);
  for (const auto& p : blk.params()) compare_golden("d" + p.name, c, "d" + golden_name(p.name), p, p.grad);
  for (const auto& b : blk.buffers()) compare_golden(b.name, c, golden_name(b.name), b, b.value);
  require_close("y_eval", blk.forward(x, cache, kEval), golden<double, 4>(c, "y_eval"), 1e-9, 1e-11);
}

TEST_CASE("ResidualBlock matches a PyTorch block (identity and projection)", "[residual][pytorch]") {
  block_parity("residual_identity", 3, 3, 1);
  block_parity("residual_projection", 3, 4, 2);
}

TEST_CASE("ResidualBlock in a Sequential: named parameters and buffers", "[residual]") {
  Rng rng(3);
  Sequential<float> net;
  net.add(ResidualBlock<float>(1, 4, rng, 2)).add(ResidualBlock<float>(4, 4, rng));
  const auto params = net.params();
  // block 0: conv1 (W, b), bn1, conv2, bn2, proj, proj_bn = 12; block 1: 8
  REQUIRE(params.size() == 20);
  CHECK(params[0].name == "0.conv1.W");
  CHECK(params[2].name == "0.bn1.gamma");
  CHECK(params[8].name == "0.proj.W");
  CHECK(params[11].name == "0.proj_bn.beta");
  CHECK(params[12].name == "1.conv1.W");
  CHECK(net.buffers().size() == 6 + 4);
  CHECK(net.buffers()[4].name == "0.proj_bn.running_mean");
  AnyTensor<float> x = Tensor4<float>(xt::ones<float>({2, 1, 8, 8}));
  const AnyTensor<float> y = net.forward(x, kTrain);
  CHECK(shape_of_any(y) == std::vector<std::size_t>{2, 4, 4, 4});
  net.first_input_grad = true;
  CHECK(shape_of_any(net.backward(y)) == std::vector<std::size_t>{2, 1, 8, 8});
}

TEST_CASE("ResidualBlock rejects bad shapes and impossible identity shortcuts", "[residual][errors]") {
  Rng rng(4);
  REQUIRE_THROWS_WITH(ResidualBlock<float>(3, 4, rng, 1, Shortcut::identity),
                      Catch::Contains("identity shortcut") && Catch::Contains("3 -> 4"));
  REQUIRE_THROWS_AS(ResidualBlock<float>(4, 4, rng, 2, Shortcut::identity), ValueError);
  ResidualBlock<float> blk(4, 4, rng);
  ResidualBlock<float>::Cache cache;
  REQUIRE_THROWS_WITH(blk.forward(xt::zeros<float>({2, 3, 5, 5}), cache, kTrain),
                      Catch::Contains("ResidualBlock(4 -> 4") && Catch::Contains("(2, 3, 5, 5)") &&
                          Catch::Contains("(N, 4, H, W)"));
  blk.forward(xt::ones<float>({2, 4, 5, 5}), cache, kTrain);
  REQUIRE_THROWS_WITH(blk.backward(xt::zeros<float>({2, 4, 5, 4}), cache),
                      Catch::Contains("dY") && Catch::Contains("(2, 4, 5, 4)"));
}
