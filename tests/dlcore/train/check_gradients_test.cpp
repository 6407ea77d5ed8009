#include <catch2/catch.hpp>

#include "dlcore/layers/activations.hpp"
#include "dlcore/layers/linear.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/losses/mse.hpp"
#include "dlcore/train/check_gradients.hpp"
#include "support/gradcheck.hpp"

using namespace dl;

TEST_CASE("check_gradients passes a correct network in double", "[gradcheck]") {
  Rng rng(5);
  Sequential<double> net;
  net.add(Linear<double>(2, 6, rng)).add(Tanh<double>{}).add(Linear<double>(6, 3, rng));
  const Tensor2<double> X = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{7, 2}, 6);
  const Labels y = {0, 1, 2, 2, 1, 0, 1};
  const auto checks = check_gradients(net, SoftmaxCrossEntropy<double>{}, X, y);
  REQUIRE(checks.size() == 4);
  CHECK(checks[0].name == "0.W");
  for (const auto& c : checks) {
    INFO(c.report());
    CHECK(c.rel_error < 1e-8);
  }
  CHECK(max_rel_error(checks) < 1e-8);
}

TEST_CASE("check_gradients: the error depends on the step, and float is far worse", "[gradcheck]") {
  Rng rng(5), rng_f(5);
  Sequential<double> net;
  net.add(Linear<double>(2, 4, rng)).add(Tanh<double>{}).add(Linear<double>(4, 1, rng));
  Sequential<float> net_f;
  net_f.add(Linear<float>(2, 4, rng_f)).add(Tanh<float>{}).add(Linear<float>(4, 1, rng_f));
  const Tensor2<double> X = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{5, 2}, 8);
  const Tensor2<double> Y = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{5, 1}, 9);
  const double good = max_rel_error(check_gradients(net, MSELoss<double>{}, X, Y, 1e-5));
  const double coarse = max_rel_error(check_gradients(net, MSELoss<double>{}, X, Y, 1e-1));
  const double tiny = max_rel_error(check_gradients(net, MSELoss<double>{}, X, Y, 1e-12));
  CHECK(good < 1e-8);
  CHECK(coarse > 100 * good);  // truncation error O(h^2)
  CHECK(tiny > 100 * good);    // rounding error O(eps / h)
  const Tensor2<float> Xf = xt::cast<float>(X), Yf = xt::cast<float>(Y);
  const double f = max_rel_error(check_gradients(net_f, MSELoss<float>{}, Xf, Yf, 1e-5f));
  CHECK(f > 1e-4);  // float at double's best step: rounding dominates
}

TEST_CASE("check_gradients catches a wrong backward", "[gradcheck]") {
  // A network whose loss is evaluated on a different target than its gradient cannot pass;
  // simplest wrong gradient: scale the analytic one after the fact.
  Rng rng(5);
  Sequential<double> net;
  net.add(Linear<double>(3, 2, rng));
  const Tensor2<double> X = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{4, 3}, 10);
  const Tensor2<double> Y = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{4, 2}, 11);
  auto checks = check_gradients(net, MSELoss<double>{}, X, Y);
  CHECK(max_rel_error(checks) < 1e-8);
  auto p = net.params()[0];
  for (std::size_t i = 0; i < p.size(); ++i) p.grad[i] *= 1.01;
  const auto again = numerical_gradient_check(p.name, p.value, p.grad, p.size(), [&] {
    MSELoss<double>::Cache c;
    return MSELoss<double>{}.forward(net.forward2(X), Y, c);
  });
  CHECK(again.rel_error > 1e-3);
}
