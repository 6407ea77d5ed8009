// ch17_rnn_bptt: the quick run measures the gradient through time, compares SGD with and
// without clipping, sweeps the adding problem and truncated BPTT, and draws every plot.
#include <catch2/catch.hpp>

#include "support/chapter.hpp"

TEST_CASE("ch17 --quick measures the gradient through time and draws every plot", "[ch17]") {
  const auto m = testing::quick_metrics("ch17_rnn_bptt", "--radii 0.5,1.5");
  // the gradient 30 steps back: vanishes below radius 1, and is far larger above it
  const double small = m["grad_lag30_rho0.5"].get<double>(), large = m["grad_lag30_rho1.5"].get<double>();
  CHECK(small < 1e-6);                       // about 0.5^30 = 1e-9, times tanh's slopes
  CHECK(large > 1e3 * small);
  CHECK(m["grad_lag10_rho0.5"].get<double>() < 0.01);
  CHECK(m.contains("adding_T5_mse"));
  CHECK(m.contains("adding_T10_mse"));
  CHECK(m["tbptt_k2_accuracy"].get<double>() <= 1.0);
  // the same SGD run explodes without clipping and stays finite with it
  CHECK(m["unclipped_diverged_at"].get<int>() > 0);
  CHECK(m["clipped_diverged_at"] == 0);
  CHECK(m["clipped_max_grad_norm"].get<double>() > 1.0);
  CHECK(m["exercise_bptt_matches"] == true);
  testing::require_outputs("ch17_rnn_bptt", {"gradient_vs_lag.svg", "gradient_vs_lag.csv", "clipping_loss.svg",
                                             "clipping_grad_norm.svg", "adding_vs_T.svg", "tbptt.svg",
                                             "metrics.json"});
}

TEST_CASE("ch17 is reproducible: the same seed gives the same figures", "[ch17]") {
  const auto a = testing::quick_metrics("ch17_rnn_bptt", "--seed 9 --radii 1");
  const auto b = testing::quick_metrics("ch17_rnn_bptt", "--seed 9 --radii 1");
  testing::require_same_values(a, b, {"grad_lag30_rho1", "adding_T10_mse", "tbptt_k8_accuracy",
                                      "unclipped_max_grad_norm"});
}

TEST_CASE("ch17 fails clearly on bad flags", "[ch17][errors]") {
  testing::require_rejects("ch17_rnn_bptt", "--lag-T 0", "--lag-T");
  testing::require_rejects("ch17_rnn_bptt", "--hidden x", "--hidden");
  // ch17's runs are a few seconds each and keep no checkpoints: --resume is refused, not ignored
  testing::require_rejects("ch17_rnn_bptt", "--resume", "--resume");
  testing::require_rejects("ch17_rnn_bptt", "--tbptt-k 4,0", "--tbptt-k");  // a chunk of no steps
  testing::require_rejects("ch17_rnn_bptt", "--adding-T 5,1", "--adding-T");  // two marked steps need T >= 2
  testing::require_help_lists("ch17_rnn_bptt", {"--seed", "--quick", "--out", "--radii", "--adding-T",
                                                "--tbptt-k"});
}
