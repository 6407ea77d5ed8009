// ch04_backprop: the quick run learns XOR and spirals, checks gradients in double and float,
// and draws every plot.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch04 --quick: MLPs learn XOR and spirals", "[ch04]") {
  const auto m = testing::quick_metrics("ch04_backprop");
  CHECK(m["xor_accuracy"].get<double>() > 0.97);      // quick: about 0.98 (default run 0.995)
  CHECK(m["spirals_accuracy"].get<double>() > 0.90);  // quick: about 0.98 (default run 0.99)
  CHECK(m["spirals_classes"] == 3);
  CHECK(m["exercise_backward_matches"] == true);
  testing::require_outputs("ch04_backprop",
                           {"xor_regions.svg", "xor_loss.svg", "xor_accuracy.svg", "xor_history.csv",
                            "spirals_regions.svg", "spirals_loss.svg", "spirals_regions_image.csv",
                            "gradcheck_vs_h.svg", "gradcheck_vs_h.csv", "metrics.json"});
}

TEST_CASE("ch04 --quick: the gradient check and its V shape in the step h", "[ch04]") {
  const auto m = testing::quick_metrics("ch04_backprop");
  CHECK(m["scalar_example_max_error"].get<double>() < 1e-8);
  CHECK(m["gradcheck_rel_error_double"].get<double>() < 1e-6);
  CHECK(m["gradcheck_best_rel_error_double"].get<double>() < 1e-8);
  // the best step balances truncation O(h^2) against rounding O(eps/h): near eps^(1/3)
  CHECK(m["gradcheck_best_h_double"].get<double>() > 1e-7);
  CHECK(m["gradcheck_best_h_double"].get<double>() < 1e-3);
  CHECK(m["gradcheck_best_h_float"].get<double>() > 1e-4);
  CHECK(m["gradcheck_best_rel_error_float"].get<double>() > 1e-6);  // float cannot pass the tests' bar
  CHECK(m["gradcheck_best_rel_error_float"].get<double>() < 1e-2);
}

TEST_CASE("ch04 --quick --classes 2: the original two spirals", "[ch04]") {
  const auto r = testing::run_chapter("ch04_backprop", "--quick --no-progress --classes 2", "two");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto m = dl::read_json(r.out / "metrics.json");
  CHECK(m["spirals_classes"] == 2);
  CHECK(m["spirals_accuracy"].get<double>() > 0.90);
  const auto bad = testing::run_chapter("ch04_backprop", "--classes 9", "bad");
  CHECK(bad.status != 0);
  CHECK_THAT(bad.output, Catch::Contains("--classes"));
}

TEST_CASE("ch04 is reproducible: the same seed gives the same figures", "[ch04]") {
  const auto a = testing::quick_metrics("ch04_backprop", "--seed 7");
  const auto b = testing::quick_metrics("ch04_backprop", "--seed 7");
  testing::require_same_values(a, b, {"xor_accuracy", "spirals_accuracy", "gradcheck_best_rel_error_float"});
  testing::require_help_lists("ch04_backprop", {"--out", "--seed", "--quick", "--epochs", "--classes"});
}
