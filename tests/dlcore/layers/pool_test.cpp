#include <catch2/catch.hpp>

#include <array>
#include <cmath>

#include "dlcore/layers/pool.hpp"
#include "support/golden.hpp"
#include "support/gradcheck.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;

namespace {
// Distinct values spaced 0.1 apart, shuffled: no ties in max-pool windows, so the numerical
// gradient never straddles a switch of the winner (h = 1e-5).
Tensor4<double> tie_free(std::size_t n, std::size_t c, std::size_t h, std::size_t w,
                         std::uint64_t seed) {
  Tensor4<double> x = Tensor4<double>::from_shape({n, c, h, w});
  Rng rng(seed);
  const auto order = rng.permutation(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = 0.1 * double(order[i]) - 1.0;
  return x;
}
}  // namespace

TEST_CASE("MaxPool2D forward and backward by hand", "[pool]") {
  MaxPool2D<double> pool(2);
  const Tensor4<double> x = {{{{1, 5, 2, 0}, {3, 4, 8, 1}, {0, 0, 1, 2}, {9, 1, 3, 4}}}};
  MaxPool2D<double>::Cache cache;
  const Tensor4<double> y = pool.forward(x, cache);
  require_close("Y", y, Tensor4<double>{{{{5, 8}, {9, 4}}}});
  const Tensor4<double> dx = pool.backward(Tensor4<double>{{{{1, 2}, {3, 4}}}}, cache);
  // each gradient lands on its window's winner, zeros elsewhere
  const Tensor4<double> expected = {{{{0, 1, 0, 0}, {0, 0, 2, 0}, {0, 0, 0, 0}, {3, 0, 0, 4}}}};
  require_close("dX", dx, expected);
}

TEST_CASE("AvgPool2D forward and backward by hand", "[pool]") {
  AvgPool2D<double> pool(2);
  const Tensor4<double> x = {{{{1, 5, 2, 0}, {3, 4, 8, 1}, {0, 0, 1, 2}, {9, 1, 3, 4}}}};
  AvgPool2D<double>::Cache cache;
  const Tensor4<double> y = pool.forward(x, cache);
  require_close("Y", y, Tensor4<double>{{{{3.25, 2.75}, {2.5, 2.5}}}});
  const Tensor4<double> dx = pool.backward(Tensor4<double>{{{{4, 8}, {0, -4}}}}, cache);
  const Tensor4<double> expected = {{{{1, 1, 2, 2}, {1, 1, 2, 2}, {0, 0, -1, -1}, {0, 0, -1, -1}}}};
  require_close("dX", dx, expected);
}

TEST_CASE("Pooling backward matches central differences", "[pool][gradcheck]") {
  struct Config {
    std::size_t k, stride, pad, h, w;
  };
  const Config configs[] = {{2, 2, 0, 6, 8}, {3, 2, 1, 7, 9}, {2, 1, 0, 5, 4}, {3, 3, 0, 7, 6}};
  std::uint64_t seed = 3;
  for (const Config& c : configs) {
    INFO("k " << c.k << " s " << c.stride << " p " << c.pad << " H " << c.h << " W " << c.w);
    MaxPool2D<double> maxpool(c.k, c.stride, c.pad);
    testing::check_layer(maxpool, tie_free(2, 3, c.h, c.w, seed));
    AvgPool2D<double> avgpool(c.k, c.stride, c.pad);
    testing::check_layer(avgpool, tie_free(2, 3, c.h, c.w, seed + 1));
    seed += 2;
  }
}

template <class Pool>
void pool_parity(const std::string& c, Pool pool) {
  typename Pool::Cache cache;
  const Tensor4<double> y = pool.forward(golden<double, 4>(c, "x"), cache);
  const Tensor4<double> dx = pool.backward(golden<double, 4>(c, "dy"), cache);
  require_close(c + " y", y, golden<double, 4>(c, "y"));
  require_close(c + " dx", dx, golden<double, 4>(c, "dx"));
}

TEST_CASE("MaxPool2D and AvgPool2D match PyTorch", "[pool][pytorch]") {
  pool_parity("maxpool_2", MaxPool2D<double>(2));
  pool_parity("maxpool_3s2p1", MaxPool2D<double>(3, 2, 1));
  pool_parity("maxpool_odd", MaxPool2D<double>(2));
  pool_parity("avgpool_2", AvgPool2D<double>(2));
  pool_parity("avgpool_3s2p1", AvgPool2D<double>(3, 2, 1));
}

TEST_CASE("Pooling rejects bad shapes and arguments, naming the layer", "[pool][errors]") {
  MaxPool2D<float> pool(2);
  MaxPool2D<float>::Cache cache;
  REQUIRE_THROWS_WITH(pool.forward(xt::zeros<float>({2, 3, 1, 8}), cache),
                      Catch::Contains("MaxPool2D") && Catch::Contains("(2, 3, 1, 8)"));
  pool.forward(xt::zeros<float>({2, 3, 4, 4}), cache);
  REQUIRE_THROWS_WITH(pool.backward(xt::zeros<float>({2, 3, 4, 4}), cache),
                      Catch::Contains("MaxPool2D") && Catch::Contains("gradient dY") &&
                          Catch::Contains("(2, 3, 2, 2)"));
  REQUIRE_THROWS_WITH(AvgPool2D<float>(2, 2, 2), Catch::Contains("AvgPool2D") &&
                                                     Catch::Contains("padding 2"));
  REQUIRE_THROWS_AS(MaxPool2D<float>(0), ValueError);
}

TEST_CASE("MaxPool2D lets a NaN win its window, as PyTorch", "[pool]") {
  MaxPool2D<double> pool(2);
  const Tensor4<double> x = {{{{1, NAN, 2, 0}, {3, 4, 8, 1}, {0, 0, NAN, 2}, {9, NAN, 3, 4}}}};
  MaxPool2D<double>::Cache cache;
  const Tensor4<double> y = pool.forward(x, cache);
  CHECK(std::isnan(y(0, 0, 0, 0)));  // the window {1, NaN, 3, 4}
  CHECK(y(0, 0, 0, 1) == 8);
  CHECK(std::isnan(y(0, 0, 1, 0)));
  CHECK(std::isnan(y(0, 0, 1, 1)));
  // the gradient goes to the NaN (the last one in its window, as in PyTorch's loop)
  const Tensor4<double> dx = pool.backward(Tensor4<double>{{{{1, 2}, {3, 4}}}}, cache);
  const Tensor4<double> expected = {{{{0, 1, 0, 0}, {0, 0, 2, 0}, {0, 0, 4, 0}, {0, 3, 0, 0}}}};
  CHECK(dx == expected);
}

TEST_CASE("MaxPool2D 2x2 in float picks the same winners as in double, ties and NaNs included",
          "[pool]") {
  // The float 2x2 path runs 16 outputs at a time (AVX-512 where the processor has it); the
  // double one the plain loop. Values from a small set (many ties), some NaN; widths from 2 to
  // 70 (partial and whole registers, odd widths whose last column no window reads).
  Rng rng(5);
  for (std::size_t W : {2, 3, 11, 26, 31, 32, 33, 34, 35, 64, 70}) {
    Tensor4<double> x = Tensor4<double>::from_shape({2, 3, 6, W});
    for (auto& v : x) {
      const double u = rng.uniform(0, 1);
      v = u < 0.05 ? std::nan("") : std::floor(8 * u) - 3;  // -3..4 with ties, or NaN
    }
    const Tensor4<float> xf = xt::cast<float>(x);
    MaxPool2D<double> pd(2);
    MaxPool2D<float> pf(2);
    MaxPool2D<double>::Cache cd;
    MaxPool2D<float>::Cache cf;
    const Tensor4<double> yd = pd.forward(x, cd);
    const Tensor4<float> yf = pf.forward(xf, cf);
    INFO("W " << W);
    REQUIRE(yf.shape() == yd.shape());
    REQUIRE(cf.argmax == cd.argmax);  // the same input wins every window
    for (std::size_t i = 0; i < yd.size(); ++i)
      REQUIRE((std::isnan(yd.data()[i]) ? std::isnan(yf.data()[i]) : double(yf.data()[i]) == yd.data()[i]));
  }
}
