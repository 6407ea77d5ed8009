#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/layers/activations.hpp"
#include "dlcore/losses/categorical_cross_entropy.hpp"
#include "dlcore/losses/cross_entropy.hpp"
#include "dlcore/losses/kl_div.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;
using testing::require_close;

namespace {
Tensor2<double> rnd(std::size_t n, std::size_t k, std::uint64_t seed, double scale = 1) {
  return testing::random_tensor<Tensor2<double>>(std::array<std::size_t, 2>{n, k}, seed, scale);
}
}  // namespace

TEST_CASE("CategoricalCrossEntropy: hand-computed values and one_hot", "[losses]") {
  CategoricalCrossEntropy<double> ce;
  CategoricalCrossEntropy<double>::Cache c;
  // one-hot targets: -(log 0.5 + log 0.25) / 2
  const Tensor2<double> p = {{0.5, 0.5, 0.0}, {0.25, 0.25, 0.5}};
  const Tensor2<double> t = one_hot<double>(Labels{0, 1}, 3);
  testing::require_close("t", t, Tensor2<double>{{1, 0, 0}, {0, 1, 0}}, 1e-15, 0);
  CHECK(ce.forward(p, t, c) == Approx((std::log(2.0) + std::log(4.0)) / 2));
  const Tensor2<double> d = ce.backward(c);  // -t / (N p): -1/(2*0.5), -1/(2*0.25); 0 elsewhere
  testing::require_close("d", d, Tensor2<double>{{-1.0, 0, 0}, {0, -2.0, 0}}, 1e-15, 0);
  // H(p) = H(p, p): the entropy of a fair coin is log 2
  const Tensor2<double> coin = {{0.5, 0.5}};
  CHECK(ce.forward(coin, coin, c) == Approx(std::log(2.0)));
}

TEST_CASE("CategoricalCrossEntropy: H(t, p) = H(t) + KL(t || p)", "[losses]") {
  const Tensor2<double> t = softmax_rows(rnd(5, 4, 11));
  const Tensor2<double> p = softmax_rows(rnd(5, 4, 12, 2.0));
  CategoricalCrossEntropy<double>::Cache c;
  KLDivLoss<double>::Cache kc;
  const double cross = CategoricalCrossEntropy<double>{}.forward(p, t, c);
  const double entropy = CategoricalCrossEntropy<double>{}.forward(t, t, c);
  const double kl = KLDivLoss<double>{}.forward(xt::eval(xt::log(p)), t, kc);
  CHECK(cross == Approx(entropy + kl).epsilon(1e-14));
  CHECK(kl > 0);
}

TEST_CASE("CategoricalCrossEntropy after Softmax equals the fused SoftmaxCrossEntropy", "[losses]") {
  const Tensor2<double> z = rnd(6, 4, 13, 2.0);
  const Labels y = {0, 3, 1, 1, 2, 3};
  Softmax<double> softmax;
  Softmax<double>::Cache sc;
  CategoricalCrossEntropy<double>::Cache cc;
  SoftmaxCrossEntropy<double>::Cache fc;
  const Tensor2<double> p = softmax.forward(z, sc);
  const double unfused = CategoricalCrossEntropy<double>{}.forward(p, one_hot<double>(y, 4), cc);
  const double fused = SoftmaxCrossEntropy<double>{}.forward(z, y, fc);
  CHECK(unfused == Approx(fused).epsilon(1e-14));
  const Tensor2<double> dz = softmax.backward(CategoricalCrossEntropy<double>{}.backward(cc), sc);
  require_close("dz", dz, SoftmaxCrossEntropy<double>{}.backward(fc), 1e-12, 1e-15);
}

TEST_CASE("CategoricalCrossEntropy gradient matches central differences", "[losses][gradcheck]") {
  SECTION("soft targets") {
    testing::check_loss(CategoricalCrossEntropy<double>{}, softmax_rows(rnd(5, 4, 14)),
                        softmax_rows(rnd(5, 4, 15)));
  }
  SECTION("one-hot targets") {
    testing::check_loss(CategoricalCrossEntropy<double>{}, softmax_rows(rnd(6, 3, 16)),
                        one_hot<double>(Labels{0, 2, 1, 1, 0, 2}, 3));
  }
}

TEST_CASE("CategoricalCrossEntropy matches PyTorch", "[losses][pytorch]") {
  for (const char* c : {"categorical_ce", "categorical_ce_onehot"}) {
    INFO(c);
    CategoricalCrossEntropy<double>::Cache cache;
    const double l = CategoricalCrossEntropy<double>{}.forward(golden<double, 2>(c, "pred"),
                                                               golden<double, 2>(c, "target"), cache);
    CHECK(l == Approx(golden<double, 1>(c, "loss")(0)).epsilon(1e-12));
    require_close("dpred", CategoricalCrossEntropy<double>{}.backward(cache),
                  golden<double, 2>(c, "dpred"), 1e-10, 1e-14);
  }
  const Labels y = golden<std::int32_t, 1>("categorical_ce_onehot", "labels");
  testing::require_close("one_hot", one_hot<double>(y, 4),
                         golden<double, 2>("categorical_ce_onehot", "target"), 1e-15, 0);
}

TEST_CASE("CategoricalCrossEntropy and one_hot reject bad input", "[losses][errors]") {
  CategoricalCrossEntropy<float>::Cache c;
  REQUIRE_THROWS_WITH(
      CategoricalCrossEntropy<float>{}.forward(xt::ones<float>({4, 3}), xt::ones<float>({4, 2}), c),
      Catch::Contains("CategoricalCrossEntropy") && Catch::Contains("(4, 3)") &&
          Catch::Contains("(4, 2)"));
  REQUIRE_THROWS_AS(
      CategoricalCrossEntropy<float>{}.forward(xt::ones<float>({0, 3}), xt::ones<float>({0, 3}), c),
      ShapeError);
  REQUIRE_THROWS_WITH(one_hot<float>(Labels{0, 5}, 3),
                      Catch::Contains("one_hot") && Catch::Contains("label 5"));
}

TEST_CASE("CategoricalCrossEntropy: a zero probability for the target is an infinite loss", "[losses]") {
  CategoricalCrossEntropy<double>::Cache c;
  const double l = CategoricalCrossEntropy<double>{}.forward(Tensor2<double>{{0.0, 1.0}},
                                                             Tensor2<double>{{1.0, 0.0}}, c);
  CHECK(std::isinf(l));
}
