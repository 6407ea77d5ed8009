// ch13_lenet5: the quick run trains both CNNs, reports every figure and draws every plot;
// the same seed gives the same numbers; bad command lines and missing data fail clearly.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch13 --quick trains LeNet-5 and the seed CNN and reports their metrics", "[ch13]") {
  const auto m = testing::quick_metrics("ch13_lenet5");
  CHECK(m["lenet5_num_params"] == 44426);
  CHECK(m["seed_cnn_num_params"] == 889834);
  CHECK(m["lenet5_epochs"] == 1);
  CHECK(m["seed_cnn_epochs"] == 1);
  // 1,500 images, one epoch: both learn (chance is 0.1); about 0.59 and 0.51
  CHECK(m["lenet5_test_accuracy"].get<double>() > 0.35);
  CHECK(m["seed_cnn_test_accuracy"].get<double>() > 0.35);
  CHECK(m["lenet5_test_accuracy"].get<double>() < 1.0);
  CHECK(m["lenet5_test_loss"].get<double>() < 2.2);
  CHECK(m["exercise_lenet5_params_match"] == true);
  testing::require_outputs("ch13_lenet5",
                           {"lenet5_loss.svg", "lenet5_accuracy.svg", "lenet5_confusion.svg",
                            "lenet5_history.csv", "lenet5_params.csv", "lenet5.npz",
                            "seed_cnn_loss.svg", "seed_cnn_accuracy.svg", "seed_cnn_confusion.svg",
                            "seed_cnn_params.csv", "seed_cnn.npz", "metrics.json"});
}

TEST_CASE("ch13 is reproducible: the same seed gives the same figures", "[ch13]") {
  const auto a = testing::quick_metrics("ch13_lenet5", "--seed 5 --lenet-only");
  const auto b = testing::quick_metrics("ch13_lenet5", "--seed 5 --lenet-only");
  testing::require_same_values(a, b, {"lenet5_test_accuracy", "lenet5_test_loss"});
}

TEST_CASE("ch13 fails clearly on bad flags and missing data", "[ch13][errors]") {
  testing::require_missing_data_error("ch13_lenet5");
  testing::require_rejects("ch13_lenet5", "--cnn-epochs 0", "--cnn-epochs");
  testing::require_help_lists("ch13_lenet5", {"--seed", "--quick", "--data", "--epochs", "--out",
                                              "--cnn-epochs"});
}
