// ch05_gradient_descent: the quick run measures what the chapter derives (rates, stability,
// saddle escape, gradient variance, batch sizes) and draws every plot.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch05 --quick measures the chapter's figures and draws its plots", "[ch05]") {
  const auto m = testing::quick_metrics("ch05_gradient_descent");
  auto num = [&](const char* key) { INFO(key); REQUIRE(m.contains(key)); return m[key].get<double>(); };
  // learning rate on the quadratic: measured rate = max |1 - eta lambda|, diverging above 0.2
  for (const char* r : {"rate_small", "rate_best", "rate_edge", "rate_large"}) {
    INFO(r);
    CHECK(num(r) == Approx(num((std::string(r) + "_predicted").c_str())).epsilon(0.01));
  }
  CHECK(num("rate_best") == Approx(9.0 / 11).epsilon(1e-6));
  CHECK(num("rate_large") > 1.05);
  CHECK(num("rosenbrock_lambda_max") == Approx(1001.6).epsilon(1e-4));
  CHECK(num("rosenbrock_final_0.0019") < num("rosenbrock_final_0.001"));  // the larger stable step is faster
  // saddle: plain GD on y = 0 stalls with a vanishing gradient; 1e-6 off escapes after ~154 steps
  CHECK(num("saddle_stuck_grad_norm") < 1e-6);
  CHECK(num("saddle_nudged_escape_step") > 140);
  CHECK(num("saddle_nudged_escape_step") < 170);
  CHECK(num("saddle_noisy_escape_step") > 0);
  CHECK(num("saddle_noisy_escape_step") < num("saddle_nudged_escape_step"));
  // local minima: GD from 8 starts ends in its own quadrant's well, 2 of 8 in the deepest
  CHECK(num("wells_gd_global_fraction") == 0.25);
  // the stochastic gradient: variance ~ 1/B, no bias; noise dominates more after training
  CHECK(m["exercise_gradient_matches"] == true);
  CHECK(num("variance_ratio_b1_b64") > 40);
  CHECK(num("variance_ratio_b1_b64") < 100);
  CHECK(num("bias_ratio_b16") < 3);
  CHECK(num("noise_scale_start") > 5);
  CHECK(num("noise_scale_end") > 2 * num("noise_scale_start"));
  // batch sizes (one learning rate): per epoch small batches win; per step, B = 1000 and
  // B = N are the same
  CHECK(num("loss_b1") < num("loss_b10"));
  CHECK(num("loss_b10") < num("loss_b100"));
  CHECK(num("loss_b1000") == Approx(num("loss_bfull")).epsilon(0.01));
  CHECK(num("loss_b1") < 1.0);
  CHECK(num("test_accuracy_b1") > 0.6);
  testing::require_outputs("ch05_gradient_descent",
                           {"lr_paths.svg", "lr_distance.svg", "rosenbrock.svg", "rosenbrock_gap.svg",
                            "saddle.svg", "saddle_loss.svg", "wells.svg", "gradient_variance.svg",
                            "batch_steps.svg", "batch_epochs.svg", "lr_paths.csv", "batch_steps.csv"});
  // the same seed gives the same figures
  testing::require_same_values(m, testing::quick_metrics("ch05_gradient_descent"),
                               {"loss_b1", "loss_bfull", "saddle_noisy_escape_step", "wells_annealed_global_fraction",
                          "variance_ratio_b1_b64"});
}

TEST_CASE("ch05 explains its flags and fails clearly without data", "[ch05][errors]") {
  testing::require_help_lists("ch05_gradient_descent", {"--lr", "--train-size"});
  testing::require_missing_data_error("ch05_gradient_descent");
  testing::require_rejects("ch05_gradient_descent", "--train-size 10", "--train-size");
}
