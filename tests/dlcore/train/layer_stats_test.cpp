#include <catch2/catch.hpp>

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/batchnorm.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/train/layer_stats.hpp"
#include "support/gradcheck.hpp"

using namespace dl;

TEST_CASE("percentiles interpolate between order statistics as NumPy does", "[layer_stats]") {
  const std::vector<double> v = {4, 1, 3, 2, 5};  // sorted 1..5
  const auto p = percentiles(v.data(), v.size(), {0, 25, 50, 90, 100});
  CHECK(p[0] == 1);
  CHECK(p[1] == 2);
  CHECK(p[2] == 3);
  CHECK(p[3] == Approx(4.6));  // rank 3.6: 4 + 0.6 (5 - 4)
  CHECK(p[4] == 5);
  const std::vector<float> w = {0, 10};
  CHECK(percentiles(w.data(), 2, {15.9})[0] == Approx(1.59));
  REQUIRE_THROWS_WITH(percentiles(v.data(), 0, {50}), Catch::Contains("no values"));
  REQUIRE_THROWS_WITH(percentiles(v.data(), 5, {101}), Catch::Contains("outside [0, 100]"));
}

TEST_CASE("moments and moving_average", "[layer_stats]") {
  const AnyTensor<double> x = Tensor2<double>{{1, 3}, {5, 7}};
  const Moments mo = moments(x);
  CHECK(mo.mean == 4);
  CHECK(mo.std == Approx(std::sqrt(5.0)));
  const auto avg = moving_average({1, 2, 3, 4, 5}, 2);
  CHECK(avg == std::vector<double>{1, 1.5, 2.5, 3.5, 4.5});
  REQUIRE_THROWS_AS(moving_average({1}, 0), ValueError);
}

TEST_CASE("layer_outputs returns every module's output and leaves running statistics alone",
          "[layer_stats]") {
  Rng rng(2);
  Sequential<double> net;
  net.add(Linear<double>(4, 3, rng)).add(BatchNorm1d<double>(3)).add(ReLU<double>{});
  const auto x = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{10, 4}, 1, 2.0);
  const auto outs = layer_outputs<double>(net, x, Context{Mode::train, nullptr});
  REQUIRE(outs.size() == 3);
  const auto& bn_out = std::get<Tensor2<double>>(outs[1]);
  CHECK(moments(outs[1]).std == Approx(1.0).epsilon(1e-4));  // batch statistics normalise
  const auto& relu_out = std::get<Tensor2<double>>(outs[2]);
  for (std::size_t i = 0; i < relu_out.size(); ++i)
    CHECK(relu_out.data()[i] == std::max(0.0, bn_out.data()[i]));
  auto& bn = net.layer<BatchNorm1d<double>>(1);
  const bool mean_kept = bn.running_mean == xt::zeros<double>({3});  // a probe: nothing moved
  const bool var_kept = bn.running_var == xt::ones<double>({3});
  CHECK(mean_kept);
  CHECK(var_kept);
  // the output of the last module is the network's output
  const Tensor2<double> y = net.forward2(x, Context{Mode::eval, nullptr});
  const auto eval_outs = layer_outputs<double>(net, x, Context{Mode::eval, nullptr});
  const bool same = std::get<Tensor2<double>>(eval_outs.back()) == y;
  CHECK(same);
}
