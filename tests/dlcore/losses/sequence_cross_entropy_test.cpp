// Softmax cross-entropy at every valid step of a sequence batch: a value by hand, the gradient
// by central differences with ragged lengths, parity with nn.CrossEntropyLoss(ignore_index),
// argmax decoding, bad input.
#include <catch2/catch.hpp>

#include <cmath>

#include "dlcore/losses/sequence_cross_entropy.hpp"
#include "support/gradcheck.hpp"
#include "support/golden.hpp"

using namespace dl;
using testing::golden;

TEST_CASE("SequenceCrossEntropy by hand: the mean over valid steps only", "[sequence_ce]") {
  // T = 2, N = 2, K = 2; sequence 1 has one step, its padded step holds huge logits
  const Tensor3<double> z = {{{0.0, 1.0}, {2.0, 0.0}}, {{1.0, 1.0}, {1e3, -1e3}}};
  Tags y = {{1, 0}, {0, -1}};
  const Lengths lengths{2, 1};
  SequenceCrossEntropy<double> ce;
  SequenceCrossEntropy<double>::Cache cache;
  const double l0 = std::log(1 + std::exp(-1.0)), l1 = std::log(2.0), l2 = std::log(1 + std::exp(-2.0));
  CHECK(ce.forward(z, y, &lengths, cache) == Approx((l0 + l1 + l2) / 3).epsilon(1e-14));
  const Tensor3<double> dz = ce.backward(cache);
  CHECK(dz(1, 1, 0) == 0.0);  // the padded step
  CHECK(dz(1, 1, 1) == 0.0);
  CHECK(dz(1, 0, 0) == Approx((0.5 - 1) / 3).epsilon(1e-14));  // (p - e_y) / 3
}

TEST_CASE("SequenceCrossEntropy gradient matches central differences with ragged lengths", "[sequence_ce][gradcheck]") {
  Tensor3<double> z = testing::random_tensor<Tensor3<double>>(std::array<std::size_t, 3>{5, 3, 4}, 3, 2.0);
  Tags y = {{0, 3, 2, 1, 1}, {2, -1, -1, -1, -1}, {3, 3, 0, -1, -1}};
  const Lengths lengths{5, 1, 3};
  SequenceCrossEntropy<double> ce;
  SequenceCrossEntropy<double>::Cache cache;
  ce.forward(z, y, &lengths, cache);
  const Tensor3<double> dz = ce.backward(cache);
  auto objective = [&] {
    SequenceCrossEntropy<double>::Cache c;
    return ce.forward(z, y, &lengths, c);
  };
  testing::require_gradient("dZ", z.data(), dz.data(), z.size(), objective);
}

TEST_CASE("SequenceCrossEntropy equals nn.CrossEntropyLoss(ignore_index=-1) on a ragged batch", "[sequence_ce][golden]") {
  const std::string name = "sequence_ce_ragged";
  Lengths lengths;
  for (auto v : golden<std::int64_t, 1>(name, "lengths")) lengths.push_back(std::size_t(v));
  SequenceCrossEntropy<double> ce;
  SequenceCrossEntropy<double>::Cache cache;
  const double loss = ce.forward(golden<double, 3>(name, "logits"), golden<std::int32_t, 2>(name, "tags"), &lengths, cache);
  CHECK(loss == Approx(golden<double, 1>(name, "loss")(0)).epsilon(1e-13));
  testing::require_close("dZ", ce.backward(cache), golden<double, 3>(name, "dlogits"));
}

TEST_CASE("argmax_tags takes the best tag of each valid step and -1 at padding", "[sequence_ce]") {
  const Tensor3<float> z = {{{0, 1, 0}, {5, 0, 0}}, {{0, 0, 2}, {0, 9, 0}}};
  const Lengths lengths{2, 1};
  const Tags want = {{1, 2}, {0, -1}};
  CHECK(bool(argmax_tags(z, &lengths) == want));
  const Tags full = {{1, 2}, {0, 1}};
  CHECK(bool(argmax_tags(z, nullptr) == full));
}

TEST_CASE("SequenceCrossEntropy refuses bad tags and shapes", "[sequence_ce][errors]") {
  SequenceCrossEntropy<double> ce;
  SequenceCrossEntropy<double>::Cache cache;
  const Tensor3<double> z = xt::zeros<double>({3, 2, 4});
  Tags wrong = xt::zeros<std::int32_t>({3, 2});
  CHECK_THROWS_WITH(ce.forward(z, wrong, nullptr, cache), Catch::Contains("SequenceCrossEntropy") && Catch::Contains("(3, 2)"));
  Tags y = xt::zeros<std::int32_t>({2, 3});
  y(0, 1) = 4;
  CHECK_THROWS_WITH(ce.forward(z, y, nullptr, cache), Catch::Contains("tag 4"));
  const Lengths lengths{1, 3};
  CHECK_NOTHROW(ce.forward(z, y, &lengths, cache));  // the bad tag sits in the padding
  const Lengths bad{1};
  CHECK_THROWS_AS(ce.forward(z, y, &bad, cache), ShapeError);
  SequenceCrossEntropy<double>::Cache unused;
  CHECK_THROWS_AS(ce.backward(unused), ValueError);
}
