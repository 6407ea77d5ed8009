// ch01_perceptron: the quick run separates the separable data within Novikoff's bound, fails
// on XOR, trains with the exercise's rule, and draws every plot.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch01 --quick learns a line within Novikoff's bound and fails on XOR", "[ch01]") {
  const auto m = testing::quick_metrics("ch01_perceptron");
  const double n = m["points"].get<double>();
  CHECK(m["separable_final_errors"] == 0);
  CHECK(m["separable_epochs_to_converge"].get<int>() >= 1);
  CHECK(m["separable_epochs_to_converge"].get<int>() < m["epochs"].get<int>());
  CHECK(m["updates"].get<double>() >= 1);
  CHECK(m["updates"].get<double>() <= m["novikoff_bound"].get<double>());
  CHECK(m["novikoff_margin"].get<double>() > 0.04);  // the generator's gap of 0.1 around its line
  CHECK(m["novikoff_radius"].get<double>() <= std::sqrt(3.0) + 1e-9);  // (x, 1) with x in [-1, 1]^2
  CHECK(m["sweep_all_within_bound"] == true);
  CHECK(m["xor_ever_converged"] == false);
  CHECK(m["xor_final_errors"].get<double>() > 0.25 * n);
  CHECK(m["xor_best_accuracy"].get<double>() < 0.75);  // no line does better than about 2/3
  CHECK(m["xor_final_accuracy"].get<double>() < 0.75);
  CHECK(m["exercise_matches_library"] == true);
  testing::require_outputs("ch01_perceptron", {"separable.svg", "separable.csv", "xor.svg", "xor.csv",
                                               "errors.svg", "errors.csv", "novikoff.svg", "novikoff.csv"});
}

TEST_CASE("ch01 is reproducible and rejects bad flags", "[ch01]") {
  const auto a = testing::quick_metrics("ch01_perceptron", "--seed 9");
  const auto b = testing::quick_metrics("ch01_perceptron", "--seed 9");
  testing::require_same_values(a, b, {"updates", "xor_final_errors"});
  testing::require_help_lists("ch01_perceptron", {"--out", "--seed", "--quick", "--epochs"});
  testing::require_rejects("ch01_perceptron", "--lr -1", "--lr");
}
