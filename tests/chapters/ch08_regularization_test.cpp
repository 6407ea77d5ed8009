// ch08_regularization: the quick run trains the five methods, reports every figure, draws
// every plot, and is reproducible; bad flags are refused.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

namespace {
const char* const kChapter = "ch08_regularization";
double num(const nlohmann::json& m, const char* key) {
  INFO(key);
  REQUIRE(m.contains(key));
  return m[key].get<double>();
}
}  // namespace

TEST_CASE("ch08 --quick trains five methods and reports their figures", "[ch08]") {
  const auto m = testing::quick_metrics(kChapter);
  CHECK(m["epochs"] == 12);
  CHECK(m["train_size"] == 500);
  for (const char* method : {"plain", "l2", "l1", "dropout", "early_stopping"}) {
    INFO(method);
    const std::string k = method;
    CHECK(num(m, (k + "_best_val_accuracy").c_str()) > 0.6);  // 500 images, 12 epochs: about 0.77
    CHECK(num(m, (k + "_best_val_accuracy").c_str()) < 0.95);
    CHECK(num(m, (k + "_test_accuracy").c_str()) > 0.6);
  }
  // the plain model over-fits: it fits its 500 images far better than the validation set
  CHECK(num(m, "plain_final_train_accuracy") - num(m, "plain_final_val_accuracy") > 0.1);
  // dropout fits the training set less tightly
  CHECK(num(m, "dropout_final_train_accuracy") < num(m, "plain_final_train_accuracy"));
  // L1 zeroes weights: far more of them near 0 than without a penalty
  CHECK(num(m, "l1_near_zero_weights") > 3 * num(m, "plain_near_zero_weights"));
  // capacity: one or two hidden units under-fit
  CHECK(num(m, "capacity_smallest_train_accuracy") < 0.5);
  CHECK(num(m, "capacity_largest_train_accuracy") > num(m, "capacity_smallest_train_accuracy") + 0.3);
  // early stopping: the best epoch it restored is one the plain run also saw
  CHECK(num(m, "early_stopping_best_val_accuracy") <= num(m, "plain_best_val_accuracy"));
  CHECK(m["exercises_match_library"] == true);
  testing::require_outputs(kChapter, {"validation_accuracy.svg", "validation_accuracy.csv", "weight_histograms.svg",
                                      "capacity_accuracy.svg", "capacity_loss.svg", "plain_accuracy.svg",
                                      "l2_loss.svg", "dropout_accuracy.svg", "early_stopping_history.csv"});
}

TEST_CASE("ch08 is reproducible and refuses bad flags", "[ch08]") {
  const auto a = testing::quick_metrics(kChapter, "--seed 5 --capacity-epochs 0");
  const auto b = testing::quick_metrics(kChapter, "--seed 5 --capacity-epochs 0");
  testing::require_same_values(a, b, {"plain_best_val_accuracy", "dropout_best_val_accuracy", "l1_test_accuracy",
                                      "early_stopping_best_epoch"});
  CHECK_FALSE(a.contains("capacity_smallest_train_accuracy"));
  testing::require_rejects(kChapter, "--quick --dropout 1.5", "--dropout");
  testing::require_rejects(kChapter, "--quick --monitor train_loss", "--monitor");
  testing::require_missing_data_error(kChapter);
  testing::require_help_lists(kChapter, {"--seed", "--quick", "--data", "--epochs", "--out", "--l2", "--l1",
                                         "--dropout", "--patience"});
}
