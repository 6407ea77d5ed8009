#include <catch2/catch.hpp>

#include "dlcore/losses/l1.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;

TEST_CASE("L1Loss: hand-computed value and gradient", "[losses]") {
  L1Loss<double>::Cache c;
  // errors 1, -2, 0, 0.5 -> mean |e| = 3.5 / 4; gradient sign(e) / 4, 0 at e = 0
  CHECK(L1Loss<double>{}.forward(Tensor2<double>{{1, -2}, {3, 0.5}}, Tensor2<double>{{0, 0}, {3, 0}}, c) ==
        Approx(0.875));
  testing::require_close("dpred", L1Loss<double>{}.backward(c),
                         Tensor2<double>{{0.25, -0.25}, {0, 0.25}}, 1e-15, 0);
}

TEST_CASE("L1Loss gradient matches central differences", "[losses][gradcheck]") {
  Tensor2<double> pred = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{5, 3}, 21);
  const Tensor2<double> target = testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{5, 3}, 22);
  for (std::size_t i = 0; i < pred.size(); ++i)  // keep away from the kink at e = 0
    if (std::abs(pred.data()[i] - target.data()[i]) < 0.05) pred.data()[i] += 0.2;
  testing::check_loss(L1Loss<double>{}, pred, target);
}

TEST_CASE("L1Loss matches PyTorch", "[losses][pytorch]") {
  L1Loss<double>::Cache c;
  const double l = L1Loss<double>{}.forward(golden<double, 2>("l1", "pred"), golden<double, 2>("l1", "target"), c);
  CHECK(l == Approx(golden<double, 1>("l1", "loss")(0)).epsilon(1e-12));
  testing::require_close("dpred", L1Loss<double>{}.backward(c), golden<double, 2>("l1", "dpred"), 1e-10, 1e-14);
}

TEST_CASE("L1Loss rejects mismatched shapes", "[losses][errors]") {
  L1Loss<float>::Cache c;
  REQUIRE_THROWS_WITH(L1Loss<float>{}.forward(xt::zeros<float>({3, 1}), xt::zeros<float>({1, 3}), c),
                      Catch::Contains("L1Loss") && Catch::Contains("(3, 1)") && Catch::Contains("(1, 3)"));
}
