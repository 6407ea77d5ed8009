// ch09_init_and_gradients: the quick run shows vanishing and exploding gradients, the
// initialisations that avoid them, and clipping rescuing a run; reproducible; bad flags refused.
#include <catch2/catch.hpp>

#include <cmath>

#include "support/chapter.hpp"

namespace {
const char* const kChapter = "ch09_init_and_gradients";
double num(const nlohmann::json& m, const char* key) {
  INFO(key);
  REQUIRE(m.contains(key));
  return m[key].get<double>();
}
}  // namespace

TEST_CASE("ch09 --quick: vanishing, exploding and well-scaled gradients", "[ch09]") {
  const auto m = testing::quick_metrics(kChapter);
  CHECK(m["depth"] == 12);
  // sigmoid: the gradient reaching the first layer is vanishingly small, with either init
  CHECK(num(m, "sigmoid_small_grad_ratio_first_to_last") < 1e-9);
  CHECK(num(m, "sigmoid_xavier_grad_ratio_first_to_last") < 1e-4);
  // tiny weights: the signal dies on the way forward
  CHECK(num(m, "tanh_small_std_last") < 1e-6);
  CHECK(num(m, "relu_small_std_last") < 1e-6);
  // Xavier for tanh and He for ReLU keep both directions within a small factor
  for (const char* k : {"tanh_xavier", "relu_he"}) {
    INFO(k);
    const std::string key = k;
    CHECK(num(m, (key + "_grad_ratio_first_to_last").c_str()) > 0.2);
    CHECK(num(m, (key + "_grad_ratio_first_to_last").c_str()) < 5);
    CHECK(num(m, (key + "_std_last").c_str()) > 0.3 * num(m, (key + "_std_first").c_str()));
  }
  // Xavier's variance is half of what ReLU needs: the signal shrinks layer by layer
  CHECK(num(m, "relu_xavier_std_last") < 0.05 * num(m, "relu_xavier_std_first"));
  // too large: the signal explodes, the gradients are huge and training diverges
  CHECK(num(m, "relu_large_std_last") > 1000);
  CHECK(num(m, "relu_large_grad_first") > 1000);
  CHECK(m["relu_large_diverged"] == true);
  // the well-initialised networks learn something in one short epoch, the vanishing ones do not
  CHECK(num(m, "relu_he_val_accuracy") > 0.25);
  CHECK(num(m, "sigmoid_small_val_accuracy") < 0.15);
  // clipping: the same large-learning-rate run does better clipped than not
  CHECK(m["clipped_diverged"] == false);
  CHECK(num(m, "clipped_val_accuracy") > num(m, "unclipped_val_accuracy") + 0.1);
  // standardised inputs: E[x^2] goes from the pixels' second moment (about 0.2) to 1, so the
  // first layer's spread grows by 1 / sqrt(E[x^2]), as the forward derivation predicts
  const double grow = 1 / std::sqrt(num(m, "pixel_second_moment"));
  for (const char* k : {"tanh_xavier", "relu_xavier", "relu_he"}) {
    INFO(k);
    const std::string key = k;
    const double ratio = num(m, (key + "_standardized_std_first").c_str()) / num(m, (key + "_std_first").c_str());
    CHECK(ratio > (key == "tanh_xavier" ? 0.6 : 0.9) * grow);  // tanh flattens the larger signal (ReLU scales exactly)
    CHECK(ratio < 1.1 * grow);
    CHECK(m[key + "_standardized_diverged"] == false);
  }
  CHECK(num(m, "relu_he_standardized_val_accuracy") > 0.25);
  CHECK(m["exercises_match_library"] == true);
  testing::require_outputs(kChapter, {"grad_norms.svg", "grad_norms.csv", "activation_std.svg",
                                      "init_loss_curves.svg", "clipping_loss.svg", "clipping_grad_norm.svg",
                                      "standardize_loss.svg", "standardize_loss.csv"});
}

TEST_CASE("ch09 is reproducible and refuses bad flags", "[ch09]") {
  const auto a = testing::quick_metrics(kChapter, "--seed 3");
  const auto b = testing::quick_metrics(kChapter, "--seed 3");
  testing::require_same_values(a, b, {"relu_he_grad_first", "sigmoid_xavier_grad_first", "clipped_val_accuracy",
                                      "tanh_xavier_val_accuracy"});
  testing::require_rejects(kChapter, "--quick --depth 0", "--depth");
  testing::require_rejects(kChapter, "--quick --max-norm -1", "--max-norm");
  testing::require_missing_data_error(kChapter);
  testing::require_help_lists(kChapter, {"--seed", "--quick", "--data", "--epochs", "--out", "--depth", "--max-norm"});
}
