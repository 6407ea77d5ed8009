#include <catch2/catch.hpp>

#include "dlcore/core/gemm.hpp"
#include "dlcore/core/parallel.hpp"
#include "dlcore/layers/linear.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;

TEST_CASE("Linear forward computes XW + b by hand", "[linear]") {
  Linear<double> lin;
  lin.W = {{1, 2}, {3, 4}, {5, 6}};  // (3, 2)
  lin.b = {0.5, -1};
  lin.dW = xt::zeros<double>({3, 2});
  lin.db = xt::zeros<double>({2});
  Linear<double>::Cache cache;
  const Tensor2<double> x = {{1, 0, -1}, {2, 1, 0}};
  const Tensor2<double> y = lin.forward(x, cache);
  // row 0: (1 - 5 + 0.5, 2 - 6 - 1); row 1: (2 + 3 + 0.5, 4 + 4 - 1)
  const Tensor2<double> expected = {{-3.5, -5}, {5.5, 7}};
  require_close("Y", y, expected);
}

TEST_CASE("Linear backward matches central differences", "[linear][gradcheck]") {
  Rng rng(1);
  Linear<double> lin(7, 4, rng);
  lin.b = testing::random_like(lin.b, 3);
  testing::check_layer(lin, testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{5, 7}, 2));
}

TEST_CASE("Linear backward accumulates parameter gradients", "[linear]") {
  Rng rng(1);
  Linear<double> lin(3, 2, rng);
  Linear<double>::Cache cache;
  const Tensor2<double> x = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{4, 3}, 5);
  const Tensor2<double> g = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{4, 2}, 6);
  lin.forward(x, cache);
  lin.backward(g, cache);
  const Tensor2<double> once = lin.dW;
  lin.backward(g, cache);
  require_close("dW after two backward calls", lin.dW, Tensor2<double>(2.0 * once));
}

TEST_CASE("Linear skips dX when the input needs no gradient", "[linear]") {
  Rng rng(1);
  Linear<float> lin(3, 2, rng);
  lin.input_grad = false;
  Linear<float>::Cache cache;
  lin.forward(xt::ones<float>({4, 3}), cache);
  const Tensor2<float> dx = lin.backward(xt::ones<float>({4, 2}), cache);
  CHECK(dx.size() == 0);
  CHECK(lin.db(0) == 4.0f);
}

TEST_CASE("Linear rejects an input of the wrong width, naming both shapes", "[linear][errors]") {
  Rng rng(1);
  Linear<float> lin(784, 10, rng);
  Linear<float>::Cache cache;
  REQUIRE_THROWS_WITH(lin.forward(xt::zeros<float>({8, 783}), cache),
                      Catch::Contains("Linear") && Catch::Contains("(8, 783)") &&
                          Catch::Contains("(N, 784)"));
  lin.forward(xt::zeros<float>({8, 784}), cache);
  REQUIRE_THROWS_AS(lin.backward(xt::zeros<float>({8, 9}), cache), ShapeError);
}

template <class T>
void linear_parity(const std::string& c, double rtol, double atol) {
  Linear<T> lin;
  lin.W = golden<T, 2>(c, "W");
  lin.b = golden<T, 1>(c, "b");
  lin.dW = xt::zeros<T>(lin.W.shape());
  lin.db = xt::zeros<T>(lin.b.shape());
  typename Linear<T>::Cache cache;
  const Tensor2<T> y = lin.forward(golden<T, 2>(c, "x"), cache);
  const Tensor2<T> dx = lin.backward(golden<T, 2>(c, "dy"), cache);
  require_close("y", y, golden<T, 2>(c, "y"), rtol, atol);
  require_close("dx", dx, golden<T, 2>(c, "dx"), rtol, atol);
  require_close("dW", lin.dW, golden<T, 2>(c, "dW"), rtol, atol);
  require_close("db", lin.db, golden<T, 1>(c, "db"), rtol, atol);
}

TEST_CASE("Linear matches PyTorch nn.Linear (double and float)", "[linear][pytorch]") {
  linear_parity<double>("linear_f64", 1e-12, 1e-12);
  linear_parity<float>("linear_f32", 1e-5, 1e-6);
}

TEST_CASE("A default-constructed Linear given only W and b says what backward lacks", "[linear][errors]") {
  Linear<double> lin;
  lin.W = {{1, 2}, {3, 4}, {5, 6}};
  lin.b = {0.5, -1};
  Linear<double>::Cache cache;
  lin.forward(Tensor2<double>{{1, 0, -1}}, cache);  // forward needs no gradients
  REQUIRE_THROWS_AS(lin.backward(Tensor2<double>{{1, 1}}, cache), ShapeError);
  REQUIRE_THROWS_WITH(lin.backward(Tensor2<double>{{1, 1}}, cache),
                      Catch::Contains("Linear") && Catch::Contains("dW has shape (0, 0)") &&
                          Catch::Contains("W has shape (3, 2)") &&
                          Catch::Contains("default constructor"));
  lin.dW = xt::zeros<double>({3, 2});  // as the message says
  lin.db = xt::zeros<double>({2});
  lin.backward(Tensor2<double>{{1, 1}}, cache);
  CHECK(lin.dW(0, 0) == 1);
  CHECK(lin.db(1) == 1);
}

TEST_CASE("Linear backward on two cores gives the one-core gradients bit for bit", "[linear]") {
  // With BLAS on one thread and the pool on two, dW and dX run at once, each on its own core:
  // the same two calls, so the same numbers exactly.
  const int blas = num_threads(), pool = parallel_threads();
  set_num_threads(1);
  Rng rng(8);
  Linear<float> layer(300, 200, rng);
  Tensor2<float> x = Tensor2<float>::from_shape({128, 300}), g = Tensor2<float>::from_shape({128, 200});
  for (auto& v : x) v = float(rng.uniform(-1, 1));
  for (auto& v : g) v = float(rng.uniform(-1, 1));
  Linear<float>::Cache cache;
  layer.forward(x, cache);
  Tensor2<float> dx[2], dW[2];
  Tensor1<float> db[2];
  for (int threads : {1, 2}) {
    set_parallel_threads(threads);
    layer.dW.fill(0), layer.db.fill(0);
    dx[threads - 1] = layer.backward(g, cache);
    dW[threads - 1] = layer.dW, db[threads - 1] = layer.db;
  }
  set_parallel_threads(pool);
  set_num_threads(blas);
  const bool same_dx = dx[0] == dx[1], same_dW = dW[0] == dW[1], same_db = db[0] == db[1];
  CHECK(same_dx);
  CHECK(same_dW);
  CHECK(same_db);
  CHECK(xt::amax(xt::abs(dW[0]))() > 0.0f);
}
