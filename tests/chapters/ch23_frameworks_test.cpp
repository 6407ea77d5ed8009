// ch23_frameworks: the quick run trains the five Keras programs' dlcore versions, checks the
// tape against the hand-written gradients, and writes the model files with their test
// outputs (what tools/dlcore_to_torch.py reads); the same seed gives the same numbers; bad
// command lines, missing data and an unknown --predict model fail clearly.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch23 --quick runs the five programs and checks the tape", "[ch23]") {
  const auto m = testing::quick_metrics("ch23_frameworks");
  CHECK(m["tape_matches"] == true);
  CHECK(m["tape_max_rel_error"].get<double>() < 1e-12);
  CHECK(m["exercise_tanh_matches"] == true);
  CHECK(m["mlp_num_params"] == 407050);       // 784*512 + 512 + 512*10 + 10
  CHECK(m["lenet5_num_params"] == 44426);
  CHECK(m["cnn_num_params"] == 889834);
  CHECK(m["dropout_mlp_num_params"] == 337);  // 2*16+16 + 16*16+16 + 16+1
  CHECK(m["lenet5_same_as_ch13"] == true);
  CHECK(m["cnn_same_as_ch13"] == true);
  // A slice of the data, one epoch: each learns (chance 0.1 for the images, 0.5 for the
  // words); about 0.74, 0.64, 0.38 and 0.83 here
  CHECK(m["mlp_test_accuracy"].get<double>() > 0.5);
  CHECK(m["lenet5_test_accuracy"].get<double>() > 0.4);
  CHECK(m["cnn_test_accuracy"].get<double>() > 0.25);
  CHECK(m["simple_rnn_test_accuracy"].get<double>() > 0.65);
  // The target's standard deviation is about 0.51 (a constant's RMSE); about 0.39 here
  CHECK(m["dropout_mlp_test_rmse"].get<double>() < 0.47);
  testing::require_outputs("ch23_frameworks",
                           {"mlp.npz", "mlp_logits.npy", "lenet5.npz", "lenet5_logits.npy", "cnn.npz",
                            "cnn_logits.npy", "dropout_mlp.npz", "dropout_mlp_inputs.npy", "dropout_mlp_fit.svg",
                            "simple_rnn.npz", "simple_rnn_inputs.npy", "simple_rnn_lengths.npy",
                            "mlp_loss.svg", "lenet5_accuracy.svg", "simple_rnn_loss.svg", "metrics.json"});
}

TEST_CASE("ch23 is reproducible: the same seed gives the same figures", "[ch23]") {
  const std::string args = "--seed 5 --programs dropout_mlp,simple_rnn";
  const auto a = testing::quick_metrics("ch23_frameworks", args);
  const auto b = testing::quick_metrics("ch23_frameworks", args);
  testing::require_same_values(a, b, {"dropout_mlp_test_rmse", "simple_rnn_test_accuracy", "simple_rnn_test_loss",
                                      "tape_max_rel_error"});
}

TEST_CASE("ch23 fails clearly on bad flags, missing data and unknown model files", "[ch23][errors]") {
  testing::require_missing_data_error("ch23_frameworks");
  testing::require_rejects("ch23_frameworks", "--programs resnet", "--programs");
  testing::require_rejects("ch23_frameworks", "--rnn-epochs 0", "--rnn-epochs");
  testing::require_help_lists("ch23_frameworks", {"--seed", "--quick", "--data", "--epochs", "--out",
                                                  "--programs", "--predict"});
  // A model file of another network: --predict names its layers
  const auto run = testing::run_chapter("ch23_frameworks", "--quick --no-progress --programs dropout_mlp", "first");
  REQUIRE(run.status == 0);
  const auto bad = testing::run_chapter("ch23_frameworks", "--quick --predict '" + (run.out / "dropout_mlp.npz").string() + "'", "predict");
  CHECK(bad.status != 0);
  CHECK_THAT(bad.output, Catch::Contains("none of chapter 7's MLP") && Catch::Contains("Linear(2 -> 16)"));
}
