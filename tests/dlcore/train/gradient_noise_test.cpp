// The mini-batch gradient: what batch_gradient returns, and its measured mean and variance.
#include <catch2/catch.hpp>

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/train/gradient_noise.hpp"
#include "support/gradcheck.hpp"

using namespace dl;

namespace {
struct Problem {
  Sequential<double> net;
  Tensor2<double> X;
  Labels y;
};
Problem make_problem(std::size_t n) {
  Rng rng(11);
  Problem p;
  p.net.add(Linear<double>(4, 3, rng)).add(Tanh<double>{}).add(Linear<double>(3, 3, rng));
  p.X = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{n, 4}, 12);
  p.y = Labels::from_shape({n});
  for (std::size_t i = 0; i < n; ++i) p.y(i) = std::int32_t(rng.below(3));
  return p;
}
}  // namespace

TEST_CASE("batch_gradient is the gradient of the batch's mean loss", "[train][gradient_noise][gradcheck]") {
  Problem p = make_problem(10);
  const std::vector<std::size_t> rows = {7, 2, 5};
  const std::vector<double> g = batch_gradient(p.net, SoftmaxCrossEntropy<double>{}, p.X, p.y, rows);
  REQUIRE(g.size() == p.net.num_params());
  std::size_t offset = 0;
  for (const auto& param : p.net.params()) {
    auto objective = [&] {
      Tensor2<double> xb = xt::view(p.X, xt::keep(rows), xt::all());
      Labels yb = xt::view(p.y, xt::keep(rows));
      SoftmaxCrossEntropy<double>::Cache cache;
      return SoftmaxCrossEntropy<double>{}.forward(p.net.forward2(xb), yb, cache);
    };
    testing::require_gradient(param.name, param.value, g.data() + offset, param.size(), objective);
    offset += param.size();
  }
}

TEST_CASE("The full gradient is the mean of the single-example gradients", "[train][gradient_noise]") {
  Problem p = make_problem(6);
  const SoftmaxCrossEntropy<double> loss;
  const auto full = batch_gradient(p.net, loss, p.X, p.y, {0, 1, 2, 3, 4, 5});
  std::vector<double> mean(full.size(), 0.0);
  for (std::size_t i = 0; i < 6; ++i) {
    const auto gi = batch_gradient(p.net, loss, p.X, p.y, {i});
    for (std::size_t k = 0; k < mean.size(); ++k) mean[k] += gi[k] / 6;
  }
  for (std::size_t k = 0; k < mean.size(); ++k) CHECK(mean[k] == Approx(full[k]).margin(1e-14));
}

TEST_CASE("Mini-batch gradients are unbiased with variance sigma^2 (N - B) / (B (N - 1))", "[train][gradient_noise]") {
  Problem p = make_problem(40);
  Rng rng(2);
  const auto study = gradient_noise(p.net, SoftmaxCrossEntropy<double>{}, p.X, p.y, {1, 4, 16, 40}, 2000, rng);
  REQUIRE(study.batches.size() == 4);
  CHECK(study.per_example_variance > 0);
  CHECK(study.full_norm > 0);
  for (const auto& b : study.batches) {
    INFO("B = " << b.batch_size);
    if (b.batch_size == 40) {  // the whole set: no noise at all
      CHECK(b.variance == Approx(0).margin(1e-20));
      CHECK(b.predicted_variance == 0);
      continue;
    }
    CHECK(b.variance == Approx(b.predicted_variance).epsilon(0.1));
    CHECK(b.relative_bias < 0.1);
    CHECK(b.bias_ratio < 3);  // |mean - g|^2 is about variance / draws: no bias
  }
  CHECK(study.batches[0].predicted_variance == Approx(study.per_example_variance));
  CHECK(study.batches[1].variance < study.batches[0].variance / 3);
}

TEST_CASE("gradient_noise rejects impossible batch sizes", "[train][gradient_noise][errors]") {
  Problem p = make_problem(5);
  Rng rng(1);
  REQUIRE_THROWS_WITH(gradient_noise(p.net, SoftmaxCrossEntropy<double>{}, p.X, p.y, {6}, 10, rng),
                      Catch::Contains("batch size 6") && Catch::Contains("[1, 5]"));
  REQUIRE_THROWS_AS(gradient_noise(p.net, SoftmaxCrossEntropy<double>{}, p.X, p.y, {2}, 1, rng), ValueError);
  REQUIRE_THROWS_AS(batch_gradient(p.net, SoftmaxCrossEntropy<double>{}, p.X, p.y, {}), ValueError);
}
