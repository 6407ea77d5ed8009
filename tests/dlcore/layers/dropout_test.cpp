#include <catch2/catch.hpp>

#include "dlcore/layers/dropout.hpp"
#include "dlcore/train/sequential.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;

namespace {
Context train_ctx(Rng& rng) { return Context{Mode::train, &rng}; }

// A keep-mask of the shape of x with about half ones, from a fixed generator.
template <class E>
E half_mask(const E& x, std::uint64_t seed) {
  Rng rng(seed);
  E keep = E::from_shape(x.shape());
  for (auto& v : keep) v = rng.uniform() < 0.5 ? 1.0 : 0.0;
  return keep;
}
}  // namespace

TEST_CASE("Dropout with a given mask: hand-computed values", "[dropout]") {
  Dropout<double> drop(0.75);  // scale 1 / (1 - 0.75) = 4
  Dropout<double>::Cache cache;
  const Tensor2<double> x = {{1, 2, 3}, {-4, 5, 6}};
  const Tensor2<double> keep = {{1, 0, 1}, {1, 1, 0}};
  require_close("y", drop.forward_with_mask(x, keep, cache), Tensor2<double>{{4, 0, 12}, {-16, 20, 0}});
  const Tensor2<double> dy = {{1, 1, 1}, {0.5, 0.5, 0.5}};
  require_close("dx", drop.backward(dy, cache), Tensor2<double>{{4, 0, 4}, {2, 2, 0}});
  CHECK(drop.describe() == "Dropout(p=0.75)");
}

TEST_CASE("Dropout backward matches central differences (fixed mask)", "[dropout][gradcheck]") {
  Dropout<double> drop(0.4);
  SECTION("matrix") {
    const auto x = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{5, 7}, 1);
    const auto keep = half_mask(x, 2);
    testing::check_layer_with(drop, x, [&](Dropout<double>& l, const Tensor2<double>& in,
                                           Dropout<double>::Cache& c) { return l.forward_with_mask(in, keep, c); });
  }
  SECTION("image batch (rank 4)") {
    const auto x = testing::random_tensor<Tensor4<double>>(std::array<std::size_t, 4>{2, 3, 4, 4}, 3);
    const auto keep = half_mask(x, 4);
    testing::check_layer_with(drop, x, [&](Dropout<double>& l, const Tensor4<double>& in,
                                           Dropout<double>::Cache& c) { return l.forward_with_mask(in, keep, c); });
  }
}

TEST_CASE("Dropout matches PyTorch with PyTorch's own mask", "[dropout][pytorch]") {
  SECTION("matrix, p = 0.3") {
    const std::string c = "dropout_2d";
    Dropout<double> drop(golden<double, 1>(c, "p")(0));
    Dropout<double>::Cache cache;
    const auto y = drop.forward_with_mask(golden<double, 2>(c, "x"), golden<double, 2>(c, "keep"), cache);
    require_close("y", y, golden<double, 2>(c, "y"), 1e-12, 1e-14);
    require_close("dx", drop.backward(golden<double, 2>(c, "dy"), cache), golden<double, 2>(c, "dx"), 1e-12, 1e-14);
  }
  SECTION("image batch, p = 0.5") {
    const std::string c = "dropout_4d";
    Dropout<double> drop(golden<double, 1>(c, "p")(0));
    Dropout<double>::Cache cache;
    const auto y = drop.forward_with_mask(golden<double, 4>(c, "x"), golden<double, 4>(c, "keep"), cache);
    require_close("y", y, golden<double, 4>(c, "y"), 1e-12, 1e-14);
    require_close("dx", drop.backward(golden<double, 4>(c, "dy"), cache), golden<double, 4>(c, "dx"), 1e-12, 1e-14);
  }
}

TEST_CASE("Dropout in training keeps about 1-p of the elements and preserves the mean", "[dropout][statistics]") {
  Rng rng(5);
  Dropout<float> drop(0.3f);
  Dropout<float>::Cache cache;
  const Tensor4<float> x = xt::ones<float>({std::size_t(20), std::size_t(32), std::size_t(13), std::size_t(13)});
  const Tensor4<float> y = drop.forward(x, cache, train_ctx(rng));
  std::size_t kept = 0;
  double sum = 0;
  for (float v : y) {
    REQUIRE((v == 0.0f || v == Approx(1 / 0.7f)));
    kept += v != 0.0f;
    sum += v;
  }
  const double n = double(x.size());  // 108,160 draws: std of the keep rate ~0.0014
  CHECK(kept / n == Approx(0.7).margin(0.007));
  CHECK(sum / n == Approx(1.0).margin(0.01));  // E[y] = x
  // backward uses the same mask
  const Tensor4<float> dx = drop.backward(x, cache);
  for (std::size_t i = 0; i < x.size(); ++i) REQUIRE(dx.data()[i] == y.data()[i]);
}

