#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/io/params.hpp"
#include "dlcore/layers/batchnorm.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/train/sequential.hpp"
#include "support/golden.hpp"
#include "support/gradcheck.hpp"
#include "support/scratch.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;
using testing::kEval;
using testing::kTrain;

namespace {

// A layer with gamma, beta and running statistics away from their defaults.
template <std::size_t R>
BatchNorm<double, R> random_bn(std::size_t C) {
  BatchNorm<double, R> bn(C);
  bn.gamma = 1.0 + 0.5 * testing::random_like(bn.gamma, 11);
  bn.beta = testing::random_like(bn.beta, 12);
  bn.running_mean = testing::random_like(bn.running_mean, 13);
  bn.running_var = 0.5 + xt::abs(testing::random_like(bn.running_var, 14));
  return bn;
}

template <class L, class X>
void check_bn(L& bn, const X& x, const Context& ctx) {
  testing::check_layer_with(bn, x, [&](L& l, const X& in, typename L::Cache& c) {
    return l.forward(in, c, ctx);
  });
}
}  // namespace

TEST_CASE("BatchNorm1d forward and running statistics by hand", "[batchnorm]") {
  BatchNorm1d<double> bn(2);
  bn.gamma = {2.0, 1.0};
  bn.beta = {0.5, 0.0};
  BatchNorm1d<double>::Cache cache;
  // feature 0: values 1, 3 (mean 2, biased variance 1, unbiased 2); feature 1: 4, 4
  const Tensor2<double> x = {{1, 4}, {3, 4}};
  const Tensor2<double> y = bn.forward(x, cache, kTrain);
  const double s = 1.0 / std::sqrt(1.0 + 1e-5);
  const Tensor2<double> expected = {{0.5 - 2 * s, 0.0}, {0.5 + 2 * s, 0.0}};
  require_close("Y", y, expected, 1e-12, 1e-12);
  // running = 0.9 running + 0.1 batch, with the unbiased variance
  require_close("running_mean", bn.running_mean, Tensor1<double>{0.2, 0.4});
  require_close("running_var", bn.running_var, Tensor1<double>{0.9 + 0.2, 0.9});
  // eval mode uses the running statistics: (x - 0.2) / sqrt(1.1 + eps) * 2 + 0.5
  const Tensor2<double> ye = bn.forward(Tensor2<double>{{1.2, 0.4}}, cache, kEval);
  CHECK(ye(0, 0) == Approx(0.5 + 2.0 / std::sqrt(1.1 + 1e-5)).epsilon(1e-12));
  CHECK(ye(0, 1) == Approx(0.0).margin(1e-12));
}

TEST_CASE("BatchNorm1d backward matches central differences (train and eval)",
          "[batchnorm][gradcheck]") {
  auto bn = random_bn<2>(5);
  const auto x = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{7, 5}, 2, 2.0);
  SECTION("train: batch statistics") { check_bn(bn, x, kTrain); }
  SECTION("eval: running statistics") { check_bn(bn, x, kEval); }
}

TEST_CASE("BatchNorm2d backward matches central differences (train and eval)",
          "[batchnorm][gradcheck]") {
  auto bn = random_bn<4>(3);
  const auto x = testing::random_tensor<Tensor4<double>>(std::array<std::size_t, 4>{2, 3, 4, 5}, 3, 2.0);
  SECTION("train: batch statistics") { check_bn(bn, x, kTrain); }
  SECTION("eval: running statistics") { check_bn(bn, x, kEval); }
}

TEST_CASE("BatchNorm backward accumulates dgamma and dbeta", "[batchnorm]") {
  auto bn = random_bn<4>(2);
  BatchNorm2d<double>::Cache cache;
  const auto x = testing::random_tensor<Tensor4<double>>(std::array<std::size_t, 4>{3, 2, 2, 2}, 5);
  const auto g = testing::random_like(x, 6);
  bn.forward(x, cache, kTrain);
  bn.backward(g, cache);
  const Tensor1<double> once = bn.dgamma, once_b = bn.dbeta;
  bn.backward(g, cache);
  require_close("dgamma after two backward calls", bn.dgamma, Tensor1<double>(2.0 * once));
  require_close("dbeta after two backward calls", bn.dbeta, Tensor1<double>(2.0 * once_b));
}

