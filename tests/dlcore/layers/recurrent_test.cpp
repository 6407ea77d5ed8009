// The recurrent engine shared by RNN, LSTM and GRU: what lies in the padding of a ragged
// batch changes nothing, bit for bit, and each sequence gets its own result (to rounding:
// BLAS sums each product in an order that depends on the product's shape); the threads'
// split of the batch changes only the last bits; the layers work inside Sequential and fit
// (sequence batches (T, N, D), examples along axis 1), and save and load through a model file.
#include <catch2/catch.hpp>

#include "dlcore/core/parallel.hpp"
#include "dlcore/io/params.hpp"
#include "dlcore/layers/gru.hpp"
#include "dlcore/layers/last_step.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/lstm.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/optim/adam.hpp"
#include "dlcore/train/check_gradients.hpp"
#include "dlcore/train/fit.hpp"
#include "support/recurrent.hpp"
#include "support/scratch.hpp"

using namespace dl;
using testing::random_tensor;

namespace {
// The first `steps` steps of sequence n of a (T, N, W) tensor, as a (steps, 1, W) tensor.
Tensor3<double> sequence(const Tensor3<double>& x, std::size_t n, std::size_t steps) {
  Tensor3<double> s = Tensor3<double>::from_shape({steps, 1, x.shape(2)});
  for (std::size_t t = 0; t < steps; ++t)
    for (std::size_t j = 0; j < x.shape(2); ++j) s(t, 0, j) = x(t, n, j);
  return s;
}
Tensor2<double> row_of(const Tensor2<double>& m, std::size_t n) {
  Tensor2<double> r = Tensor2<double>::from_shape({1, m.shape(1)});
  for (std::size_t j = 0; j < m.shape(1); ++j) r(0, j) = m(n, j);
  return r;
}
}  // namespace

