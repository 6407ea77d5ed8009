// ch15_augmentation: the quick run trains with and without augmentation, reports both,
// and draws the sample grid and the curves.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch15 --quick trains with and without augmentation", "[ch15]") {
  const auto m = testing::quick_metrics("ch15_augmentation");
  CHECK(m["epochs"] == 3);
  CHECK(m["train_size"] == 500);
  CHECK(m["val_size"] == 500);
  for (const char* arm : {"plain", "augmented"}) {
    INFO(arm);
    const std::string a = arm;
    // 500 images, 3 epochs: about 0.70 plain, 0.65 augmented (chance is 0.10)
    CHECK(m[a + "_best_val_accuracy"].get<double>() > 0.5);
    CHECK(m[a + "_test_accuracy"].get<double>() > 0.5);
    CHECK(m[a + "_test_accuracy"].get<double>() < 0.9);
    CHECK(m[a + "_best_epoch"].get<int>() >= 1);
    CHECK(m[a + "_best_epoch"].get<int>() <= 3);
  }
  // the two runs differ only by the augmentation: on augmented batches the training
  // accuracy differs (test accuracies can coincide on 1,000 test images)
  CHECK(m["plain_final_train_accuracy"] != m["augmented_final_train_accuracy"]);
  CHECK(!m.contains("rotation_test_accuracy"));  // the per-transform runs are not part of --quick
  CHECK(m["exercise_shift_matches"] == true);
  CHECK(m["exercise_bilinear_matches"] == true);
  testing::require_outputs("ch15_augmentation",
                           {"samples.svg", "samples.csv", "accuracy.svg", "accuracy.csv", "loss.svg", "transforms.svg"});
}

TEST_CASE("ch15 --ablation trains with each transform alone, upside-down flips included", "[ch15]") {
  const auto m = testing::quick_metrics("ch15_augmentation", "--ablation --epochs 1");
  for (const char* arm : {"flip", "vflip", "shift", "rotation", "scale"}) {
    INFO(arm);
    CHECK(m[std::string(arm) + "_test_accuracy"].get<double>() > 0.2);  // one epoch on 500 images: past chance
    CHECK(m[std::string(arm) + "_final_train_accuracy"] != m["plain_final_train_accuracy"]);
  }
}

TEST_CASE("ch15 is reproducible: the same seed gives the same figures", "[ch15]") {
  const auto a = testing::quick_metrics("ch15_augmentation", "--seed 3");
  const auto b = testing::quick_metrics("ch15_augmentation", "--seed 3");
  testing::require_same_values(a, b, {"plain_test_accuracy", "augmented_test_accuracy",
                                      "augmented_best_val_accuracy"});
}

TEST_CASE("ch15 refuses bad settings and lists its flags", "[ch15][errors]") {
  testing::require_missing_data_error("ch15_augmentation");
  testing::require_rejects("ch15_augmentation", "--max-degrees 500", "--max-degrees");
  testing::require_rejects("ch15_augmentation", "--train-size 5", "--train-size");
  testing::require_help_lists("ch15_augmentation", {"--seed", "--quick", "--data", "--epochs",
                                                    "--out", "--train-size", "--max-shift"});
}