TEST_CASE("Dropout in evaluation is the identity, forward and backward", "[dropout]") {
  Rng rng(1);
  Dropout<double> drop(0.5);
  Dropout<double>::Cache cache;
  const auto x = testing::random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{3, 4, 5}, 8);
  const Tensor3<double> y = drop.forward(x, cache, Context{Mode::eval, &rng});
  CHECK((y == x));
  const Tensor3<double> dy = x * 2.0;
  CHECK((drop.backward(dy, cache) == dy));
  Rng fresh(1);
  CHECK(rng.uniform() == fresh.uniform());  // evaluation drew nothing
  // p = 0 in training is the identity too
  Dropout<double> none(0.0);
  CHECK((none.forward(x, cache, train_ctx(rng)) == x));
}

TEST_CASE("Dropout: the same seed gives the same mask, another seed another", "[dropout]") {
  Dropout<float> drop(0.5f);
  const Tensor2<float> x = xt::ones<float>({std::size_t(16), std::size_t(64)});
  auto run = [&](std::uint64_t seed) {
    Rng rng(seed);
    Dropout<float>::Cache cache;
    return Tensor2<float>(drop.forward(x, cache, train_ctx(rng)));
  };
  CHECK((run(3) == run(3)));
  CHECK((run(3) != run(4)));
  // two calls on one generator draw two different masks
  Rng rng(3);
  Dropout<float>::Cache c1, c2;
  const Tensor2<float> first = drop.forward(x, c1, train_ctx(rng));
  CHECK((first != drop.forward(x, c2, train_ctx(rng))));
}

TEST_CASE("Dropout works inside a Sequential in both modes", "[dropout][sequential]") {
  Sequential<float> net;
  net.add(Dropout<float>(0.5f));
  Rng rng(2);
  const Tensor2<float> x = xt::ones<float>({std::size_t(4), std::size_t(10)});
  const Tensor2<float> y_eval = net.forward2(x, Context{Mode::eval, &rng});
  CHECK((y_eval == x));
  const Tensor2<float> y_train = net.forward2(x, Context{Mode::train, &rng});
  std::size_t zeros = 0;
  for (float v : y_train) zeros += v == 0.0f;
  CHECK(zeros > 0);
  CHECK(zeros < x.size());
  net.first_input_grad = true;
  const Tensor2<float> dx = std::get<Tensor2<float>>(net.backward(AnyTensor<float>(x)));
  CHECK((dx == y_train));
}

TEST_CASE("Dropout rejects bad arguments with clear errors", "[dropout][errors]") {
  CHECK_THROWS_WITH(Dropout<double>(1.0), Catch::Contains("Dropout") && Catch::Contains("[0, 1)"));
  CHECK_THROWS_AS(Dropout<double>(-0.1), ValueError);
  Dropout<double> drop(0.5);
  Dropout<double>::Cache cache;
  const Tensor2<double> x = xt::ones<double>({std::size_t(2), std::size_t(3)});
  CHECK_THROWS_WITH(drop.forward(x, cache, Context{Mode::train, nullptr}), Catch::Contains("ctx.rng"));
  CHECK_THROWS_WITH(drop.forward_with_mask(x, Tensor2<double>(xt::ones<double>({std::size_t(3), std::size_t(2)})), cache),
                    Catch::Contains("(3, 2)") && Catch::Contains("(2, 3)"));
  CHECK_THROWS_WITH(drop.forward_with_mask(x, Tensor2<double>(x * 0.5), cache), Catch::Contains("0 or 1"));
  drop.forward_with_mask(x, x, cache);
  CHECK_THROWS_WITH(drop.backward(Tensor2<double>(xt::ones<double>({std::size_t(2), std::size_t(4)})), cache),
                    Catch::Contains("(2, 4)") && Catch::Contains("(2, 3)"));
}