TEMPLATE_TEST_CASE("A padded batch gives each sequence the result it gets alone",
                   "[recurrent][masking]", RNN<double>, LSTM<double>, GRU<double>) {
  Rng rng(11);
  TestType layer(3, 4, rng);
  const Lengths lengths{5, 2, 4, 1};
  const std::size_t T = 5, N = 4, H = 4;
  Tensor3<double> x = random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{T, N, 3}, 1);
  Tensor3<double> dy = random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{T, N, H}, 2);
  for (std::size_t n = 0; n < N; ++n)  // garbage in the padding: it must not matter
    for (std::size_t t = lengths[n]; t < T; ++t) {
      for (std::size_t j = 0; j < 3; ++j) x(t, n, j) = 1e3;
      for (std::size_t j = 0; j < H; ++j) dy(t, n, j) = -1e3;
    }
  const bool lstm = std::is_same_v<TestType, LSTM<double>>;
  RecurrentState<double> init{random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{N, H}, 3), {}};
  RecurrentState<double> dfin{random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{N, H}, 4), {}};
  if (lstm) {
    init.c = random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{N, H}, 5);
    dfin.c = random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{N, H}, 6);
  }
  typename TestType::Cache cache;
  zero_grad(layer.params());
  const Tensor3<double> y = layer.run(x, init, &lengths, cache);
  const auto fin = cache.final_state();
  const auto g = layer.backward_full(dy, dfin, cache);
  const auto batch_grads = layer.params();
  std::vector<Tensor1<double>> summed;
  for (const auto& p : batch_grads) summed.push_back(Tensor1<double>(xt::zeros<double>({p.size()})));

  // Exactly: other garbage in the padding gives the same numbers, bit for bit.
  {
    Tensor3<double> x2 = x, dy2 = dy;
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t t = lengths[n]; t < T; ++t) {
        for (std::size_t j = 0; j < 3; ++j) x2(t, n, j) = -7.0 * double(j + t);
        for (std::size_t j = 0; j < H; ++j) dy2(t, n, j) = 5.0;
      }
    TestType again = layer;
    zero_grad(again.params());
    typename TestType::Cache c2;
    CHECK((again.run(x2, init, &lengths, c2) == y));
    const auto g2 = again.backward_full(dy2, dfin, c2);
    CHECK((g2.dh0 == g.dh0));
    CHECK((again.dW_hh == layer.dW_hh));
    CHECK((again.dW_ih == layer.dW_ih));
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t t = 0; t < lengths[n]; ++t) CHECK(g2.dx(t, n, 0) == g.dx(t, n, 0));
  }
  // Alone: the same numbers to rounding (a relative 1e-13 in double; BLAS adds up a product
  // of 1 row in another order than one of 4 rows).
  const auto same = [](double a, double b) { return std::abs(a - b) <= 1e-13 * std::max(1.0, std::abs(b)); };
  for (std::size_t n = 0; n < N; ++n) {
    INFO("sequence " << n << " of length " << lengths[n]);
    TestType alone = layer;
    zero_grad(alone.params());
    typename TestType::Cache c1;
    RecurrentState<double> i1{row_of(init.h, n), lstm ? row_of(init.c, n) : Tensor2<double>{}};
    RecurrentState<double> d1{row_of(dfin.h, n), lstm ? row_of(dfin.c, n) : Tensor2<double>{}};
    const Tensor3<double> y1 = alone.run(sequence(x, n, lengths[n]), i1, nullptr, c1);
    const auto g1 = alone.backward_full(sequence(dy, n, lengths[n]), d1, c1);
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t j = 0; j < H; ++j) {
        if (t < lengths[n]) {
          CHECK(same(y(t, n, j), y1(t, 0, j)));
          CHECK(same(g.dx(t, n, 0), g1.dx(t, 0, 0)));
        } else {
          CHECK(y(t, n, j) == 0.0);        // padded steps output zeros
          CHECK(g.dx(t, n, 0) == 0.0);     // and receive no gradient
        }
      }
    const auto f1 = c1.final_state();
    for (std::size_t j = 0; j < H; ++j) {
      CHECK(same(fin.h(n, j), f1.h(0, j)));
      CHECK(same(g.dh0(n, j), g1.dh0(0, j)));
      if (lstm) {
        CHECK(same(fin.c(n, j), f1.c(0, j)));
        CHECK(same(g.dc0(n, j), g1.dc0(0, j)));
      }
    }
    const auto ps = alone.params();
    for (std::size_t k = 0; k < ps.size(); ++k)
      for (std::size_t i = 0; i < ps[k].size(); ++i) summed[k](i) += ps[k].grad[i];
  }
  // the parameter gradients of the batch are the sums of the sequences' own (summed in
  // another order, so equal to rounding)
  for (std::size_t k = 0; k < batch_grads.size(); ++k)
    for (std::size_t i = 0; i < batch_grads[k].size(); ++i)
      CHECK(batch_grads[k].grad[i] == Approx(summed[k](i)).epsilon(1e-12).margin(1e-14));
}

TEST_CASE("The threads' split of the batch changes only the last bits, and one split repeats exactly", "[recurrent]") {
  Rng rng(4);
  LSTM<float> lstm(7, 16, rng);
  const auto x = random_tensor<Tensor3<float>>(std::array<std::size_t, 3>{9, 33, 7}, 8);
  const auto dy = random_tensor<Tensor3<float>>(std::array<std::size_t, 3>{9, 33, 16}, 9);
  auto run = [&](int threads) {
    set_parallel_threads(threads);
    LSTM<float> l = lstm;
    LSTM<float>::Cache cache;
    const Tensor3<float> y = l.forward(x, cache);
    const Tensor3<float> dx = l.backward(dy, cache);
    set_parallel_threads(0);
    return std::make_tuple(y, dx, l.dW_hh);
  };
  const auto [y1, dx1, dw1] = run(1);
  const auto [y2, dx2, dw2] = run(2);
  const auto [y3, dx3, dw3] = run(3);
  const auto [y2b, dx2b, dw2b] = run(2);
  CHECK((y2 == y2b));  // the same thread count: the same numbers, bit for bit
  CHECK((dx2 == dx2b));
  CHECK((dw2 == dw2b));
  testing::require_close("Y, 2 threads", y2, y1, 1e-5, 1e-6);
  testing::require_close("Y, 3 threads", y3, y1, 1e-5, 1e-6);
  testing::require_close("dX, 2 threads", dx2, dx1, 1e-4, 1e-6);
  testing::require_close("dX, 3 threads", dx3, dx1, 1e-4, 1e-6);
  testing::require_close("dW_hh, 3 threads", dw3, dw1, 1e-4, 1e-5);
}

