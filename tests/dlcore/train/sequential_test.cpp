#include <catch2/catch.hpp>

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/optim/adam.hpp"
#include "dlcore/optim/sgd.hpp"
#include "dlcore/train/fit.hpp"
#include "dlcore/train/sequential.hpp"
#include "support/gradcheck.hpp"

using namespace dl;

namespace {
Sequential<double> mlp(Rng& rng) {
  Sequential<double> net;
  net.add(Linear<double>(3, 5, rng)).add(Tanh<double>{}).add(Linear<double>(5, 4, rng));
  return net;
}
}  // namespace

TEST_CASE("A 2-layer MLP's backward matches central differences end to end", "[sequential][gradcheck]") {
  Rng rng(3);
  Sequential<double> net = mlp(rng);
  net.first_input_grad = true;
  Tensor2<double> x = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{6, 3}, 4);
  const Labels y = {0, 1, 2, 3, 1, 0};
  SoftmaxCrossEntropy<double> loss;
  auto objective = [&] {
    SoftmaxCrossEntropy<double>::Cache c;
    return loss.forward(net.forward2(x), y, c);
  };
  SoftmaxCrossEntropy<double>::Cache cache;
  net.zero_grad();
  loss.forward(net.forward2(x), y, cache);
  const Tensor2<double> dx = std::get<Tensor2<double>>(net.backward(loss.backward(cache)));
  testing::require_gradient("dX", x.data(), dx.data(), x.size(), objective);
  for (const auto& p : net.params()) testing::require_gradient(p.name, p.value, p.grad, p.size(), objective);
}

TEST_CASE("Sequential names parameters and counts them", "[sequential]") {
  Rng rng(3);
  Sequential<double> net = mlp(rng);
  const auto ps = net.params();
  REQUIRE(ps.size() == 4);
  CHECK(ps[0].name == "0.W");
  CHECK(ps[3].name == "2.b");
  CHECK(net.num_params() == 3 * 5 + 5 + 5 * 4 + 4);
  CHECK_THAT(net.summary(), Catch::Contains("Linear(3 -> 5)") && Catch::Contains("44"));
  CHECK(net.layer<Linear<double>>(2).d_out() == 4);
  REQUIRE_THROWS_AS(net.layer<Linear<double>>(1), ValueError);
}

TEST_CASE("Sequential reports a rank mismatch naming the layer", "[sequential][errors]") {
  Rng rng(3);
  Sequential<float> net;
  net.add(Linear<float>(4, 2, rng));
  REQUIRE_THROWS_WITH(net.forward(Tensor4<float>(xt::zeros<float>({2, 1, 2, 2}))),
                      Catch::Contains("Linear(4 -> 2)") && Catch::Contains("(2, 1, 2, 2)"));
  REQUIRE_THROWS_WITH(net.forward(Tensor2<float>(xt::zeros<float>({2, 5}))),
                      Catch::Contains("Linear") && Catch::Contains("(2, 5)"));
}

TEST_CASE("fit learns a separable problem and is reproducible", "[fit]") {
  auto run = [] {
    Rng rng(10);
    Tensor2<float> X = Tensor2<float>::from_shape({200, 2});
    Labels y = Labels::from_shape({200});
    for (std::size_t i = 0; i < 200; ++i) {
      X(i, 0) = float(rng.uniform(-1, 1));
      X(i, 1) = float(rng.uniform(-1, 1));
      y(i) = X(i, 0) + X(i, 1) > 0 ? 1 : 0;
    }
    Sequential<float> net;
    net.add(Linear<float>(2, 8, rng)).add(ReLU<float>{}).add(Linear<float>(8, 2, rng));
    Adam<float> opt(0.05f);
    FitOptions o;
    o.epochs = 20;
    o.batch_size = 32;
    o.progress = false;
    History h = fit(net, SoftmaxCrossEntropy<float>{}, opt, X, y, rng, o);
    return std::make_pair(h.epochs.back().train_accuracy, h.step_loss);
  };
  const auto [acc, losses] = run();
  CHECK(acc > 0.95);
  CHECK(losses.back() < losses.front());
  const auto [acc2, losses2] = run();
  CHECK(acc2 == acc);
  CHECK(losses2 == losses);
}

TEST_CASE("fit stops with a message when the loss becomes NaN", "[fit][errors]") {
  Rng rng(1);
  Sequential<float> net;
  net.add(Linear<float>(2, 2, rng));
  Tensor2<float> X = {{1, 2}, {std::nanf(""), 0}};
  Labels y = {0, 1};
  SGD<float> opt(0.1f);
  FitOptions o;
  o.epochs = 1;
  o.batch_size = 2;
  o.shuffle = false;
  o.progress = false;
  REQUIRE_THROWS_WITH(fit(net, SoftmaxCrossEntropy<float>{}, opt, X, y, rng, o),
                      Catch::Contains("diverged") && Catch::Contains("step 1"));
}

TEST_CASE("Early stopping through on_epoch_end", "[fit]") {
  Rng rng(1);
  Sequential<float> net;
  net.add(Linear<float>(2, 2, rng));
  Tensor2<float> X = xt::zeros<float>({8, 2});
  Labels y = xt::zeros<std::int32_t>({8});
  SGD<float> opt(0.1f);
  FitOptions o;
  o.epochs = 10;
  o.progress = false;
  o.on_epoch_end = [](const EpochRecord& r) { return r.epoch < 3; };
  History h = fit(net, SoftmaxCrossEntropy<float>{}, opt, X, y, rng, o);
  CHECK(h.epochs.size() == 3);
}
