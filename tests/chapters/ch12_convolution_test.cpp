// ch12_convolution: the quick run filters an image, checks the kernel flip, runs the
// exercise against im2col, counts parameters, trains a small CNN and draws every plot.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch12 --quick reports the convolution facts and trains a small CNN", "[ch12]") {
  const auto m = testing::quick_metrics("ch12_convolution");
  CHECK(m["flip_sobel_negated_max_error"].get<double>() < 1e-5);
  CHECK(m["flip_laplacian_unchanged_max_error"].get<double>() < 1e-5);
  CHECK(m["exercise_direct_matches_im2col"] == true);
  CHECK(m["exercise_output_size_28_5"] == 24);
  CHECK(m["small_cnn_params"] == 8 * 26 + 8 * 14 * 14 * 10 + 10);
  // the 3x3 32->64 "same" layer on 13x13 maps: 32 * 13 * 13 inputs, 64 * 13 * 13 * 32 * 9 multiply-adds
  CHECK(m["conv_32_64_inputs"] == 5408);
  CHECK(m["conv_32_64_madds"] == 3115008);
  CHECK(m["small_cnn_test_accuracy"].get<double>() > 0.4);  // 3,000 images, one epoch: about 0.58
  CHECK(m["small_cnn_test_accuracy"].get<double>() < 1.0);
  testing::require_outputs("ch12_convolution",
                           {"hand_filters.svg", "hand_filters.csv", "pooling.svg",
                            "learned_filters.svg", "feature_maps.svg", "param_counts.csv",
                            "metrics.json"});
}

TEST_CASE("ch12 is reproducible: the same seed gives the same figures", "[ch12]") {
  const auto a = testing::quick_metrics("ch12_convolution", "--seed 3");
  const auto b = testing::quick_metrics("ch12_convolution", "--seed 3");
  testing::require_same_values(a, b, {"small_cnn_test_accuracy"});
}

TEST_CASE("ch12 fails clearly on bad flags and missing data", "[ch12][errors]") {
  testing::require_missing_data_error("ch12_convolution");
  testing::require_rejects("ch12_convolution", "--quick --image 5000", "--image");
  testing::require_help_lists("ch12_convolution", {"--seed", "--quick", "--data", "--epochs", "--out",
                                                   "--image"});
}