TEST_CASE("Lengths outside [1, T] or of the wrong count are refused", "[recurrent][errors]") {
  Rng rng(1);
  GRU<double> gru(2, 3, rng);
  GRU<double>::Cache cache;
  const Tensor3<double> x = xt::zeros<double>({4, 2, 2});
  const Lengths too_few{4}, zero{4, 0}, too_long{5, 1};
  CHECK_THROWS_WITH(gru.run(x, {}, &too_few, cache), Catch::Contains("1 sequence lengths for a batch of 2"));
  CHECK_THROWS_WITH(gru.run(x, {}, &zero, cache), Catch::Contains("sequence 1 has length 0"));
  CHECK_THROWS_WITH(gru.run(x, {}, &too_long, cache), Catch::Contains("outside [1, 4]"));
}

TEST_CASE("An LSTM classifier in Sequential: gradients through LastStep with ragged lengths", "[recurrent][gradcheck]") {
  Rng rng(21);
  Sequential<double> net;
  net.add(LSTM<double>(3, 6, rng)).add(LastStep<double>{}).add(Linear<double>(6, 4, rng));
  const auto x = random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{5, 4, 3}, 22);
  const Labels y = {0, 3, 1, 2};
  const Lengths lengths{5, 3, 1, 4};
  Context ctx;
  ctx.lengths = &lengths;
  const auto checks = check_gradients(net, SoftmaxCrossEntropy<double>{}, x, y, 1e-5, ctx);
  REQUIRE(checks.size() == 6);  // W_ih, W_hh, b_ih, b_hh, W, b
  for (const auto& c : checks) {
    INFO(c.report());
    CHECK(c.rel_error < testing::kGradTol);
  }
}

TEST_CASE("Sequence batches train with fit: examples along axis 1", "[recurrent][fit]") {
  // Is the sum of a sequence positive? A GRU reads 8 steps of one value.
  Rng rng(3);
  const std::size_t T = 8, N = 512;
  Dataset<Tensor3<float>> d;
  d.X = Tensor3<float>::from_shape({T, N, 1});
  d.y = Labels::from_shape({N});
  for (std::size_t n = 0; n < N; ++n) {
    float s = 0;
    for (std::size_t t = 0; t < T; ++t) s += d.X(t, n, 0) = float(rng.normal());
    d.y(n) = s > 0;
  }
  REQUIRE(d.size() == N);
  Sequential<float> net;
  net.add(GRU<float>(1, 16, rng)).add(LastStep<float>{}).add(Linear<float>(16, 2, rng));
  Adam<float> adam(1e-2f);
  FitOptions fo;
  fo.epochs = 15;
  fo.batch_size = 32;
  fo.progress = false;
  const History h = fit(net, SoftmaxCrossEntropy<float>{}, adam, d.X, d.y, rng, fo);
  CHECK(h.epochs.back().train_accuracy > 0.9);
  const auto ev = evaluate(net, SoftmaxCrossEntropy<float>{}, d.X, d.y);
  CHECK(ev.accuracy > 0.9);
}

