// Exercises 14.1 and 14.2: a depthwise convolution of one channel; the cost of a
// depthwise-separable layer.
#include <catch2/catch.hpp>

#include "dlcore/core/compare.hpp"
#include "dlcore/core/rng.hpp"
#include "dlcore/layers/depthwise.hpp"
#include "exercise.hpp"

TEST_CASE("Exercise 14.1: one channel, stride 1, no padding, by hand", "[ch14][exercise]") {
  const xt::xtensor<double, 2> x = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
  const xt::xtensor<double, 2> w = {{1, 0}, {0, -1}};  // x[h, w] - x[h+1, w+1]
  const auto y = ch14::depthwise_plane(x, w, 1, 0);
  REQUIRE(y.shape(0) == 2);
  REQUIRE(y.shape(1) == 2);
  CHECK(y(0, 0) == Approx(-4));
  CHECK(y(1, 1) == Approx(-4));
  CHECK(y(0, 1) == Approx(-4));
}

TEST_CASE("Exercise 14.1: padding and stride match dl::DepthwiseConv2D", "[ch14][exercise]") {
  dl::Rng rng(3);
  for (auto [k, stride, pad] : {std::tuple<std::size_t, std::size_t, std::size_t>{3, 2, 1}, {3, 1, 1}, {5, 2, 2}, {2, 3, 0}}) {
    INFO("k " << k << " stride " << stride << " pad " << pad);
    dl::DepthwiseConv2D<double> dw(1, k, rng, stride, pad);
    dl::Tensor4<double> x = dl::Tensor4<double>::from_shape({1, 1, 8, 7});
    for (auto& v : x) v = rng.normal();
    dl::DepthwiseConv2D<double>::Cache cache;
    const dl::Tensor4<double> y = dw.forward(x, cache);
    const xt::xtensor<double, 2> mine =
        ch14::depthwise_plane(xt::view(x, 0, 0), xt::view(dw.W, 0, 0), stride, pad);
    const xt::xtensor<double, 2> ref = xt::view(y, 0, 0);
    REQUIRE(mine.shape() == ref.shape());
    CHECK(dl::relative_error(mine, ref) < 1e-12);
  }
}

TEST_CASE("Exercise 14.2: the cost of a depthwise-separable layer", "[ch14][exercise]") {
  // 32 -> 64 channels, 3x3, on 14x14: depthwise 32*9 + 32, pointwise 64*32 + 64
  const ch14::Cost c = ch14::separable_cost(32, 64, 3, 14, 14);
  CHECK(c.params == 32 * 9 + 32 + 64 * 32 + 64);
  CHECK(c.madds == 14 * 14 * 32 * 9 + 14 * 14 * 64 * 32);
  // a non-square map and a 5x5 kernel
  const ch14::Cost d = ch14::separable_cost(3, 5, 5, 4, 6);
  CHECK(d.params == 3 * 25 + 3 + 5 * 3 + 5);
  CHECK(d.madds == 24 * 3 * 25 + 24 * 5 * 3);
}
