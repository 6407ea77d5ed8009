// ch03_losses: the quick run reports every figure the chapter text quotes, and draws every plot.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch03 --quick: Huber ignores the outliers that drag the MSE line", "[ch03]") {
  const auto m = testing::quick_metrics("ch03_losses");
  // data: y = 2 x + 1, 15% of the points shifted up by 20-40
  CHECK(m["true_slope"] == 2.0);
  CHECK(m["mse_intercept_error"].get<double>() > 2.0);  // dragged up by the outliers
  CHECK(m["huber_intercept_error"].get<double>() < 0.5);
  CHECK(m["huber_slope_error"].get<double>() < 0.15);
  CHECK(m["huber_intercept_error"].get<double>() < m["mse_intercept_error"].get<double>() / 5);
  CHECK(m["exercise_huber_gradient_matches"] == true);
  testing::require_outputs("ch03_losses",
                           {"regression_losses.svg", "regression_gradients.svg", "classification_losses.svg",
                            "classification_gradients.svg", "fused_vs_unfused.svg", "kl_divergence.svg",
                            "regression_fit.svg", "regression_fit.csv", "fused_vs_unfused.csv", "metrics.json"});
}

TEST_CASE("ch03 --quick: fused softmax cross-entropy stays exact where the unfused chain overflows", "[ch03]") {
  const auto m = testing::quick_metrics("ch03_losses");
  CHECK(m["fused_float_max_rel_error"].get<double>() < 1e-6);
  CHECK(m["unfused_float_max_rel_error_below_80"].get<double>() < 1e-6);  // fine while 1/p fits in a float
  // 1/p overflows: float near m = 89 (FLT_MAX = e^88.7), double near m = 710 (DBL_MAX = e^709.8)
  CHECK(m["unfused_float_fails_at_margin"].get<double>() == Approx(90).margin(2));
  CHECK(m["unfused_double_fails_at_margin"].get<double>() == Approx(710).margin(2));
  // squared error on a sigmoid output barely moves a confidently wrong logit; cross-entropy does
  CHECK(m["ce_logit_grad_at_p001"].get<double>() == Approx(-0.999));
  CHECK(std::abs(m["sq_logit_grad_at_p001"].get<double>()) < 0.003);
  CHECK(m["kl_identity_max_error"].get<double>() < 1e-12);
  CHECK(m["kl_min_at_q"].get<double>() == Approx(0.3).margin(0.02));  // the grid is in logit steps
}

TEST_CASE("ch03 rejects a bad Huber threshold", "[ch03][errors]") {
  const auto r = testing::run_chapter("ch03_losses", "--quick --delta -1", "bad_delta");
  CHECK(r.status != 0);
  CHECK_THAT(r.output, Catch::Contains("--delta"));
}

TEST_CASE("ch03 is reproducible: the same seed gives the same fits", "[ch03]") {
  const auto a = testing::quick_metrics("ch03_losses", "--seed 7");
  const auto b = testing::quick_metrics("ch03_losses", "--seed 7");
  testing::require_same_values(a, b, {"mse_slope", "huber_intercept"});
  testing::require_help_lists("ch03_losses", {"--out", "--seed", "--quick", "--delta"});
}
