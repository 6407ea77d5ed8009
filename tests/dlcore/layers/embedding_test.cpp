#include <catch2/catch.hpp>

#include "dlcore/layers/embedding.hpp"
#include "dlcore/layers/last_step.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;

TEST_CASE("Embedding looks rows up and scatters gradients into the used rows only", "[embedding]") {
  Rng rng(1);
  Embedding<double> emb(5, 2, rng);
  emb.W = {{0, 1}, {2, 3}, {4, 5}, {6, 7}, {8, 9}};
  Embedding<double>::Cache cache;
  const Tensor2<double> ids = {{1, 4, 1}, {0, 1, 3}};  // (N = 2, T = 3)
  const Tensor3<double> y = emb.forward(ids, cache);
  REQUIRE(y.shape(0) == 3);  // time-major
  CHECK(y(0, 0, 0) == 2);
  CHECK(y(1, 0, 1) == 9);
  CHECK(y(2, 1, 0) == 6);
  const Tensor3<double> dy = xt::ones<double>({3, 2, 2});
  emb.backward(dy, cache);
  const Tensor2<double> expected = {{1, 1}, {3, 3}, {0, 0}, {1, 1}, {1, 1}};  // id 1 three times
  CHECK((emb.dW == expected));
}

TEST_CASE("Embedding equals torch.nn.Embedding, repeated ids included", "[embedding][golden]") {
  Embedding<double> emb;
  emb.W = golden<double, 2>("embedding", "W");
  emb.dW = xt::zeros_like(emb.W);
  Embedding<double>::Cache cache;
  const Tensor3<double> y = emb.forward(golden<double, 2>("embedding", "ids"), cache);
  require_close("Y", y, golden<double, 3>("embedding", "y"));
  emb.backward(golden<double, 3>("embedding", "dy"), cache);
  require_close("dW", emb.dW, golden<double, 2>("embedding", "dW"));
}

TEST_CASE("Embedding gradient matches central differences", "[embedding][gradcheck]") {
  Rng rng(2);
  Embedding<double> emb(6, 3, rng);
  const Tensor2<double> ids = {{0, 5, 5, 2}, {2, 2, 1, 0}};
  Embedding<double>::Cache cache;
  const Tensor3<double> y = emb.forward(ids, cache);
  const auto R = testing::random_like(y, 3);
  emb.dW.fill(0);
  emb.backward(R, cache);
  auto objective = [&] {
    Embedding<double>::Cache c;
    const auto yy = emb.forward(ids, c);
    double s = 0;
    for (std::size_t i = 0; i < yy.size(); ++i) s += R.data()[i] * yy.data()[i];
    return s;
  };
  testing::require_gradient("dW", emb.W.data(), emb.dW.data(), emb.W.size(), objective);
}

TEST_CASE("Embedding refuses ids that are not integers from 0 to V - 1", "[embedding][errors]") {
  Rng rng(1);
  Embedding<float> emb(4, 2, rng);
  Embedding<float>::Cache cache;
  CHECK_THROWS_WITH(emb.forward(Tensor2<float>{{0, 4}}, cache),
                    Catch::Contains("Embedding(4 -> 2)") && Catch::Contains("sequence 0, step 1"));
  CHECK_THROWS_AS(emb.forward(Tensor2<float>{{0.5f}}, cache), ValueError);
  CHECK_THROWS_AS(emb.forward(Tensor2<float>{{-1}}, cache), ValueError);
}

TEST_CASE("LastStep takes each sequence's last valid step and routes the gradient back", "[last_step][gradcheck]") {
  LastStep<double> last;
  const Lengths lengths{3, 1};
  Context ctx;
  ctx.lengths = &lengths;
  const Tensor3<double> x = testing::random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{3, 2, 4}, 1);
  LastStep<double>::Cache cache;
  const Tensor2<double> y = last.forward(x, cache, ctx);
  CHECK(y(0, 2) == x(2, 0, 2));
  CHECK(y(1, 3) == x(0, 1, 3));
  testing::check_layer_with(last, x, [&](LastStep<double>& l, const Tensor3<double>& in, LastStep<double>::Cache& c) {
    return l.forward(in, c, ctx);
  });
  const Tensor2<double> y_all = last.forward(x, cache);  // no lengths: the last step
  CHECK(y_all(1, 0) == x(2, 1, 0));
}
