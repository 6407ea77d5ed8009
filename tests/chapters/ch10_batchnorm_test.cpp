// ch10_batchnorm: the quick run trains the deep MLP with and without BN and shows BN ahead
// after one epoch; the probes see BN's unit spread and the plain net's shrinking one.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch10 --quick: BN trains the deep MLP faster and keeps every layer's spread", "[ch10]") {
  const auto m = testing::quick_metrics("ch10_batchnorm");
  CHECK(m["epochs"] == 1);
  CHECK(m["depth"] == 10);
  // 10 Linear layers' parameters, plus gamma and beta per hidden unit
  CHECK(m["num_params_plain"] == 784 * 256 + 256 + 9 * (256 * 256 + 256) + 256 * 10 + 10);
  CHECK(m["num_params_bn"] == m["num_params_plain"].get<int>() + 10 * 2 * 256);
  // the acceptance line: with BN the training loss after one epoch is lower (quick: about
  // 1.13 with BN, 2.27 without: the plain net has barely left log 10)
  const double bn = m["bn_train_loss_epoch1"], plain = m["plain_train_loss_epoch1"];
  CHECK(bn < plain);
  CHECK(bn < 1.6);
  CHECK(plain > 2.0);
  CHECK(m["bn_test_accuracy"].get<double>() > 0.6);
  CHECK(m["plain_test_accuracy"].get<double>() < m["bn_test_accuracy"].get<double>());
  // at the start BN's ReLU inputs have unit spread at every depth; the plain net's shrink
  // by about 1/sqrt(2) per layer (Xavier weights, half the units off)
  CHECK(m["bn_std_last_layer_start"].get<double>() == Approx(1.0).epsilon(0.01));
  CHECK(m["plain_std_last_layer_start"].get<double>() < 0.05);
  CHECK(m["plain_std_first_layer_start"].get<double>() > 0.4);
  CHECK(m["exercise_forward_matches"] == true);
  CHECK(m["exercise_backward_matches"] == true);
  testing::require_outputs("ch10_batchnorm", {"loss.svg", "loss.csv", "accuracy.svg", "activations_plain.svg",
                                              "activations_bn.svg", "activation_std.svg", "activation_std.csv"});
}

TEST_CASE("ch10 is reproducible and checks its command line", "[ch10]") {
  const auto a = testing::quick_metrics("ch10_batchnorm", "--seed 5 --depth 3 --width 32");
  const auto b = testing::quick_metrics("ch10_batchnorm", "--seed 5 --depth 3 --width 32");
  testing::require_same_values(a, b, {"bn_train_loss_epoch1", "plain_train_loss_epoch1", "bn_test_accuracy"});
  CHECK(a["depth"] == 3);
  testing::require_rejects("ch10_batchnorm", "--depth 0", "--depth");
  testing::require_rejects("ch10_batchnorm", "--quick --optimizer lbfgs", "lbfgs");
  testing::require_help_lists("ch10_batchnorm", {"--seed", "--quick", "--data", "--epochs", "--out", "--depth", "--optimizer"});
  testing::require_missing_data_error("ch10_batchnorm");
}
