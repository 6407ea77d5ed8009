// ch11_model_selection: the quick run searches a 2x2 grid and 4 random points, chooses by
// validation, reports the test figures once, draws the search space; --resume after a
// SIGTERM gives the same choice and the same test figures.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <string>

#include "support/chapter.hpp"

TEST_CASE("ch11 --quick searches, chooses by validation and reports the test set",
          "[ch11]") {
  const auto m = testing::quick_metrics("ch11_model_selection");
  CHECK(m["trials"] == 8);
  CHECK(m["grid_trials"] == 4);
  CHECK(m["random_trials"] == 4);
  const double grid = m["grid_best_val_accuracy"], random = m["random_best_val_accuracy"];
  const double chosen = m["chosen_val_accuracy"];
  CHECK(chosen == std::max(grid, random));  // the choice is the best validation score
  CHECK(chosen > 0.6);  // 2,000 images, two epochs: about 0.73
  CHECK(m["test_accuracy"].get<double>() > 0.6);
  CHECK(m["test_accuracy"].get<double>() < 0.95);
  CHECK(m["macro_f1"].get<double>() > 0.5);
  CHECK(m["chosen_lr"].get<double>() >= 1e-4);
  CHECK(m["chosen_lr"].get<double>() <= 3e-2);
  CHECK(m["chosen_width"].get<int>() >= 16);
  CHECK(m["chosen_width"].get<int>() <= 1024);
  CHECK(m["chosen_depth"].get<int>() >= 1);  // the grid keeps one hidden layer and no penalty;
  CHECK(m["chosen_depth"].get<int>() <= 3);  // the random search draws 1-3 layers and L2 up to 3e-3
  CHECK(m["chosen_l2"].get<double>() <= 3e-3);
  // random guessers: the best of 8 on 500 validation images beats chance, on test it is chance
  CHECK(m["noise_best_val_accuracy"].get<double>() > 0.105);
  CHECK(m["noise_chosen_test_accuracy"].get<double>() < 0.12);
  CHECK(m["noise_chosen_test_accuracy"].get<double>() > 0.08);
  CHECK(m["exercise_log_uniform_matches"] == true);
  testing::require_outputs("ch11_model_selection",
                           {"grid_search.svg", "grid_search.csv", "grid_curves.svg",
                            "random_search.svg", "random_search.csv", "chosen_loss.svg",
                            "chosen_accuracy.svg", "confusion.svg", "trials.csv", "random_depth_l2.svg",
                            "random_depth_l2.csv"});
}

TEST_CASE("ch11 is reproducible and resumes a finished search to the same result", "[ch11]") {
  const auto first = testing::run_chapter("ch11_model_selection", "--quick --no-progress --seed 5",
                                          "resume");
  REQUIRE(first.status == 0);
  const auto a = dl::read_json(first.out / "metrics.json");
  // again with --resume in the same directory: every trial continues from its checkpoint
  const std::string cmd = std::string(DLBOOK_BIN_DIR) + "/ch11_model_selection --out '" +
                          first.out.string() + "' --quick --no-progress --seed 5 --resume 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string output;
  std::array<char, 4096> buf;
  while (std::fgets(buf.data(), int(buf.size()), p)) output += buf.data();
  INFO(output);
  REQUIRE(pclose(p) == 0);
  const auto b = dl::read_json(first.out / "metrics.json");
  testing::require_same_values(a, b, {"test_accuracy", "test_loss", "chosen_lr", "chosen_width",
                                      "grid_best_val_accuracy", "random_best_val_accuracy",
                                      "noise_best_val_accuracy"});
  // every one of the 8 trials continued from its finished checkpoint (its seconds are those
  // of the first run, so timings say nothing here)
  std::size_t resumed = 0;
  for (auto at = output.find("resuming from"); at != std::string::npos;
       at = output.find("resuming from", at + 1))
    ++resumed;
  CHECK(resumed == 8);
}

TEST_CASE("ch11 command line", "[ch11][errors]") {
  testing::require_help_lists("ch11_model_selection",
                              {"--seed", "--quick", "--data", "--epochs", "--out", "--trials",
                               "--resume", "--checkpoint-every"});
  testing::require_rejects("ch11_model_selection", "--trials 0", "--trials");
  testing::require_missing_data_error("ch11_model_selection");
}
