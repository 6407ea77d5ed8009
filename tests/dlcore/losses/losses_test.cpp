#include <catch2/catch.hpp>

#include "dlcore/layers/activations.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/losses/huber.hpp"
#include "dlcore/losses/kl_div.hpp"
#include "dlcore/losses/mse.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;

namespace {
using Shape2 = std::array<std::size_t, 2>;
Tensor2<double> rnd(Shape2 s, std::uint64_t seed, double scale = 1) {
  return testing::random_tensor<Tensor2<double>>(s, seed, scale);
}

template <class Loss, class Y>
void parity(const Loss& loss, const std::string& c, const Y& target) {
  typename Loss::Cache cache;
  const double l = loss.forward(golden<double, 2>(c, "pred"), target, cache);
  const Tensor2<double> d = loss.backward(cache);
  CHECK(l == Approx(golden<double, 1>(c, "loss")(0)).epsilon(1e-12));
  require_close("dpred", d, golden<double, 2>(c, "dpred"), 1e-10, 1e-14);
}
}  // namespace

TEST_CASE("Losses: hand-computed values", "[losses]") {
  MSELoss<double>::Cache mc;
  CHECK(MSELoss<double>{}.forward(Tensor2<double>{{1, 2}}, Tensor2<double>{{0, 0}}, mc) == 2.5);
  HuberLoss<double>::Cache hc;  // |e| = 0.5 -> 0.125 ; |e| = 3 -> 1 * (3 - 0.5) = 2.5
  CHECK(HuberLoss<double>(1.0).forward(Tensor2<double>{{0.5, 3}}, Tensor2<double>{{0, 0}}, hc) ==
        Approx(1.3125));
  SoftmaxCrossEntropy<double>::Cache cc;  // uniform logits over 4 classes: log 4
  CHECK(SoftmaxCrossEntropy<double>{}.forward(Tensor2<double>{{0, 0, 0, 0}}, Labels{2}, cc) ==
        Approx(std::log(4.0)));
  BinaryCrossEntropy<double>::Cache bc;
  CHECK(BinaryCrossEntropy<double>{}.forward(Tensor2<double>{{0.5}}, Tensor2<double>{{1}}, bc) ==
        Approx(std::log(2.0)));
  KLDivLoss<double>::Cache kc;  // KL(p || p) = 0
  const Tensor2<double> p = {{0.2, 0.8}};
  CHECK(KLDivLoss<double>{}.forward(xt::eval(xt::log(p)), p, kc) == Approx(0.0).margin(1e-15));
}

TEST_CASE("Loss gradients match central differences", "[losses][gradcheck]") {
  SECTION("MSE") { testing::check_loss(MSELoss<double>{}, rnd({5, 3}, 1), rnd({5, 3}, 2)); }
  SECTION("Huber, both regions") {
    Tensor2<double> pred = rnd({6, 4}, 3, 3.0);
    const Tensor2<double> target = xt::zeros<double>({6, 4});
    for (auto& v : pred)  // keep away from the corners |e| = delta
      if (std::abs(std::abs(v) - 1.5) < 0.05) v += 0.2;
    testing::check_loss(HuberLoss<double>(1.5), pred, target);
  }
  SECTION("softmax cross-entropy") {
    testing::check_loss(SoftmaxCrossEntropy<double>{}, rnd({6, 4}, 4, 2.0), Labels{0, 3, 1, 1, 2, 3});
  }
  SECTION("binary cross-entropy") {
    Tensor2<double> p = xt::eval(0.1 + 0.8 * xt::abs(xt::tanh(rnd({5, 3}, 5))));
    testing::check_loss(BinaryCrossEntropy<double>{}, p, Tensor2<double>(xt::eval(xt::round(xt::abs(xt::tanh(rnd({5, 3}, 6)))))));
  }
  SECTION("sigmoid binary cross-entropy") {
    testing::check_loss(SigmoidBinaryCrossEntropy<double>{}, rnd({5, 3}, 7, 3.0),
                        Tensor2<double>(xt::eval(xt::abs(xt::tanh(rnd({5, 3}, 8))))));
  }
  SECTION("KL divergence") {
    const Tensor2<double> p = softmax_rows(rnd({5, 4}, 9));
    testing::check_loss(KLDivLoss<double>{}, log_softmax_rows(rnd({5, 4}, 10)), p);
  }
}

TEST_CASE("Losses match PyTorch", "[losses][pytorch]") {
  parity(MSELoss<double>{}, "mse", golden<double, 2>("mse", "target"));
  parity(HuberLoss<double>(1.5), "huber", golden<double, 2>("huber", "target"));
  parity(BinaryCrossEntropy<double>{}, "bce", golden<double, 2>("bce", "target"));
  parity(SigmoidBinaryCrossEntropy<double>{}, "sigmoid_bce", golden<double, 2>("sigmoid_bce", "target"));
  parity(SoftmaxCrossEntropy<double>{}, "softmax_ce", golden<std::int32_t, 1>("softmax_ce", "target"));
  parity(KLDivLoss<double>{}, "kl_div", golden<double, 2>("kl_div", "target"));
}

TEST_CASE("Losses reject mismatched shapes and bad labels", "[losses][errors]") {
  MSELoss<float>::Cache mc;
  REQUIRE_THROWS_WITH(MSELoss<float>{}.forward(xt::zeros<float>({4, 2}), xt::zeros<float>({4, 3}), mc),
                      Catch::Contains("MSELoss") && Catch::Contains("(4, 2)") && Catch::Contains("(4, 3)"));
  SoftmaxCrossEntropy<float>::Cache cc;
  REQUIRE_THROWS_WITH(SoftmaxCrossEntropy<float>{}.forward(xt::zeros<float>({2, 3}), Labels{0, 3}, cc),
                      Catch::Contains("label 3"));
  REQUIRE_THROWS_WITH(SoftmaxCrossEntropy<float>{}.forward(xt::zeros<float>({2, 3}), Labels{0}, cc),
                      Catch::Contains("1 labels for 2 rows"));
  REQUIRE_THROWS_AS(HuberLoss<float>(-1.0f), ValueError);
}
