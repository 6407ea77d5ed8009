#include <catch2/catch.hpp>

#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/losses/huber.hpp"
#include "dlcore/losses/mse.hpp"
#include "dlcore/losses/per_example.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

using namespace dl;

TEST_CASE("per_example: each row's loss and gradient alone", "[losses]") {
  const Tensor2<double> e = {{-3.0}, {0.5}, {2.0}};
  const Tensor2<double> zero = xt::zeros<double>({3, 1});
  const auto mse = per_example(MSELoss<double>{}, e, zero);
  testing::require_close("mse.loss", mse.loss, Tensor1<double>{9.0, 0.25, 4.0}, 1e-15, 0);
  testing::require_close("mse.grad", mse.grad, Tensor2<double>{{-6.0}, {1.0}, {4.0}}, 1e-15, 0);
  const auto huber = per_example(HuberLoss<double>(1.0), e, zero);
  testing::require_close("huber.loss", huber.loss, Tensor1<double>{2.5, 0.125, 1.5}, 1e-15, 0);
  testing::require_close("huber.grad", huber.grad, Tensor2<double>{{-1.0}, {0.5}, {1.0}}, 1e-15, 0);
}

TEST_CASE("per_example: the mean of the rows is the batch loss, their gradients N times the batch's", "[losses]") {
  const Tensor2<double> z = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{5, 3}, 31, 2.0);
  const Labels y = {0, 2, 1, 1, 0};
  const auto r = per_example(SoftmaxCrossEntropy<double>{}, z, y);
  SoftmaxCrossEntropy<double>::Cache c;
  CHECK(xt::mean(r.loss)() == Approx(SoftmaxCrossEntropy<double>{}.forward(z, y, c)).epsilon(1e-14));
  testing::require_close("grad", r.grad, xt::eval(5.0 * SoftmaxCrossEntropy<double>{}.backward(c)), 1e-13, 1e-15);
}

TEST_CASE("per_example rejects a target with a different number of rows", "[losses][errors]") {
  REQUIRE_THROWS_WITH(per_example(MSELoss<float>{}, Tensor2<float>(xt::zeros<float>({3, 1})),
                                  Tensor2<float>(xt::zeros<float>({2, 1}))),
                      Catch::Contains("per_example") && Catch::Contains("(3, 1)") && Catch::Contains("(2, 1)"));
}