template <class T, std::size_t R>
void bn_parity(const std::string& c, double rtol, double atol) {
  using X = xt::xtensor<T, R>;
  const X x = golden<T, R>(c, "x");
  BatchNorm<T, R> bn(x.shape(1));
  bn.gamma = golden<T, 1>(c, "gamma");
  bn.beta = golden<T, 1>(c, "beta");
  typename BatchNorm<T, R>::Cache cache;

  // train mode: output, gradients and the running statistics after one batch
  const X y = bn.forward(x, cache, kTrain);
  const X dx = bn.backward(golden<T, R>(c, "dy"), cache);
  require_close("y", y, golden<T, R>(c, "y"), rtol, atol);
  require_close("dx", dx, golden<T, R>(c, "dx"), rtol, atol);
  require_close("dgamma", bn.dgamma, golden<T, 1>(c, "dgamma"), rtol, atol);
  require_close("dbeta", bn.dbeta, golden<T, 1>(c, "dbeta"), rtol, atol);
  require_close("running_mean after 1 batch", bn.running_mean, golden<T, 1>(c, "running_mean1"), rtol, atol);
  require_close("running_var after 1 batch", bn.running_var, golden<T, 1>(c, "running_var1"), rtol, atol);

  // two more training batches move the running statistics further
  bn.forward(golden<T, R>(c, "x2"), cache, kTrain);
  bn.forward(golden<T, R>(c, "x3"), cache, kTrain);
  require_close("running_mean after 3 batches", bn.running_mean, golden<T, 1>(c, "running_mean3"), rtol, atol);
  require_close("running_var after 3 batches", bn.running_var, golden<T, 1>(c, "running_var3"), rtol, atol);

  // eval mode: a fixed affine map with the running statistics, and its backward
  bn.dgamma.fill(T(0));
  bn.dbeta.fill(T(0));
  const X ye = bn.forward(golden<T, R>(c, "x_eval"), cache, kEval);
  const X dxe = bn.backward(golden<T, R>(c, "dy_eval"), cache);
  require_close("y_eval", ye, golden<T, R>(c, "y_eval"), rtol, atol);
  require_close("dx_eval", dxe, golden<T, R>(c, "dx_eval"), rtol, atol);
  require_close("dgamma_eval", bn.dgamma, golden<T, 1>(c, "dgamma_eval"), rtol, atol);
  require_close("dbeta_eval", bn.dbeta, golden<T, 1>(c, "dbeta_eval"), rtol, atol);
}

TEST_CASE("BatchNorm1d matches PyTorch nn.BatchNorm1d", "[batchnorm][pytorch]") {
  bn_parity<double, 2>("batchnorm1d_f64", 1e-10, 1e-12);
}

TEST_CASE("BatchNorm2d matches PyTorch nn.BatchNorm2d (double and float)", "[batchnorm][pytorch]") {
  bn_parity<double, 4>("batchnorm2d_f64", 1e-10, 1e-12);
  bn_parity<float, 4>("batchnorm2d_f32", 1e-4, 1e-5);
}

TEST_CASE("BatchNorm rejects inputs of the wrong shape, naming both", "[batchnorm][errors]") {
  BatchNorm1d<float> bn1(4);
  BatchNorm1d<float>::Cache c1;
  REQUIRE_THROWS_WITH(bn1.forward(xt::zeros<float>({8, 5}), c1, kTrain),
                      Catch::Contains("BatchNorm1d(4)") && Catch::Contains("(8, 5)") &&
                          Catch::Contains("(N, 4)"));
  BatchNorm2d<float> bn2(3);
  BatchNorm2d<float>::Cache c2;
  REQUIRE_THROWS_WITH(bn2.forward(xt::zeros<float>({2, 4, 5, 5}), c2, kEval),
                      Catch::Contains("BatchNorm2d(3)") && Catch::Contains("(2, 4, 5, 5)") &&
                          Catch::Contains("(N, 3, H, W)"));
  bn2.forward(xt::ones<float>({2, 3, 5, 5}), c2, kTrain);
  REQUIRE_THROWS_WITH(bn2.backward(xt::zeros<float>({2, 3, 5, 4}), c2),
                      Catch::Contains("dY") && Catch::Contains("(2, 3, 5, 4)") &&
                          Catch::Contains("(2, 3, 5, 5)"));
  // one value per channel has no variance to normalise by (PyTorch refuses it too)
  REQUIRE_THROWS_WITH(bn1.forward(xt::zeros<float>({1, 4}), c1, kTrain),
                      Catch::Contains("more than one value per channel"));
  CHECK_NOTHROW(bn1.forward(xt::zeros<float>({1, 4}), c1, kEval));  // fine at inference
}

TEST_CASE("BatchNorm in a Sequential: named parameters and buffers, saved and loaded",
          "[batchnorm]") {
  Rng rng(3);
  auto make = [&] {
    Sequential<float> net;
    net.add(Linear<float>(6, 4, rng)).add(BatchNorm1d<float>(4)).add(Linear<float>(4, 2, rng));
    return net;
  };
  Sequential<float> net = make();
  const auto buffers = net.buffers();
  REQUIRE(buffers.size() == 2);
  CHECK(buffers[0].name == "1.running_mean");
  CHECK(buffers[1].name == "1.running_var");
  const auto params = net.params();
  REQUIRE(params.size() == 6);
  CHECK(params[2].name == "1.gamma");
  CHECK_FALSE(params[2].decay);

  // a training forward moves the running statistics; save, load into a fresh net, compare
  const auto x = testing::random_tensor<Tensor2<float>>(std::array<std::size_t, 2>{16, 6}, 4, 3.0);
  net.forward(x, kTrain);
  const Tensor1<float> rm = net.layer<BatchNorm1d<float>>(1).running_mean;
  CHECK(xt::amax(xt::abs(rm))() > 0.01f);
  const auto path = testing::scratch_dir("layers", "batchnorm") / "bn.npz";
  save_model(path, net);
  Sequential<float> other = make();
  load_model(path, other);
  require_close("loaded running_mean", other.layer<BatchNorm1d<float>>(1).running_mean, rm, 0, 0);
  require_close("loaded running_var", other.layer<BatchNorm1d<float>>(1).running_var,
                net.layer<BatchNorm1d<float>>(1).running_var, 0, 0);
  // eval mode depends only on the input: the same batch twice, the same output
  const Tensor2<float> a = net.forward2(x, kEval), b = net.forward2(x, kEval);
  require_close("eval output twice", a, b, 0, 0);
  require_close("loaded net's eval output", other.forward2(x, kEval), a, 1e-6, 1e-6);
}
