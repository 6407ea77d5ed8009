#include <catch2/catch.hpp>

#include "dlcore/layers/conv2d.hpp"
#include "dlcore/layers/flatten.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/layers/pool.hpp"
#include "dlcore/train/sequential.hpp"
#include "support/golden.hpp"
#include "support/gradcheck.hpp"

using namespace dl;
using testing::require_close;

TEST_CASE("Flatten keeps row-major order and backward undoes it", "[flatten]") {
  Flatten<double> flat;
  Flatten<double>::Cache cache;
  Tensor4<double> x = Tensor4<double>::from_shape({2, 3, 2, 2});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = double(i);
  const Tensor2<double> y = flat.forward(x, cache);
  REQUIRE(shape_of(y) == std::vector<std::size_t>{2, 12});
  CHECK(y(1, 0) == 12.0);            // image 1, channel 0, (0, 0)
  CHECK(y(0, 4 + 2 + 1) == x(0, 1, 1, 1));  // (c H + h) W + w
  const Tensor4<double> dx = flat.backward(y, cache);
  require_close("dX", dx, x);
  REQUIRE_THROWS_WITH(flat.backward(xt::zeros<double>({2, 11}), cache),
                      Catch::Contains("Flatten") && Catch::Contains("(2, 11)") &&
                          Catch::Contains("(2, 12)"));
}

TEST_CASE("A small CNN in a Sequential passes a model-level gradient check",
          "[flatten][gradcheck]") {
  Rng rng(4);
  Sequential<double> net;
  net.add(Conv2D<double>(1, 2, 3, rng, 1, 1))
      .add(MaxPool2D<double>(2))
      .add(Conv2D<double>(2, 3, 3, rng))
      .add(Flatten<double>())
      .add(Linear<double>(3, 2, rng));
  net.first_input_grad = true;
  Tensor4<double> x = testing::random_tensor<Tensor4<double>>(std::array<std::size_t, 4>{2, 1, 6, 6}, 5);
  const Tensor2<double> y = net.forward2(x);
  REQUIRE(shape_of(y) == std::vector<std::size_t>{2, 2});
  const Tensor2<double> R = testing::random_like(y, 6);
  net.zero_grad();
  net.forward2(x);
  const Tensor4<double> dx = std::get<Tensor4<double>>(net.backward(R));
  auto objective = [&] {
    const Tensor2<double> yy = net.forward2(x);
    double s = 0;
    for (std::size_t i = 0; i < yy.size(); ++i) s += R.data()[i] * yy.data()[i];
    return s;
  };
  testing::require_gradient("dX", x.data(), dx.data(), x.size(), objective);
  for (const auto& p : net.params())
    testing::require_gradient("d" + p.name, p.value, p.grad, p.size(), objective);
}
