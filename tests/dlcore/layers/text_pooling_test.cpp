// Pooling a sequence batch over time: MaxOverTime and AttentionPool, each with values worked by
// hand, central differences on whole and ragged batches, and bad shapes.
#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/layers/attention_pool.hpp"
#include "dlcore/layers/max_over_time.hpp"
#include "support/gradcheck.hpp"

using namespace dl;

namespace {
Tensor3<double> distinct_values(std::size_t T, std::size_t N, std::size_t C, std::uint64_t seed) {
  // random values a permutation apart: no ties, every max at least 0.05 above the runner-up
  Rng rng(seed);
  const auto order = rng.permutation(T * N * C);
  Tensor3<double> x = Tensor3<double>::from_shape({T, N, C});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = 0.05 * double(order[i]) - 1.0;
  return x;
}
}  // namespace

TEST_CASE("MaxOverTime takes each feature's largest value over a sequence's own steps", "[max_over_time]") {
  const Tensor3<double> x = {{{1, -5}, {0, 0}}, {{3, -7}, {9, 9}}, {{2, -1}, {8, 8}}};  // (T = 3, N = 2, C = 2)
  MaxOverTime<double> pool;
  MaxOverTime<double>::Cache cache;
  const Tensor2<double> y = pool.forward(x, cache);
  CHECK(y(0, 0) == 3);
  CHECK(y(0, 1) == -1);
  CHECK(y(1, 0) == 9);
  const Lengths L{2, 1};  // sequence 1 has only step 0
  Context ctx;
  ctx.lengths = &L;
  const Tensor2<double> yl = pool.forward(x, cache, ctx);
  CHECK(yl(0, 1) == -5);  // steps 0..1 of sequence 0: max(-5, -7)
  CHECK(yl(1, 0) == 0);   // the 9 at step 1 is padding
  const Tensor3<double> dx = pool.backward(Tensor2<double>{{1, 2}, {3, 4}}, cache);
  CHECK(dx(1, 0, 0) == 1);  // the winners get the gradient
  CHECK(dx(0, 0, 1) == 2);
  CHECK(dx(0, 1, 0) == 3);
  CHECK(xt::sum(dx)() == 10);  // and nothing else
}

TEST_CASE("MaxOverTime gradient matches central differences", "[max_over_time][gradcheck]") {
  MaxOverTime<double> pool;
  const Tensor3<double> x = distinct_values(5, 3, 4, 1);
  testing::check_layer(pool, x);
  const Lengths L{5, 2, 1};
  Context ctx;
  ctx.lengths = &L;
  testing::check_layer_with(pool, x, [&](MaxOverTime<double>& l, const Tensor3<double>& in, MaxOverTime<double>::Cache& c) {
    return l.forward(in, c, ctx);
  });
}

TEST_CASE("AttentionPool weighs the steps by a softmax of the query's scores", "[attention_pool]") {
  AttentionPool<double> att(2);
  att.q = {1.0, 0.0};  // the score is the first feature
  const Tensor3<double> x = {{{0, 10}}, {{std::log(3.0), 20}}, {{5, 30}}};  // (T = 3, N = 1, H = 2)
  const Lengths L{2};
  Context ctx;
  ctx.lengths = &L;
  AttentionPool<double>::Cache cache;
  const Tensor2<double> y = att.forward(x, cache, ctx);
  CHECK(cache.alpha(0, 0) == Approx(0.25));  // e^0 : e^{log 3} = 1 : 3
  CHECK(cache.alpha(0, 1) == Approx(0.75));
  CHECK(cache.alpha(0, 2) == 0);             // padding
  CHECK(y(0, 1) == Approx(0.25 * 10 + 0.75 * 20));
  AttentionPool<double> zero(2);  // q = 0: the mean of the valid steps
  const Tensor2<double> mean = zero.forward(x, cache);
  CHECK(mean(0, 1) == Approx(20));
}

TEST_CASE("AttentionPool gradients match central differences", "[attention_pool][gradcheck]") {
  AttentionPool<double> att(4);
  att.q = {0.7, -1.1, 0.4, 0.9};
  const auto x = testing::random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{5, 3, 4}, 3);
  testing::check_layer(att, x);
  const Lengths L{5, 3, 1};
  Context ctx;
  ctx.lengths = &L;
  testing::check_layer_with(att, x, [&](AttentionPool<double>& l, const Tensor3<double>& in, AttentionPool<double>::Cache& c) {
    return l.forward(in, c, ctx);
  });
}

TEST_CASE("Pooling layers refuse bad shapes and lengths", "[attention_pool][max_over_time][errors]") {
  AttentionPool<float> att(4);
  AttentionPool<float>::Cache ca;
  CHECK_THROWS_WITH(att.forward(Tensor3<float>::from_shape({3, 2, 5}), ca),
                    Catch::Contains("AttentionPool(4)") && Catch::Contains("(3, 2, 5)"));
  const Lengths bad{4, 1};
  Context ctx;
  ctx.lengths = &bad;
  CHECK_THROWS_AS(att.forward(Tensor3<float>::from_shape({3, 2, 4}), ca, ctx), ValueError);
  MaxOverTime<float> pool;
  MaxOverTime<float>::Cache cm;
  CHECK_THROWS_AS(pool.forward(Tensor3<float>::from_shape({3, 2, 4}), cm, ctx), ValueError);
  pool.forward(xt::zeros<float>({3, 2, 4}), cm);
  CHECK_THROWS_AS(pool.backward(xt::zeros<float>({2, 5}), cm), ShapeError);
  CHECK_THROWS_AS(AttentionPool<float>(0), ValueError);
}