TEST_CASE("Sequences of different lengths train with fit: each batch's lengths reach the layers", "[recurrent][fit]") {
  // Is the sum of a sequence of 2 to 10 values positive? The padding holds large values of
  // the wrong sign: a model that read past a sequence's end would be wrong on most of them.
  Rng rng(5);
  const std::size_t T = 10, N = 600;
  Dataset<Tensor3<float>> d;
  d.X = Tensor3<float>::from_shape({T, N, 1});
  d.y = Labels::from_shape({N});
  for (std::size_t n = 0; n < N; ++n) {
    const std::size_t len = 2 + rng.below(T - 1);
    d.lengths.push_back(len);
    float s = 0;
    for (std::size_t t = 0; t < len; ++t) s += d.X(t, n, 0) = float(rng.normal());
    d.y(n) = s > 0;
    for (std::size_t t = len; t < T; ++t) d.X(t, n, 0) = s > 0 ? -5.0f : 5.0f;
  }
  auto [train, val] = split(d, 100, rng.permutation(N));
  REQUIRE(train.lengths.size() == 500);
  REQUIRE(val.lengths.size() == 100);
  Sequential<float> net;
  net.add(GRU<float>(1, 16, rng)).add(LastStep<float>{}).add(Linear<float>(16, 2, rng));
  Adam<float> adam(1e-2f);
  FitOptions fo;
  fo.epochs = 15;
  fo.batch_size = 32;
  fo.progress = false;
  fo.lengths = &train.lengths;
  const History h = fit(net, SoftmaxCrossEntropy<float>{}, adam, train.X, train.y, rng, fo, &val);
  CHECK(h.epochs.back().val_accuracy > 0.9);
  const auto ev = evaluate(net, SoftmaxCrossEntropy<float>{}, val.X, val.y, 64, &val.lengths);
  CHECK(ev.accuracy == h.epochs.back().val_accuracy);
  // without its lengths the model reads the misleading padding
  CHECK(evaluate(net, SoftmaxCrossEntropy<float>{}, val.X, val.y).accuracy < 0.5);
  fo.lengths = &val.lengths;  // lengths of another set: refused
  CHECK_THROWS_WITH(fit(net, SoftmaxCrossEntropy<float>{}, adam, train.X, train.y, rng, fo),
                    Catch::Contains("100 lengths for 500 training examples"));
}

TEST_CASE("gather_rows picks whole sequences from a sequence batch", "[recurrent][fit]") {
  Tensor3<int> x = Tensor3<int>::from_shape({2, 3, 2});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = int(i);  // x(t, n, j) = 6t + 2n + j
  Tensor3<int> out;
  gather_rows(x, {2, 0, 1}, 0, 2, out);
  const Tensor3<int> expected = {{{4, 5}, {0, 1}}, {{10, 11}, {6, 7}}};
  CHECK((out == expected));
  CHECK(num_examples(x) == 3);
  CHECK((slice_rows(x, 1, 3) == Tensor3<int>{{{2, 3}, {4, 5}}, {{8, 9}, {10, 11}}}));
}

TEST_CASE("A recurrent network saved and loaded gives identical outputs", "[recurrent][model]") {
  const auto dir = testing::scratch_dir("layers", "recurrent_model");
  auto make = [](std::uint64_t seed) {
    Rng rng(seed);
    Sequential<float> net;
    net.add(LSTM<float>(5, 8, rng)).add(GRU<float>(8, 6, rng)).add(LastStep<float>{})
        .add(Linear<float>(6, 3, rng));
    return net;
  };
  Sequential<float> a = make(1), b = make(2);
  const auto x = random_tensor<Tensor3<float>>(std::array<std::size_t, 3>{7, 4, 5}, 3);
  const Tensor2<float> ya = a.forward2(x);
  CHECK_FALSE((ya == b.forward2(x)));
  save_model(dir / "rnn.npz", a);
  load_model(dir / "rnn.npz", b);
  CHECK((ya == b.forward2(x)));
  CHECK(a.module(0).describe() == "LSTM(5 -> 8)");
  CHECK(a.module(1).describe() == "GRU(8 -> 6)");
  Sequential<float> other;
  Rng rng(1);
  other.add(LSTM<float>(5, 9, rng)).add(GRU<float>(9, 6, rng)).add(LastStep<float>{})
      .add(Linear<float>(6, 3, rng));
  CHECK_THROWS(load_model(dir / "rnn.npz", other));
}
