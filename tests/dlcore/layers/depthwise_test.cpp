#include <catch2/catch.hpp>

#include <array>

#include "dlcore/layers/conv2d.hpp"
#include "dlcore/layers/depthwise.hpp"
#include "support/golden.hpp"
#include "support/gradcheck.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;
using testing::random4;

TEST_CASE("DepthwiseConv2D filters each channel on its own, by hand", "[depthwise]") {
  Rng rng(1);
  DepthwiseConv2D<double> dw(2, 2, rng);
  dw.W = Tensor4<double>{{{{1, 0}, {0, 1}}}, {{{0, 1}, {-1, 0}}}};  // channel 0: trace; 1: anti
  dw.b = {0.5, 0};
  const Tensor4<double> x = {{{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, {{1, 0, 1}, {0, 2, 0}, {3, 0, 3}}}};
  DepthwiseConv2D<double>::Cache cache;
  const Tensor4<double> y = dw.forward(x, cache);
  // channel 0: x[h,w] + x[h+1,w+1] + 0.5; channel 1: x[h,w+1] - x[h+1,w]
  const Tensor4<double> expected = {{{{6.5, 8.5}, {12.5, 14.5}}, {{0 - 0, 1 - 2}, {2 - 3, 0 - 0}}}};
  require_close("Y", y, expected);
}

TEST_CASE("DepthwiseConv2D equals a full convolution with a block-diagonal kernel", "[depthwise]") {
  Rng rng(2);
  DepthwiseConv2D<double> dw(3, 3, rng, /*stride=*/2, /*padding=*/1);
  dw.b = testing::random_like(dw.b, 5);
  Conv2D<double> full(3, 3, 3, rng, 2, 1);
  full.W.fill(0.0);
  for (std::size_t c = 0; c < 3; ++c)
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 3; ++j) full.W(c, c, i, j) = dw.W(c, 0, i, j);
  full.b = dw.b;
  const auto x = random4(2, 3, 7, 6, 3);
  DepthwiseConv2D<double>::Cache c1;
  Conv2D<double>::Cache c2;
  require_close("depthwise vs block-diagonal Conv2D", dw.forward(x, c1), full.forward(x, c2), 1e-12, 1e-12);
}

TEST_CASE("DepthwiseConv2D backward matches central differences", "[depthwise][gradcheck]") {
  struct Config {
    std::size_t n, c, h, w, k, stride, pad;
  };
  for (const Config& cf : {Config{2, 3, 5, 4, 3, 1, 0}, Config{2, 2, 6, 5, 3, 1, 1}, Config{1, 3, 7, 7, 3, 2, 1},
                           Config{2, 2, 8, 7, 5, 2, 2}, Config{1, 2, 4, 4, 2, 3, 1}}) {
    INFO("C " << cf.c << " " << cf.h << "x" << cf.w << " k " << cf.k << " stride " << cf.stride << " pad " << cf.pad);
    Rng rng(3);
    DepthwiseConv2D<double> dw(cf.c, cf.k, rng, cf.stride, cf.pad);
    dw.b = testing::random_like(dw.b, 4);
    testing::check_layer(dw, random4(cf.n, cf.c, cf.h, cf.w, 5));
  }
}

TEST_CASE("PointwiseConv2D backward matches central differences", "[depthwise][gradcheck]") {
  Rng rng(4);
  PointwiseConv2D<double> pw(3, 5, rng);
  pw.b = testing::random_like(pw.b, 6);
  testing::check_layer(pw, random4(2, 3, 4, 3, 7));
}

TEST_CASE("PointwiseConv2D equals Conv2D with a 1x1 kernel", "[depthwise]") {
  Rng rng(5);
  PointwiseConv2D<double> pw(4, 6, rng);
  pw.b = testing::random_like(pw.b, 8);
  Conv2D<double> full(4, 6, 1, rng);
  full.W = pw.W;
  full.b = pw.b;
  const auto x = random4(3, 4, 5, 5, 9);
  PointwiseConv2D<double>::Cache c1;
  Conv2D<double>::Cache c2;
  require_close("pointwise vs Conv2D 1x1", pw.forward(x, c1), full.forward(x, c2), 1e-12, 1e-12);
  const auto g = random4(3, 6, 5, 5, 10);
  require_close("dX", pw.backward(g, c1), full.backward(g, c2), 1e-12, 1e-12);
  require_close("dW", pw.dW, full.dW, 1e-12, 1e-12);
}

template <class L>
void conv_parity(L& layer, const std::string& c) {
  layer.W = golden<double, 4>(c, "W");
  layer.b = golden<double, 1>(c, "b");
  layer.dW.fill(0.0);
  layer.db.fill(0.0);
  typename L::Cache cache;
  const Tensor4<double> y = layer.forward(golden<double, 4>(c, "x"), cache);
  const Tensor4<double> dx = layer.backward(golden<double, 4>(c, "dy"), cache);
  require_close(c + " y", y, golden<double, 4>(c, "y"), 1e-10, 1e-12);
  require_close(c + " dx", dx, golden<double, 4>(c, "dx"), 1e-10, 1e-12);
  require_close(c + " dW", layer.dW, golden<double, 4>(c, "dW"), 1e-10, 1e-12);
  require_close(c + " db", layer.db, golden<double, 1>(c, "db"), 1e-10, 1e-12);
}

TEST_CASE("DepthwiseConv2D matches PyTorch conv2d with groups = C", "[depthwise][pytorch]") {
  Rng rng(6);
  DepthwiseConv2D<double> a(3, 3, rng, 1, 1), b(4, 3, rng, 2, 1), c(2, 5, rng, 2, 0);
  conv_parity(a, "depthwise_k3_s1_p1");
  conv_parity(b, "depthwise_k3_s2_p1");
  conv_parity(c, "depthwise_k5_s2_p0");
}

TEST_CASE("PointwiseConv2D matches PyTorch's 1x1 conv2d", "[depthwise][pytorch]") {
  Rng rng(7);
  PointwiseConv2D<double> pw(4, 6, rng);
  conv_parity(pw, "pointwise");
}

TEST_CASE("Depthwise and pointwise layers reject bad shapes, naming both", "[depthwise][errors]") {
  Rng rng(8);
  DepthwiseConv2D<float> dw(3, 3, rng);
  DepthwiseConv2D<float>::Cache c1;
  REQUIRE_THROWS_WITH(dw.forward(xt::zeros<float>({2, 4, 6, 6}), c1),
                      Catch::Contains("DepthwiseConv2D(3, 3x3") && Catch::Contains("(2, 4, 6, 6)") &&
                          Catch::Contains("(N, 3, H, W)"));
  REQUIRE_THROWS_AS(dw.forward(xt::zeros<float>({2, 3, 2, 2}), c1), ShapeError);  // 3x3 does not fit 2x2
  dw.forward(xt::zeros<float>({2, 3, 6, 6}), c1);
  REQUIRE_THROWS_WITH(dw.backward(xt::zeros<float>({2, 3, 4, 5}), c1), Catch::Contains("dY"));
  PointwiseConv2D<float> pw(3, 5, rng);
  PointwiseConv2D<float>::Cache c2;
  REQUIRE_THROWS_WITH(pw.forward(xt::zeros<float>({1, 2, 3, 3}), c2),
                      Catch::Contains("PointwiseConv2D(3 -> 5)") && Catch::Contains("(1, 2, 3, 3)"));
  REQUIRE_THROWS_AS(DepthwiseConv2D<float>(0, 3, rng), ValueError);
}
