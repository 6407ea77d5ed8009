// Conv1D over time: a value worked by hand, central differences (whole and ragged batches),
// parity with torch.nn.Conv1d(padding='same') run on each sequence alone, bad shapes.
#include <catch2/catch.hpp>

#include "dlcore/layers/conv1d.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;

namespace {
template <class T>
Context with_lengths(const Lengths& L) {
  Context ctx;
  ctx.lengths = &L;
  return ctx;
}
}  // namespace

TEST_CASE("Conv1D slides its filters over time with zero padding at both ends", "[conv1d]") {
  Rng rng(1);
  Conv1D<double> conv(1, 1, 3, rng);
  conv.W = Tensor3<double>{{{1, 2, 3}}};  // y_t = 1 x_{t-1} + 2 x_t + 3 x_{t+1} + b
  conv.b = {0.5};
  const Tensor3<double> x = {{{1}}, {{10}}, {{100}}, {{1000}}};  // (T = 4, N = 1, D = 1)
  Conv1D<double>::Cache cache;
  const Tensor3<double> y = conv.forward(x, cache);
  CHECK(y(0, 0, 0) == 0.5 + 2 * 1 + 3 * 10);         // x_{-1} is padding
  CHECK(y(1, 0, 0) == 0.5 + 1 + 20 + 300);
  CHECK(y(3, 0, 0) == 0.5 + 100 + 2000);             // x_4 is padding
  const Lengths L{2};                                 // the same word cut after 2 steps
  const Tensor3<double> y2 = conv.forward(x, cache, with_lengths<double>(L));
  CHECK(y2(1, 0, 0) == 0.5 + 1 + 20);                 // x_2 lies past the end: read as 0
  CHECK(y2(2, 0, 0) == 0);                            // padded steps output 0
  CHECK(y2(3, 0, 0) == 0);
}

TEST_CASE("Conv1D gradients match central differences", "[conv1d][gradcheck]") {
  for (std::size_t k : {1, 2, 3, 4, 5}) {
    INFO("kernel " << k);
    Rng rng(k);
    Conv1D<double> conv(3, 4, k, rng);
    for (auto& v : conv.b) v = rng.normal();
    const auto x = testing::random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{6, 3, 3}, 10 + k);
    testing::check_layer(conv, x);
    const Lengths L{6, 2, 1};  // ragged, a one-step sequence included
    const Context ctx = with_lengths<double>(L);
    testing::check_layer_with(conv, x, [&](Conv1D<double>& l, const Tensor3<double>& in, Conv1D<double>::Cache& c) {
      return l.forward(in, c, ctx);
    });
  }
}

TEST_CASE("Conv1D equals torch.nn.Conv1d(padding='same') on each sequence alone", "[conv1d][golden]") {
  for (const char* name : {"conv1d_k3", "conv1d_k4", "conv1d_ragged"}) {
    INFO(name);
    Conv1D<double> conv;
    conv.W = golden<double, 3>(name, "W");
    conv.b = golden<double, 1>(name, "b");
    conv.dW = xt::zeros_like(conv.W);
    conv.db = xt::zeros_like(conv.b);
    const Tensor1<double> lv = golden<double, 1>(name, "lengths");
    Lengths L(lv.begin(), lv.end());
    const Context ctx = with_lengths<double>(L);
    Conv1D<double>::Cache cache;
    const Tensor3<double> y = conv.forward(golden<double, 3>(name, "x"), cache, ctx);
    require_close("Y", y, golden<double, 3>(name, "y"));
    const Tensor3<double> dx = conv.backward(golden<double, 3>(name, "dy"), cache);
    require_close("dX", dx, golden<double, 3>(name, "dx"));
    require_close("dW", conv.dW, golden<double, 3>(name, "dW"));
    require_close("db", conv.db, golden<double, 1>(name, "db"));
  }
  // float, a batch of 16 words of 20 to 5 letters, as the chapter's reader sees them
  Conv1D<float> conv;
  conv.W = golden<float, 3>("conv1d_f32", "W");
  conv.b = golden<float, 1>("conv1d_f32", "b");
  conv.dW = xt::zeros_like(conv.W);
  conv.db = xt::zeros_like(conv.b);
  const Tensor1<float> lv = golden<float, 1>("conv1d_f32", "lengths");
  Lengths L;
  for (float v : lv) L.push_back(std::size_t(v));
  const Context ctx = with_lengths<float>(L);
  Conv1D<float>::Cache cache;
  require_close("Y", conv.forward(golden<float, 3>("conv1d_f32", "x"), cache, ctx), golden<float, 3>("conv1d_f32", "y"), 1e-4, 1e-5);
  require_close("dX", conv.backward(golden<float, 3>("conv1d_f32", "dy"), cache), golden<float, 3>("conv1d_f32", "dx"), 1e-4, 1e-5);
  require_close("dW", conv.dW, golden<float, 3>("conv1d_f32", "dW"), 1e-4, 1e-4);
  require_close("db", conv.db, golden<float, 1>("conv1d_f32", "db"), 1e-4, 1e-4);
}

TEST_CASE("Conv1D refuses inputs of the wrong width and bad lengths, naming itself", "[conv1d][errors]") {
  Rng rng(1);
  Conv1D<float> conv(4, 2, 3, rng);
  Conv1D<float>::Cache cache;
  CHECK_THROWS_WITH(conv.forward(Tensor3<float>::from_shape({5, 2, 3}), cache),
                    Catch::Contains("Conv1D(4 -> 2, k 3)") && Catch::Contains("(5, 2, 3)") && Catch::Contains("(T, N, 4)"));
  const Lengths too_long{6, 1};
  Context ctx;
  ctx.lengths = &too_long;
  CHECK_THROWS_AS(conv.forward(Tensor3<float>::from_shape({5, 2, 4}), cache, ctx), ValueError);
  CHECK_THROWS_AS(Conv1D<float>(4, 2, 0, rng), ValueError);
  conv.forward(xt::zeros<float>({5, 2, 4}), cache);
  CHECK_THROWS_AS(conv.backward(xt::zeros<float>({5, 2, 3}), cache), ShapeError);
}
